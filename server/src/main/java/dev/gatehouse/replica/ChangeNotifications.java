package dev.gatehouse.replica;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL LISTEN/NOTIFY for one schema, on a dedicated connection and thread: pgjdbc's
 * {@link PGConnection#getNotifications(int)} waits up to 250 ms for a notification, then the loop checks whether
 * it should stop. A listener runs on this thread and must only schedule work. When the connection is lost the
 * loop reconnects (250 ms, doubling to 5 s) and then calls every listener once, since a notification sent while
 * it was away is lost; the readers' polls stay the safety net.
 */
public final class ChangeNotifications implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeNotifications.class);

    /** What a notification is about. */
    public enum Topic {
        /** A review or grant was settled: held requests may be released. */
        REVIEWS,
        /** A session was asked to end: the replica holding it ends it. */
        SESSIONS
    }

    private final String url;
    private final Properties props;
    private final String schema;
    private final Map<Topic, List<java.util.function.Consumer<String>>> listeners = new EnumMap<>(Topic.class);
    private final Thread thread;
    private volatile boolean closed;
    private volatile boolean connected;

    private ChangeNotifications(String url, Properties props, String schema) {
        this.url = url;
        this.props = props;
        this.schema = schema;
        for (Topic t : Topic.values()) {
            listeners.put(t, new CopyOnWriteArrayList<>());
        }
        this.thread = Thread.ofPlatform().daemon().name("gatehouse-store-notifications").unstarted(this::run);
    }

    static ChangeNotifications start(String url, Properties props, String schema) {
        ChangeNotifications n = new ChangeNotifications(url, props, schema);
        n.thread.start();
        return n;
    }

    /** The channel of {@code topic} in this schema. */
    public String channel(Topic topic) {
        return "gatehouse_" + schema + "_" + topic.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Calls {@code listener} with each notification's payload (empty after a reconnect). */
    public void listen(Topic topic, java.util.function.Consumer<String> listener) {
        listeners.get(topic).add(listener);
    }

    /** Whether the listening connection is up now. */
    public boolean connected() {
        return connected;
    }

    private void run() {
        long backoff = 250;
        boolean wasConnected = false;
        while (!closed) {
            try (Connection c = DriverManager.getConnection(url, props); Statement s = c.createStatement()) {
                for (Topic t : Topic.values()) {
                    s.execute("LISTEN " + channel(t));
                }
                connected = true;
                backoff = 250;
                if (wasConnected) {
                    LOG.info("store notifications: listening again; telling every reader to catch up");
                    listeners.forEach((topic, all) -> all.forEach(l -> call(l, "")));
                }
                wasConnected = true;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] got = pg.getNotifications(250);
                    if (got == null) {
                        continue;
                    }
                    for (PGNotification n : got) {
                        dispatch(n);
                    }
                }
            } catch (SQLException e) {
                if (closed) {
                    break;
                }
                if (connected) {
                    LOG.warn("store notifications: connection lost ({}); reconnecting", SharedDatabase.firstLine(e));
                }
                connected = false;
                sleep(backoff);
                backoff = Math.min(5_000, backoff * 2);
            }
        }
        connected = false;
    }

    private void dispatch(PGNotification n) {
        for (Topic t : Topic.values()) {
            if (channel(t).equals(n.getName())) {
                listeners.get(t).forEach(l -> call(l, n.getParameter()));
            }
        }
    }

    private static void call(java.util.function.Consumer<String> listener, String payload) {
        try {
            listener.accept(payload);
        } catch (RuntimeException e) {
            LOG.warn("store notifications: a listener failed: {}", e.toString());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
