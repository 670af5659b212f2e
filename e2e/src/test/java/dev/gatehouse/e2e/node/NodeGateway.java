package dev.gatehouse.e2e.node;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.cli.Main;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.e2e.GatewayAuditLog;
import dev.gatehouse.e2e.GatewayTls;
import dev.gatehouse.e2e.apiserver.RealApiServer;
import dev.gatehouse.listen.CertificateAuthority;
import dev.gatehouse.sandbox.kubectl.Kubeconfig;
import dev.gatehouse.sandbox.kubectl.Kubectl;
import picocli.CommandLine;

/**
 * A Gatehouse gateway in-process in front of a {@link RealApiServer} with a {@link RealNode}, as cluster
 * {@value #CLUSTER} in impersonate mode (its upstream credential is the apiserver's
 * {@value RealApiServer#GATEWAY_USER} token, which may only impersonate): TLS from a CA of its own, one static-token
 * user (and any others the test adds, e.g. approvers), kubectl 1.32 runners trusting its CA, and its durable audit
 * log and session recordings under {@code <dir>/data}. With a policy it holds what the policy marks for review (30 s),
 * approved with {@code gatehouse reviews approve} as one of the other users ({@link #tokenFile}).
 */
final class NodeGateway implements AutoCloseable {
    static final String CLUSTER = "node";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Gatehouse gateway;
    private final GatehouseConfig config;
    private final Path caFile;
    private final String token;
    private final Map<String, String> tokens;
    private final GatewayAuditLog audit;
    private final List<Kubectl> kubectls = new CopyOnWriteArrayList<>();

    /** A static-token user of the gateway. */
    record User(String name, String uid, List<String> groups) {
    }

    private NodeGateway(GatehouseConfig config, Gatehouse gateway, Path caFile, Map<String, String> tokens,
                        String user) {
        this.config = config;
        this.gateway = gateway;
        this.caFile = caFile;
        this.tokens = Map.copyOf(tokens);
        this.token = tokens.get(user);
        this.audit = new GatewayAuditLog(config);
    }

    /** Starts a gateway in {@code dir} for {@code user} (uid {@code uid}, groups {@code groups}), without a policy. */
    static NodeGateway start(RealApiServer apiServer, Path dir, String user, String uid, List<String> groups) {
        return start(apiServer, dir, new User(user, uid, groups), List.of(), null);
    }

    /**
     * Starts a gateway in {@code dir} for {@code user} (whose kubectl {@link #kubectl} runs) and {@code others};
     * with {@code policy} (a file or directory, reloaded every second) requests are decided by it and held ones wait
     * up to 30 s for approval; null allows everything.
     */
    static NodeGateway start(RealApiServer apiServer, Path dir, User user, List<User> others, Path policy) {
        CertificateAuthority.WrittenFiles tls = GatewayTls.create(dir, "gatehouse-e2e-node-gateway-ca");
        Map<String, String> tokens = new LinkedHashMap<>();
        StringBuilder csv = new StringBuilder();
        for (User u : concat(user, others)) {
            byte[] bytes = new byte[24];
            RANDOM.nextBytes(bytes);
            String token = "gh-" + HexFormat.of().formatHex(bytes);
            tokens.put(u.name(), token);
            csv.append(token).append(',').append(u.name()).append(',').append(u.uid()).append(",\"")
                    .append(String.join(",", u.groups())).append("\"\n");
            RealApiServer.write(dir.resolve(u.name() + ".token"), token, true);
        }
        Path staticTokens = RealApiServer.write(dir.resolve("tokens.csv"), csv.toString(), true);
        Path upstreamToken = RealApiServer.write(dir.resolve("upstream-token"), apiServer.gatewayToken() + "\n", true);
        GatehouseConfig config = new GatehouseConfig(
                new GatehouseConfig.ListenConfig("127.0.0.1", 0, tls.certificate(), tls.privateKey()),
                dir.resolve("data"), Duration.ofMinutes(5), Duration.ofSeconds(20),
                new GatehouseConfig.AuthenticationConfig(staticTokens),
                List.of(new GatehouseConfig.ClusterConfig(CLUSTER, null, null, apiServer.url().toString(),
                        apiServer.caFile(), upstreamToken, null, null, "impersonate")));
        if (policy != null) {
            config = config.withPolicy(new GatehouseConfig.PolicyConfig(policy, Duration.ofSeconds(1)),
                    new GatehouseConfig.ReviewsConfig(Duration.ofSeconds(30), Duration.ofHours(1),
                            Duration.ofMillis(200), null, List.of()));
        }
        return new NodeGateway(config, Gatehouse.start(config), tls.ca(), tokens, user.name());
    }

    private static List<User> concat(User first, List<User> rest) {
        List<User> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }

    /** kubectl 1.32 for the gateway's user: {@code /clusters/node}, trusting the gateway's CA; closed with the gateway. */
    Kubectl kubectl(Duration timeout) {
        return kubectl(new Kubectl.Options(timeout, Duration.ofSeconds(20), timeout));
    }

    /** kubectl 1.32 for the gateway's user with these options; closed with the gateway. */
    Kubectl kubectl(Kubectl.Options options) {
        String caPem;
        try {
            caPem = Files.readString(caFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Kubectl kubectl = Kubectl.create(new Kubeconfig("https://127.0.0.1:" + gateway.port() + "/clusters/" + CLUSTER,
                caPem, token, null, null), options);
        kubectls.add(kubectl);
        return kubectl;
    }

    /** The gateway's https port. */
    int port() {
        return gateway.port();
    }

    /** The CA file that signed the gateway's certificate. */
    Path caFile() {
        return caFile;
    }

    /** A file holding {@code user}'s token (mode 0600), for {@code gatehouse --token-file}. */
    Path tokenFile(String user) {
        if (!tokens.containsKey(user)) {
            throw new IllegalArgumentException("no user " + user + " (known: " + tokens.keySet() + ")");
        }
        return config.dataDir().getParent().resolve(user + ".token");
    }

    /** {@code gatehouse ARGS --server … --token-file <user>.token} in this JVM: exit code, stdout, stderr. */
    String[] gatehouse(String user, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", "https://127.0.0.1:" + port(), "--certificate-authority", caFile.toString(),
                "--token-file", tokenFile(user).toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = Main.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int code = command.execute(all.toArray(String[]::new));
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    /** The reviews in {@code state} as {@code approver} lists them ({@code gatehouse reviews list -o json}). */
    List<JsonNode> reviews(String approver, String state) {
        String[] list = gatehouse(approver, "reviews", "list", "--state", state, "-o", "json");
        if (!list[0].equals("0")) {
            throw new AssertionError("gatehouse reviews list failed (" + list[0] + "): " + list[2]);
        }
        try {
            List<JsonNode> items = new ArrayList<>();
            JSON.readTree(list[1]).path("items").forEach(items::add);
            return items;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The pending review whose description names {@code what}, as {@code approver} lists it; waits 30 s for it. */
    JsonNode pendingReview(String approver, String what) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            for (JsonNode item : reviews(approver, "pending")) {
                if (item.path("description").asText().contains(what)) {
                    return item;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no pending review of " + what + " within 30 s");
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
