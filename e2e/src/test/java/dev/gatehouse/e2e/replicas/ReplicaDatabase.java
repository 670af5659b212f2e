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
