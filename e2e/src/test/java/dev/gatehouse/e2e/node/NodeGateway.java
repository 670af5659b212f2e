package dev.gatehouse.e2e.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.e2e.GatewayAuditLog;
import dev.gatehouse.e2e.GatewayTls;
import dev.gatehouse.e2e.apiserver.RealApiServer;
import dev.gatehouse.listen.CertificateAuthority;
import dev.gatehouse.sandbox.kubectl.Kubeconfig;
import dev.gatehouse.sandbox.kubectl.Kubectl;

/**
 * A Gatehouse gateway in-process in front of a {@link RealApiServer} with a {@link RealNode}, as cluster
 * {@value #CLUSTER} in impersonate mode (its upstream credential is the apiserver's
 * {@value RealApiServer#GATEWAY_USER} token, which may only impersonate): TLS from a CA of its own, one static-token
 * user, kubectl 1.32 runners trusting its CA, and its durable audit log and session recordings under
 * {@code <dir>/data}.
 */
final class NodeGateway implements AutoCloseable {
    static final String CLUSTER = "node";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Gatehouse gateway;
    private final GatehouseConfig config;
    private final Path caFile;
    private final String token;
    private final GatewayAuditLog audit;
    private final List<Kubectl> kubectls = new CopyOnWriteArrayList<>();

    private NodeGateway(GatehouseConfig config, Gatehouse gateway, Path caFile, String token) {
        this.config = config;
        this.gateway = gateway;
        this.caFile = caFile;
        this.token = token;
        this.audit = new GatewayAuditLog(config);
    }

    /** Starts a gateway in {@code dir} for {@code user} (uid {@code uid}, groups {@code groups}). */
    static NodeGateway start(RealApiServer apiServer, Path dir, String user, String uid, List<String> groups) {
        CertificateAuthority.WrittenFiles tls = GatewayTls.create(dir, "gatehouse-e2e-node-gateway-ca");
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String token = "gh-" + HexFormat.of().formatHex(bytes);
        Path staticTokens = RealApiServer.write(dir.resolve("tokens.csv"),
                token + "," + user + "," + uid + ",\"" + String.join(",", groups) + "\"\n", true);
        Path upstreamToken = RealApiServer.write(dir.resolve("upstream-token"), apiServer.gatewayToken() + "\n", true);
        GatehouseConfig config = new GatehouseConfig(
                new GatehouseConfig.ListenConfig("127.0.0.1", 0, tls.certificate(), tls.privateKey()),
                dir.resolve("data"), Duration.ofMinutes(5), Duration.ofSeconds(20),
                new GatehouseConfig.AuthenticationConfig(staticTokens),
                List.of(new GatehouseConfig.ClusterConfig(CLUSTER, null, null, apiServer.url().toString(),
                        apiServer.caFile(), upstreamToken, null, null, "impersonate")));
        return new NodeGateway(config, Gatehouse.start(config), tls.ca(), token);
    }

    /** kubectl 1.32 for the gateway's user: {@code /clusters/node}, trusting the gateway's CA; closed with the gateway. */
    Kubectl kubectl(Duration timeout) {
        String caPem;
        try {
            caPem = Files.readString(caFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Kubectl kubectl = Kubectl.create(new Kubeconfig("https://127.0.0.1:" + gateway.port() + "/clusters/" + CLUSTER,
                caPem, token, null, null), new Kubectl.Options(timeout, Duration.ofSeconds(20), timeout));
        kubectls.add(kubectl);
        return kubectl;
    }

    GatewayAuditLog audit() {
        return audit;
    }

    /** Where the gateway keeps session recordings and their summaries. */
    Path sessionsDir() {
        return config.dataDir().resolve("sessions");
    }

    @Override
    public void close() {
        try {
            kubectls.forEach(Kubectl::close);
        } finally {
            gateway.close();
        }
    }
}
