package dev.gatehouse.cli.login;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Logins cached per gateway in {@code <config dir>/gatehouse/credentials/<hash of the gateway URL>.json},
 * directory 700 and files 600. The config dir is {@code $GATEHOUSE_CONFIG_DIR}, else
 * {@code $XDG_CONFIG_HOME/gatehouse}, else {@code ~/.config/gatehouse}.
 */
final class TokenCache {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;

    TokenCache(Path configDir) {
        this.dir = configDir.resolve("credentials");
    }

    static TokenCache defaultLocation() {
        String explicit = System.getenv("GATEHOUSE_CONFIG_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return new TokenCache(Path.of(explicit));
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return new TokenCache(base.resolve("gatehouse"));
    }

    /**
     * One gateway's login.
     *
     * @param server   the gateway URL
     * @param issuer   the IdP
     * @param clientId the OIDC client
     * @param tokens   the tokens
     */
    record Entry(String server, String issuer, String clientId, Tokens tokens) {
    }

    Entry load(String server) {
        Path file = file(server);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            return new Entry(n.path("server").asText(), n.path("issuer").asText(), n.path("client_id").asText(),
                    new Tokens(n.path("id_token").asText(), n.path("refresh_token").asText(null),
                            Instant.ofEpochSecond(n.path("expires_at").asLong())));
        } catch (IOException e) {
            throw new LoginException("cannot read the cached login " + file + ": " + e.getMessage());
        }
    }

    void save(Entry entry) {
        ObjectNode n = JSON.createObjectNode();
        n.put("server", entry.server()).put("issuer", entry.issuer()).put("client_id", entry.clientId())
                .put("id_token", entry.tokens().idToken()).put("expires_at", entry.tokens().expiresAt().getEpochSecond());
        if (entry.tokens().refreshToken() != null) {
            n.put("refresh_token", entry.tokens().refreshToken());
        }
        writePrivate(file(entry.server()), n.toPrettyString());
    }

    Path file(String server) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(server.getBytes(StandardCharsets.UTF_8));
            return dir.resolve(HexFormat.of().formatHex(h, 0, 8) + ".json");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a file readable only by its owner (mode 600 in a 700 directory), atomically. */
    static void writePrivate(Path file, String content) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (!Files.exists(parent)) {
                Files.createDirectories(parent);
                mode(parent, "rwx------");
            }
            Path tmp = parent.resolve("." + file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp);
            mode(tmp, "rw-------");
            Files.writeString(tmp, content);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new LoginException("cannot write " + file + ": " + e.getMessage());
        }
    }

    private static void mode(Path p, String mode) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        } catch (UnsupportedOperationException ignored) {
            // non-POSIX file system
        }
    }
}
