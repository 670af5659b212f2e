package dev.gatehouse.e2e.replicas;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * The replicas' database: one of its own (random name) in the machine's PostgreSQL (127.0.0.1:5432, user
 * postgres, trust auth; {@code scripts/prepare-postgres.sh} starts it), dropped at close.
 */
final class ReplicaDatabase implements AutoCloseable {
    private static final String ADMIN = "jdbc:postgresql://127.0.0.1:5432/postgres";
    final String name;

    ReplicaDatabase() {
        byte[] random = new byte[6];
        new SecureRandom().nextBytes(random);
        name = "gatehouse_e2e_" + HexFormat.of().formatHex(random);
        admin("CREATE DATABASE " + name);
    }

    String url() {
        return "jdbc:postgresql://127.0.0.1:5432/" + name;
    }

    /** Each audit id in the shared audit index, with the replicas whose logs hold an event of it. */
    java.util.Map<String, java.util.Set<String>> indexedAuditIds() {
        java.util.Map<String, java.util.Set<String>> out = new java.util.HashMap<>();
        try (Connection c = DriverManager.getConnection(url(), "postgres", ""); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT audit_id, replica_id FROM gatehouse.audit_index"
                     + " WHERE audit_id IS NOT NULL")) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getString(1), k -> new java.util.HashSet<>()).add(rs.getString(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the shared audit index: " + e.getMessage(), e);
        }
        return out;
    }

    /** Refuses new connections and ends the open ones: to the gateways, PostgreSQL is down. */
    void block() {
        admin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
        admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
    }

    void unblock() {
        admin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
    }

    private static void admin(String sql) {
        try (Connection c = DriverManager.getConnection(ADMIN, "postgres", ""); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at 127.0.0.1:5432 (start it with scripts/prepare-postgres.sh): "
                    + sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
}
