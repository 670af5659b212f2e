package dev.gatehouse.e2e.apiserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.authn.delegation.GatehouseIssuer;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.e2e.GatewayAnswer;
import dev.gatehouse.e2e.GatewayAuditLog;
import dev.gatehouse.e2e.GatewayTls;
import dev.gatehouse.listen.CertificateAuthority;
import dev.gatehouse.sandbox.kubectl.Kubeconfig;
import dev.gatehouse.sandbox.kubectl.Kubectl;

/**
 * A Gatehouse gateway started in-process in front of a {@link RealApiServer}, serving it as cluster
 * {@value #CLUSTER}: TLS from a test CA of its own, a static token file for its users, and the apiserver's
 * {@value RealApiServer#GATEWAY_USER} token as its upstream credential (impersonate mode). It hands out
 * kubectl runners and an HTTPS client that point at the gateway (trusting its CA, never skipping
 * verification) and reads the gateway's durable audit log back.
 */
final class GatewayInFront implements AutoCloseable {
    static final String CLUSTER = "real";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration KUBECTL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    /** A user of the gateway's static token file. */
    record User(String name, String uid, List<String> groups) {
    }

    private final Gatehouse gateway;
    private final Path caFile;
    private final Map<String, String> tokens;
    private final GatewayAuditLog audit;
    private final HttpClient https;
    private final List<Kubectl> kubectls = new CopyOnWriteArrayList<>();

    private GatewayInFront(GatehouseConfig config, Gatehouse gateway, Path caFile, Map<String, String> tokens) {
        this.gateway = gateway;
        this.caFile = caFile;
        this.tokens = Map.copyOf(tokens);
        this.audit = new GatewayAuditLog(config);
        this.https = GatewayTls.httpsClient(caFile);
    }

    /** Starts a gateway in {@code dir} in front of {@code apiServer} for {@code users}. */
    static GatewayInFront start(RealApiServer apiServer, Path dir, List<User> users) throws IOException {
        return start(apiServer, dir, users, List.of());
    }

    /**
     * Starts a gateway in {@code dir} in front of {@code apiServer} for {@code users}, also taking the cluster's
     * service-account tokens as {@code serviceAccounts} say (reviewed by the apiserver with the gateway's token).
     */
    static GatewayInFront start(RealApiServer apiServer, Path dir, List<User> users,
                                List<GatehouseConfig.ServiceAccountSource> serviceAccounts) throws IOException {
        CertificateAuthority.WrittenFiles tls = tls(dir);
        Map<String, String> tokens = new LinkedHashMap<>();
        Path staticTokens = staticTokens(dir, users, tokens);
        Path upstreamToken = RealApiServer.write(dir.resolve("upstream-token"), apiServer.gatewayToken() + "\n", true);
        GatehouseConfig config = new GatehouseConfig(
                new GatehouseConfig.ListenConfig("127.0.0.1", 0, tls.certificate(), tls.privateKey()),
                dir.resolve("data"), Duration.ofMinutes(5), Duration.ofSeconds(20),
                new GatehouseConfig.AuthenticationConfig(staticTokens, List.of(), serviceAccounts, 10_000,
                        Duration.ofMinutes(5)),
                List.of(new GatehouseConfig.ClusterConfig(CLUSTER, null, null, apiServer.url().toString(),
                        apiServer.caFile(), upstreamToken, null, null, "impersonate")));
        return new GatewayInFront(config, Gatehouse.start(config), tls.ca(), tokens);
    }

    /**
     * The gateway's TLS files (CA, certificate for 127.0.0.1 and localhost, key) in {@code <dir>/tls}: made before
     * the apiserver starts when the apiserver must trust the gateway ({@code --oidc-ca-file}).
     */
    static CertificateAuthority.WrittenFiles tls(Path dir) {
        return GatewayTls.create(dir, "gatehouse-e2e-gateway-ca");
    }

    /**
     * Starts a gateway in {@code issued-token} mode: it listens on {@code port} (chosen before the apiserver was
     * started with {@code --oidc-issuer-url=https://127.0.0.1:<port>}), is its own issuer at that URL, and sends
     * each request to the apiserver with a token it minted for that request ({@code aud} = {@code audience},
     * lifetime {@code lifetime}) instead of its own credential and impersonation headers.
     */
    static GatewayInFront startIssuingTokens(RealApiServer apiServer, Path dir, List<User> users, int port,
                                             CertificateAuthority.WrittenFiles tls, String audience,
                                             Duration lifetime) throws IOException {
        Map<String, String> tokens = new LinkedHashMap<>();
        Path staticTokens = staticTokens(dir, users, tokens);
        // Not sent in this mode (the minted token replaces it), but a cluster entry names a credential.
        Path upstreamToken = RealApiServer.write(dir.resolve("upstream-token"), apiServer.gatewayToken() + "\n", true);
        GatehouseConfig config = new GatehouseConfig(
                new GatehouseConfig.ListenConfig("127.0.0.1", port, tls.certificate(), tls.privateKey()),
                dir.resolve("data"), Duration.ofMinutes(5), Duration.ofSeconds(20),
                new GatehouseConfig.AuthenticationConfig(staticTokens),
                new GatehouseConfig.IssuerConfig("https://127.0.0.1:" + port, Duration.ofMinutes(5), lifetime), null,
                List.of(new GatehouseConfig.ClusterConfig(CLUSTER, null, null, apiServer.url().toString(),
                        apiServer.caFile(), upstreamToken, null, null, "issued-token", audience)));
        return new GatewayInFront(config, Gatehouse.start(config), tls.ca(), tokens);
    }

