package dev.gatehouse.sandbox;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How to start a {@link Sandbox}. Every setting has a default, so {@code SandboxOptions.defaults()} starts a
 * seeded cluster on a free loopback port with fresh random tokens.
 *
 * @param host                 address to listen on (default 127.0.0.1)
 * @param port                 port, 0 for any free one (default)
 * @param token                the bearer token the gateway presents (default: random)
 * @param gatewayUser          the user that token authenticates (default {@code gatehouse})
 * @param adminToken           a second token, for tests that talk to the sandbox directly (default: random)
 * @param deniedUsers          users every access review ({@code kubectl auth can-i}) answers "no" for
 * @param certificateDirectory where {@code ca.crt}, {@code sandbox.crt} and {@code sandbox.key} are written
 *                             (default: a temporary directory removed on close)
 * @param seeded               whether to start with the demo objects (default true)
 * @param logFollowInterval    time between lines of {@code kubectl logs -f} (default 200 ms)
 * @param recordCapacity       how many received requests are kept (default 10,000)
 * @param webSocketStreams     whether {@code exec}, {@code attach} and {@code port-forward} are served over WebSocket
 *                             as well as SPDY (default true); false refuses the WebSocket upgrade as a Kubernetes
 *                             1.20 node does, so kubectl 1.32 falls back to SPDY, and {@code /version} then says
 *                             v1.20.2 (else v1.32.0), so a gateway that reads it agrees
 * @param portForwards         container port → the local TCP address a {@code kubectl port-forward} to that port
 *                             reaches (any pod); port {@value Sandbox#ECHO_PORT}, the seeded pods' {@code http}, goes
 *                             to the sandbox's own echo service unless given here
 */
public record SandboxOptions(String host, int port, String token, String gatewayUser, String adminToken,
                             Set<String> deniedUsers, Path certificateDirectory, boolean seeded,
                             Duration logFollowInterval, int recordCapacity, boolean webSocketStreams,
                             Map<Integer, InetSocketAddress> portForwards) {
    private static final SecureRandom RANDOM = new SecureRandom();

    public SandboxOptions {
        Objects.requireNonNull(host, "host");
        deniedUsers = Set.copyOf(deniedUsers);
        portForwards = Map.copyOf(portForwards);
        validate(host, port, token, gatewayUser, adminToken, logFollowInterval, recordCapacity);
        portForwards.forEach(SandboxOptions::validateForward);
    }

    private static void validateForward(int containerPort, InetSocketAddress target) {
        if (containerPort < 1 || containerPort > 65535) {
            throw new IllegalArgumentException("sandbox.portForwards: container port " + containerPort
                    + " (expected: 1..65535)");
        }
        if (target.getPort() < 1) {
            throw new IllegalArgumentException("sandbox.portForwards[" + containerPort + "]: " + target
                    + " (expected: a port 1..65535)");
        }
    }

    private static void validate(String host, int port, String token, String gatewayUser, String adminToken,
                                 Duration logFollowInterval, int recordCapacity) {
        if (host.isBlank()) {
            throw new IllegalArgumentException("sandbox.host: \"\" (expected: an address such as 127.0.0.1)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("sandbox.port: " + port + " (expected: 0..65535)");
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("sandbox.token: empty (expected: a non-blank bearer token)");
        }
        if (gatewayUser == null || gatewayUser.isBlank()) {
            throw new IllegalArgumentException("sandbox.gatewayUser: empty (expected: a user name)");
        }
        if (adminToken != null && adminToken.equals(token)) {
            throw new IllegalArgumentException("sandbox.adminToken: same as sandbox.token (expected: a different "
                    + "token)");
        }
        if (logFollowInterval == null || logFollowInterval.isNegative() || logFollowInterval.isZero()) {
            throw new IllegalArgumentException("sandbox.logFollowInterval: " + logFollowInterval
                    + " (expected: > 0)");
        }
        if (recordCapacity <= 0) {
            throw new IllegalArgumentException("sandbox.recordCapacity: " + recordCapacity + " (expected: > 0)");
        }
    }

    /** The defaults: seeded, loopback, any port, random tokens. */
    public static SandboxOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from the defaults. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private String token = randomToken();
        private String gatewayUser = "gatehouse";
        private String adminToken = randomToken();
        private final Set<String> deniedUsers = new LinkedHashSet<>();
        private Path certificateDirectory;
        private boolean seeded = true;
        private Duration logFollowInterval = Duration.ofMillis(200);
        private int recordCapacity = 10_000;
        private boolean webSocketStreams = true;
        private final Map<Integer, InetSocketAddress> portForwards = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder token(String token) {
            this.token = token;
            return this;
        }

        public Builder gatewayUser(String gatewayUser) {
            this.gatewayUser = gatewayUser;
            return this;
        }

        /** The direct-admin token; {@code null} disables it. */
        public Builder adminToken(String adminToken) {
            this.adminToken = adminToken;
            return this;
        }

        public Builder denyUser(String user) {
            deniedUsers.add(Objects.requireNonNull(user, "user"));
            return this;
        }

        public Builder certificateDirectory(Path directory) {
            this.certificateDirectory = directory;
            return this;
        }

        public Builder seeded(boolean seeded) {
            this.seeded = seeded;
            return this;
        }

        public Builder logFollowInterval(Duration interval) {
            this.logFollowInterval = interval;
            return this;
        }

        public Builder recordCapacity(int capacity) {
            this.recordCapacity = capacity;
            return this;
        }

        /** False makes exec, attach and port-forward SPDY-only: WebSocket upgrades are refused (403/400). */
        public Builder webSocketStreams(boolean webSocketStreams) {
            this.webSocketStreams = webSocketStreams;
            return this;
        }

        /** Where {@code kubectl port-forward} to a container port goes: a TCP address on this machine. */
        public Builder forwardPort(int containerPort, String host, int port) {
            Objects.requireNonNull(host, "host");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("sandbox.portForwards[" + containerPort + "]: " + host + ":" + port
                        + " (expected: a port 1..65535)");
            }
            portForwards.put(containerPort, InetSocketAddress.createUnresolved(host, port));
            return this;
        }

        public SandboxOptions build() {
            return new SandboxOptions(host, port, token, gatewayUser, adminToken, deniedUsers, certificateDirectory,
                    seeded, logFollowInterval, recordCapacity, webSocketStreams, portForwards);
        }
    }

    static String randomToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** For logs: the settings with the tokens masked. */
    @Override
    public String toString() {
        return "SandboxOptions[host=" + host + ", port=" + port + ", token=<masked>, gatewayUser=" + gatewayUser
                + ", adminToken=" + (adminToken == null ? "none" : "<masked>") + ", deniedUsers=" + deniedUsers
                + ", certificateDirectory=" + certificateDirectory + ", seeded=" + seeded + ", logFollowInterval="
                + logFollowInterval + ", recordCapacity=" + recordCapacity + ", webSocketStreams=" + webSocketStreams
                + ", portForwards=" + portForwards + "]";
    }
}
