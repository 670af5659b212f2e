package dev.gatehouse.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * {@code store}: where the state the gateway replicas share is kept. {@code embedded} (the default, one node):
 * reviews and grants in SQLite under the data directory, the query index and exporter cursors in files there.
 * {@code postgres} (replicas): the same in one PostgreSQL schema every replica uses; each replica still keeps its
 * own signed audit log in its own data directory.
 *
 * @param kind         embedded or postgres
 * @param url          {@code jdbc:postgresql://host[:port]/database}, without credentials (postgres only)
 * @param user         the database user (postgres only)
 * @param passwordFile a file holding the user's password, or null for none (trust, peer or certificate auth)
 * @param schema       the schema of Gatehouse's tables, created when missing (default {@code gatehouse})
 */
public record StoreConfig(Kind kind, String url, String user, Path passwordFile, String schema) {
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,39}");
    private static final Pattern URL = Pattern.compile("jdbc:postgresql://[^/?#@\\s]+/[A-Za-z0-9_.-]+(\\?[^#\\s]*)?");

    /** Where shared state lives. */
    public enum Kind {
        EMBEDDED, POSTGRES;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public StoreConfig {
        Objects.requireNonNull(kind, "store.kind");
        if (kind == Kind.EMBEDDED) {
            if (url != null || user != null || passwordFile != null || schema != null) {
                throw new IllegalArgumentException("store: url, user, passwordFile and schema are settings of"
                        + " kind: postgres (expected: none with kind: embedded)");
            }
        } else {
            if (url == null || !URL.matcher(url).matches()) {
                throw new IllegalArgumentException("store.url: " + (url == null ? "missing" : "\"" + redacted(url)
                        + "\"") + " (expected: jdbc:postgresql://host[:port]/database)");
            }
            String query = url.contains("?") ? url.substring(url.indexOf('?') + 1).toLowerCase(Locale.ROOT) : "";
            for (String part : query.split("&")) {
                String name = part.contains("=") ? part.substring(0, part.indexOf('=')) : part;
                if (name.equals("password") || name.equals("user") || name.equals("sslpassword")) {
                    throw new IllegalArgumentException("store.url: carries " + name + " (expected: the user in"
                            + " store.user and the password in store.passwordFile, never in the URL)");
                }
            }
            if (user == null || user.isBlank()) {
                throw new IllegalArgumentException("store.user: required with kind: postgres");
            }
            schema = schema == null ? "gatehouse" : schema;
            if (!SCHEMA.matcher(schema).matches()) {
                throw new IllegalArgumentException("store.schema: \"" + schema + "\" (expected: 1-40 of [a-z0-9_],"
                        + " not starting with a digit)");
            }
        }
    }

    /** The single-node default. */
    public static StoreConfig embedded() {
        return new StoreConfig(Kind.EMBEDDED, null, null, null, null);
    }

    /** A PostgreSQL store. */
    public static StoreConfig postgres(String url, String user, Path passwordFile, String schema) {
        return new StoreConfig(Kind.POSTGRES, url, user, passwordFile, schema);
    }

    public boolean shared() {
        return kind == Kind.POSTGRES;
    }

    /** host:port/database, for messages and the effective-config line (never the query string). */
    public String where() {
        if (url == null) {
            return "embedded";
        }
        URI uri = URI.create(url.substring("jdbc:".length()));
        return uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort()) + uri.getPath();
    }

    /** The URL without its query string, which may carry settings a log should not show. */
    private static String redacted(String url) {
        int q = url.indexOf('?');
        String shown = q < 0 ? url : url.substring(0, q) + "?…";
        // user:password@host would put a secret in a message: show that credentials were there, not what
        return shown.replaceFirst("//[^/]*@", "//(credentials removed)@");
    }

    @Override
    public String toString() {
        return kind == Kind.EMBEDDED ? "store=embedded" : "store=postgres(" + where() + ", user " + user + ", schema "
                + schema + ", passwordFile " + (passwordFile == null ? "none" : passwordFile) + ")";
    }
}
