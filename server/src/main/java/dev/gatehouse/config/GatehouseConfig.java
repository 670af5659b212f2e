package dev.gatehouse.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The gateway's whole configuration: one immutable record per concern, validated when loaded
 * ({@link ConfigLoader}) with errors that name the key.
 */
public record GatehouseConfig(ListenConfig listen, Path dataDir, Duration maxStreamDuration,
                              Duration upstreamTimeout, AuthenticationConfig authentication,
                              List<ClusterConfig> clusters) {
    public GatehouseConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(authentication, "authentication");
        clusters = List.copyOf(clusters);
    }

    /** Where the gateway listens, with its TLS certificate and key (PEM files). */
    public record ListenConfig(String address, int port, Path certFile, Path keyFile) {
    }

    /** How clients authenticate. {@code staticTokenFile} is the break-glass token file, or null. */
    public record AuthenticationConfig(Path staticTokenFile) {
    }

    /**
     * A cluster the gateway serves at {@code /clusters/<name>}. Either {@code kubeconfig} (+ optional
     * {@code context}) or {@code server} + {@code caFile} + ({@code tokenFile} or client cert/key files).
     */
    public record ClusterConfig(String name, Path kubeconfig, String context, String server, Path caFile,
                                Path tokenFile, Path clientCertFile, Path clientKeyFile, String credentialMode) {
    }

    /** The effective configuration as one log line; holds paths only, never a secret. */
    public String describe() {
        StringBuilder b = new StringBuilder("listen=").append(listen.address()).append(':').append(listen.port())
                .append(" dataDir=").append(dataDir).append(" maxStreamDuration=").append(maxStreamDuration)
                .append(" upstreamTimeout=").append(upstreamTimeout)
                .append(" staticTokenFile=").append(authentication.staticTokenFile()).append(" clusters=[");
        for (ClusterConfig c : clusters) {
            b.append(c.name()).append("(").append(c.kubeconfig() != null ? "kubeconfig " + c.kubeconfig()
                    : c.server()).append(", ").append(c.credentialMode()).append(") ");
        }
        return b.append("]").toString();
    }
}
