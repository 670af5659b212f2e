package dev.gatehouse.replica;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

import dev.gatehouse.config.StoreConfig;

/**
 * A database of its own (random name) in the machine's PostgreSQL (127.0.0.1:5432, user postgres, trust auth;
 * {@code scripts/prepare-postgres.sh} starts it), dropped at close. {@link #block()} makes it unreachable for new
 * and existing connections (as an outage does) and {@link #unblock()} ends that.
 */
public final class PostgresTestDatabase implements AutoCloseable {
    public static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    private final String name;

    private PostgresTestDatabase(String name) {
        this.name = name;
    }

    public static PostgresTestDatabase create() {
        byte[] random = new byte[6];
        new SecureRandom().nextBytes(random);
        String name = "gatehouse_test_" + HexFormat.of().formatHex(random);
        admin("CREATE DATABASE " + name);
        return new PostgresTestDatabase(name);
    }

    public String name() {
        return name;
    }

    public String url() {
        return "jdbc:postgresql://127.0.0.1:5432/" + name;
    }

    /** The store block a gateway (or a store test) uses for this database. */
    public StoreConfig config() {
        return StoreConfig.postgres(url(), "postgres", null, "gatehouse");
    }

    /** Refuses new connections and ends the open ones: PostgreSQL is unreachable for this database. */
    public void block() {
        admin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
        admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
    }

    public void unblock() {
        admin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
    }

    /** Runs {@code sql} in this database as postgres. */
    public void execute(String sql) {
        run(url(), sql);
    }

    private static void admin(String sql) {
        run(ADMIN_URL, sql);
    }

    private static void run(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
             Statement s = c.createStatement()) {
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
