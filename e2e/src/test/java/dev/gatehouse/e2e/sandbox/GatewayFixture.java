package dev.gatehouse.e2e.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.e2e.GatewayAuditLog;
import dev.gatehouse.e2e.GatewayTls;
import dev.gatehouse.e2e.KubectlRun;
import dev.gatehouse.listen.CertificateAuthority;
import dev.gatehouse.sandbox.Sandbox;
import dev.gatehouse.sandbox.kubectl.Kubeconfig;
import dev.gatehouse.sandbox.kubectl.Kubectl;
import dev.gatehouse.sandbox.recording.ReceivedRequest;

/**
 * A sandbox cluster behind a real in-process gateway (TLS, static tokens for alice and bob, the durable audit
 * log), with kubectl configured per user. What the end-to-end tests assert on: kubectl's result, what the
 * sandbox received, and the gateway's audit events.
 */
final class GatewayFixture implements AutoCloseable {
    static final String ALICE_TOKEN = "alice-e2e-token-0123456789";
    static final String BOB_TOKEN = "bob-e2e-token-0123456789";

    final Path dir;
    final Sandbox sandbox;
    final Gatehouse gateway;
    final GatehouseConfig config;
    final GatewayAuditLog audit;
    final String gatewayCaPem;

    GatewayFixture(Path dir) {
        this(dir, dev.gatehouse.sandbox.SandboxOptions.defaults());
    }

    /** With a sandbox of these options (e.g. one that refuses WebSocket sessions, as a 1.20 node does). */
    GatewayFixture(Path dir, dev.gatehouse.sandbox.SandboxOptions options) {
        this(dir, options, null, null);
    }

    /**
     * With who may read the evidence through the gateway ({@code audit.readers}) and the sessions settings
     * ({@code audit.sessions}: moderators, limits); null for the defaults (nobody, and the built-in limits).
     */
    GatewayFixture(Path dir, dev.gatehouse.sandbox.SandboxOptions options, GatehouseConfig.ReadersConfig readers,
                   GatehouseConfig.SessionsConfig sessions) {
        this(dir, options, readers, sessions, null, null, "");
    }

    /**
     * With a policy and review settings (null: the shipped default policy, default review settings) and more static
     * users ({@code token,user,uid,"groups"} lines appended to alice's and bob's).
     */
    GatewayFixture(Path dir, dev.gatehouse.sandbox.SandboxOptions options, GatehouseConfig.ReadersConfig readers,
                   GatehouseConfig.SessionsConfig sessions, GatehouseConfig.PolicyConfig policy,
                   GatehouseConfig.ReviewsConfig reviews, String moreUsers) {
        this.dir = dir;
        this.sandbox = Sandbox.start(options);
        try {
            CertificateAuthority.WrittenFiles tls = GatewayTls.create(dir, "e2e-gateway-ca");
            gatewayCaPem = Files.readString(tls.ca());
            Files.writeString(dir.resolve("tokens.csv"), ALICE_TOKEN + ",alice,uid-alice,\"developers,readers\"\n"
                    + BOB_TOKEN + ",bob,uid-bob,sre\n" + moreUsers);
            Files.writeString(dir.resolve("sandbox-token"), sandbox.token());
            config = new GatehouseConfig(
                    new GatehouseConfig.ListenConfig("127.0.0.1", 0, tls.certificate(), tls.privateKey()),
                    dir.resolve("data"), Duration.ofHours(1), Duration.ofSeconds(30),
                    new GatehouseConfig.AuthenticationConfig(dir.resolve("tokens.csv")), null, null,
                    new GatehouseConfig.AuditConfig(Duration.ofSeconds(5), null, List.of(
                            new GatehouseConfig.ExporterConfig("audit.exporters[0]", "siem", "file", "kubernetes",
                                    dir.resolve("siem"), 1 << 20, 5, null, 0, false, null, null, null, null, null)),
                            readers, null, sessions),
                    List.of(new GatehouseConfig.ClusterConfig("sandbox", null, null, sandbox.url(), sandbox.caFile(),
                            dir.resolve("sandbox-token"), null, null, "impersonate"))).withPolicy(policy, reviews);
            audit = new GatewayAuditLog(config);
            gateway = Gatehouse.start(config);
        } catch (IOException | RuntimeException e) {
            sandbox.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    String clusterUrl(String cluster) {
        return "https://127.0.0.1:" + gateway.port() + "/clusters/" + cluster;
    }

    Kubectl kubectl(String token) {
        return Kubectl.create(new Kubeconfig(clusterUrl("sandbox"), gatewayCaPem, token, null, "dev"));
    }

    Kubectl kubectl(String cluster, String token) {
        return Kubectl.create(new Kubeconfig(clusterUrl(cluster), gatewayCaPem, token, null, "dev"));
    }

    /** The sandbox's received requests since {@code mark}, i.e. what one kubectl command caused upstream. */
    List<ReceivedRequest> receivedSince(int mark) {
        return KubectlRun.receivedSince(sandbox, mark);
    }

    /** The audit IDs of every event the file exporter has delivered to the SIEM directory so far. */
    java.util.Set<String> exportedAuditIds() {
        java.util.Set<String> ids = new java.util.HashSet<>();
        try (Stream<Path> files = Files.list(dir.resolve("siem"))) {
            for (Path f : files.toList()) {
                for (String line : Files.readAllLines(f)) {
                    ids.add(dev.gatehouse.audit.AuditEventJson.parse(line).auditID());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ids;
    }

    @Override
    public void close() {
        gateway.close();
        sandbox.close();
    }
}