    private static Path staticTokens(Path dir, List<User> users, Map<String, String> tokens) {
        StringBuilder tokenFile = new StringBuilder();
        for (User user : users) {
            String token = newToken();
            tokens.put(user.name(), token);
            tokenFile.append(token).append(',').append(user.name()).append(',').append(user.uid())
                    .append(",\"").append(String.join(",", user.groups())).append("\"\n");
        }
        return RealApiServer.write(dir.resolve("tokens.csv"), tokenFile.toString(), true);
    }

    /** The gateway's own token issuer (issued-token mode), or null. */
    GatehouseIssuer issuer() {
        return gateway.issuer();
    }

    /** The gateway's base URL, {@code https://127.0.0.1:<port>}. */
    URI url() {
        return URI.create("https://127.0.0.1:" + gateway.port());
    }

    /** The Gatehouse token of {@code user}. */
    String token(String user) {
        String token = tokens.get(user);
        if (token == null) {
            throw new IllegalArgumentException("no gateway token for user " + user);
        }
        return token;
    }

    /**
     * kubectl 1.32 as {@code user}, with a kubeconfig for {@code /clusters/real} (trusting the gateway's CA) and its
     * own cache dir; closed with the gateway.
     */
    Kubectl kubectl(String user) {
        return kubectlWithToken(token(user));
    }

    /** kubectl 1.32 with {@code bearerToken} (any credential the gateway may take), as {@link #kubectl(String)}. */
    Kubectl kubectlWithToken(String bearerToken) {
        String caPem;
        try {
            caPem = Files.readString(caFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Kubectl kubectl = Kubectl.create(new Kubeconfig(url() + "/clusters/" + CLUSTER, caPem, bearerToken, null, null),
                RealApiServer.kubectlOptions(KUBECTL_TIMEOUT));
        kubectls.add(kubectl);
        return kubectl;
    }

    // ------------------------------------------------------------------------------------------------
    // Raw HTTPS

    /**
     * Sends {@code GET rawPath} to the gateway exactly as written (no normalization, no re-encoding) with
     * {@code token} (null: none) and extra headers.
     */
    GatewayAnswer get(String rawPath, String token, Map<String, List<String>> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + rawPath)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json").GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach((name, values) -> values.forEach(v -> request.header(name, v)));
        try {
            HttpResponse<String> r = https.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return GatewayAnswer.of(r);
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + rawPath + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // The gateway's audit log

    /** The gateway's durable audit log. */
    GatewayAuditLog audit() {
        return audit;
    }

    /** How many request events the log holds now: a mark for {@link #requestEventsSince(int)}. */
    int mark() {
        return audit.requestEvents().size();
    }

    /** The request events appended after {@code mark}. */
    List<AuditEvent> requestEventsSince(int mark) {
        List<AuditEvent> all = audit.requestEvents();
        return all.subList(Math.min(mark, all.size()), all.size());
    }

    /** Every event of one request, in log order. */
    List<AuditEvent> eventsFor(String auditId) {
        return audit.requestEvents().stream().filter(e -> auditId.equals(e.auditID())).toList();
    }

    /** Waits (bounded) for a request event after {@code mark} that matches; fails listing what was there. */
    AuditEvent awaitRequestEvent(int mark, Duration timeout, Predicate<AuditEvent> which) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<AuditEvent> events = requestEventsSince(mark);
            for (AuditEvent e : events) {
                if (which.test(e)) {
                    return e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no matching Gatehouse event within " + timeout + " among " + describe(events));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** One line per event (id, stage, verb, URI, code), for assertion messages. */
    static String describe(List<AuditEvent> events) {
        StringBuilder b = new StringBuilder();
        for (AuditEvent e : events) {
            b.append("\n  ").append(e.auditID()).append(' ').append(e.stage()).append(' ').append(e.verb()).append(' ')
                    .append(e.requestURI()).append(" -> ")
                    .append(e.responseStatus() == null ? "-" : String.valueOf(e.responseStatus().code()));
        }
        return b.toString();
    }

    /** Stops the kubectl runners it handed out, the gateway (flushing its audit log) and the HTTPS client. */
    @Override
    public void close() {
        try {
            kubectls.forEach(Kubectl::close);
            gateway.close();
        } finally {
            https.close();
        }
    }

    private static String newToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return "gh-" + HexFormat.of().formatHex(bytes);
    }
}
