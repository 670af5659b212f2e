package dev.gatehouse.replica;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Properties;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.gatehouse.config.StoreConfig;
import dev.gatehouse.review.ReviewException;

/**
 * The replicas' PostgreSQL: a small HikariCP pool on the store's schema (migrated by Flyway from
 * {@code db/postgres} at open, the schema created when missing) and the {@link ChangeNotifications} of that schema.
 * A connection that cannot be had within 2 s is an outage: {@link #unavailable} turns it into a 503 that says
 * so, and what needs the shared state fails closed while everything else goes on.
 */
public final class SharedDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SharedDatabase.class);

    private final StoreConfig config;
    private final HikariDataSource pool;
    private final ChangeNotifications notifications;

    private SharedDatabase(StoreConfig config, HikariDataSource pool, ChangeNotifications notifications) {
        this.config = config;
        this.pool = pool;
        this.notifications = notifications;
    }

    /** Connects, migrates the schema and starts listening; throws when PostgreSQL cannot be reached now. */
    public static SharedDatabase open(StoreConfig config) {
        if (!config.shared()) {
            throw new IllegalArgumentException("store.kind: embedded (expected: postgres)");
        }
        Properties props = connectionProperties(config);
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("gatehouse-store");
        hikari.setJdbcUrl(config.url());
        hikari.setDataSourceProperties(props);
        hikari.setSchema(config.schema());
        hikari.setMaximumPoolSize(4);
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(2_000);
        hikari.setValidationTimeout(1_000);
        hikari.setInitializationFailTimeout(2_000);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw new IllegalStateException("store: cannot connect to PostgreSQL at " + config.where() + " as "
                    + config.user() + ": " + firstLine(e), e);
        }
        try {
            Flyway.configure(SharedDatabase.class.getClassLoader())
                    .dataSource(pool)
                    .schemas(config.schema())
                    .defaultSchema(config.schema())
                    .createSchemas(true)
                    .locations("classpath:db/postgres")
                    .table("schema_version")
                    .loggers("slf4j")
                    .load()
                    .migrate();
            ChangeNotifications notifications = ChangeNotifications.start(config.url(), props, config.schema());
            LOG.info("shared store: PostgreSQL at {}, schema {}", config.where(), config.schema());
            return new SharedDatabase(config, pool, notifications);
        } catch (RuntimeException e) {
            pool.close();
            throw new IllegalStateException("store: cannot migrate schema " + config.schema() + " at "
                    + config.where() + ": " + firstLine(e), e);
        }
    }

    private static Properties connectionProperties(StoreConfig config) {
        Properties props = new Properties();
        props.setProperty("user", config.user());
        if (config.passwordFile() != null) {
            try {
                props.setProperty("password", Files.readString(config.passwordFile()).strip());
            } catch (IOException e) {
                throw new UncheckedIOException("store.passwordFile: cannot read " + config.passwordFile(), e);
            }
        }
        props.setProperty("ApplicationName", "gatehouse");
        props.setProperty("connectTimeout", "2");
        props.setProperty("socketTimeout", "15");
        props.setProperty("tcpKeepAlive", "true");
        return props;
    }

    public DataSource dataSource() {
        return pool;
    }

    public StoreConfig config() {
        return config;
    }

    public ChangeNotifications notifications() {
        return notifications;
    }

    /** Sends {@code payload} on {@code topic} when the transaction of {@code c} commits. */
    public void notify(Connection c, ChangeNotifications.Topic topic, String payload) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, notifications.channel(topic));
            ps.setString(2, payload);
            ps.execute();
        }
    }

    /** The 503 a caller gets when the shared state cannot be read or written: it names the store, not a secret. */
    public ReviewException unavailable(String what, SQLException e) {
        LOG.warn("shared store at {}: {} failed: {} (SQLState {})", config.where(), what, firstLine(e),
                e.getSQLState());
        return new ReviewException(503, "the shared store (PostgreSQL at " + config.where() + ") cannot be "
                + "reached, so " + what + " is refused until it is back: " + firstLine(e));
    }

    static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root && root.getMessage() == null) {
            root = root.getCause();
        }
        String m = String.valueOf(root.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public void close() {
        notifications.close();
        pool.close();
    }
}
