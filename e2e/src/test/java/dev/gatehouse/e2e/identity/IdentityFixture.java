package dev.gatehouse.e2e.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.authn.delegation.TokenExchange;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.e2e.GatewayAnswer;
import dev.gatehouse.e2e.GatewayAuditLog;
import dev.gatehouse.e2e.GatewayTls;
import dev.gatehouse.e2e.KubectlRun;
import dev.gatehouse.listen.CertificateAuthority;
import dev.gatehouse.sandbox.Sandbox;
import dev.gatehouse.sandbox.idp.DemoUser;
import dev.gatehouse.sandbox.idp.SandboxIdentityProvider;
import dev.gatehouse.sandbox.kubectl.Kubeconfig;
import dev.gatehouse.sandbox.kubectl.Kubectl;
import dev.gatehouse.sandbox.recording.ReceivedRequest;

/**
 * Everything identity needs, on loopback: the sandbox cluster; the people IdP (the sandbox's mock-oauth2-server,
 * issuer {@code …/demo}, prefix {@value #PEOPLE_PREFIX}); a GitHub-Actions-style CI issuer ({@link CiIssuer},
 * prefix {@value #CI_PREFIX}); a cluster that reviews service-account tokens ({@link TokenReviewCluster}, served
 * as cluster {@value #SA_CLUSTER}); and the gateway, configured from a YAML file like an operator's, with its own
 * issuer at its own https URL (token exchange) and login metadata for the CLI.
 */
final class IdentityFixture implements AutoCloseable {
    static final String PEOPLE_PREFIX = "demo:";
    static final String CI_PREFIX = "gha:";
    static final String SA_CLUSTER = "home";
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    Sandbox sandbox;
    SandboxIdentityProvider idp;
    CiIssuer ci;
    TokenReviewCluster saCluster;
    GatehouseConfig config;
    GatewayAuditLog audit;
    Gatehouse gateway;
    Path gatewayCa;
    String gatewayCaPem;
    String url;
    private HttpClient https;

    IdentityFixture(Path dir) throws IOException {
        this.dir = dir;
        try {
            start();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void start() throws IOException {
        sandbox = Sandbox.start();
        idp = SandboxIdentityProvider.start(0, DemoUser.defaults(), dir.resolve("idp"));
        ci = CiIssuer.start();
        String reviewer = "reviewer-" + java.util.UUID.randomUUID();
        saCluster = TokenReviewCluster.start(Files.createDirectories(dir.resolve("sa-cluster")), reviewer);
        CertificateAuthority.WrittenFiles tls = GatewayTls.create(dir, "e2e-identity-gateway-ca");
        gatewayCa = tls.ca();
        gatewayCaPem = Files.readString(gatewayCa);
        Files.writeString(dir.resolve("sandbox-token"), sandbox.token());
        Files.writeString(dir.resolve("reviewer-token"), reviewer);
        int port = freePort();
        url = "https://127.0.0.1:" + port;
        Path yaml = Files.writeString(dir.resolve("gatehouse.yaml"), """
                listen: {address: 127.0.0.1, port: %d, certFile: %s, keyFile: %s}
                dataDir: data
                authentication:
                  oidc:
                  - kind: people
                    issuerUrl: %s
                    audiences: [gatehouse]
                    usernameClaim: preferred_username
                    usernamePrefix: "%s"
                    attributeClaims: {email: email}
                  - kind: github-actions
                    issuerUrl: %s
                    audiences: [%s]
                    usernamePrefix: "%s"
                    requiredClaims: {repository_owner: %s}
                  serviceAccounts:
                  - cluster: %s
                    audiences: [%s]
                    cacheTtl: PT10S
                issuer:
                  url: %s
                  delegationMaxLifetime: PT5M
                login:
                  issuerUrl: %s
                  clientId: %s
                  scopes: [openid, profile, email, offline_access]
                clusters:
                - name: sandbox
                  server: %s
                  caFile: %s
                  tokenFile: sandbox-token
                - name: %s
                  server: %s
                  caFile: %s
                  tokenFile: reviewer-token
                """.formatted(port, tls.certificate(), tls.privateKey(), idp.issuerUrl(), PEOPLE_PREFIX,
                ci.issuerUrl(), CiIssuer.AUDIENCE, CI_PREFIX, CiIssuer.OWNER, SA_CLUSTER, TokenReviewCluster.ISSUER,
                url, idp.issuerUrl(), SandboxIdentityProvider.CLIENT_ID, sandbox.url(), sandbox.caFile(), SA_CLUSTER,
                saCluster.url(), saCluster.caFile()));
        config = ConfigLoader.load(yaml);
        audit = new GatewayAuditLog(config);
        gateway = Gatehouse.start(config);
        https = GatewayTls.httpsClient(gatewayCa);
    }

    /** kubectl with a bearer token, for {@code /clusters/sandbox}, namespace dev. */
    Kubectl kubectl(String token) {
        return Kubectl.create(new Kubeconfig(url + "/clusters/sandbox", gatewayCaPem, token, null, "dev"));
    }

    List<ReceivedRequest> receivedSince(int mark) {
        return KubectlRun.receivedSince(sandbox, mark);
    }

    /** {@code GET <gateway><path>} with a bearer token. */
    GatewayAnswer get(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json").GET());
    }

    /** The RFC 8693 exchange at the gateway's token endpoint. */
    GatewayAnswer exchange(String subjectToken, String actorToken) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", TokenExchange.GRANT_TYPE);
        form.put("subject_token", subjectToken);
        form.put("subject_token_type", TokenExchange.JWT_TYPE);
        form.put("actor_token", actorToken);
        form.put("actor_token_type", TokenExchange.JWT_TYPE);
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(url + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private GatewayAnswer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = https.send(request.timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return GatewayAnswer.of(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What a person does in the browser: open the sign-in URL, pick {@code user}, follow the redirect. */
    void signIn(String user, String authorizeUrl) {
        DemoUser demo = idp.users().stream().filter(u -> u.username().equals(user)).findFirst().orElseThrow();
        try (HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()) {
            browser.send(HttpRequest.newBuilder(URI.create(authorizeUrl)).build(), HttpResponse.BodyHandlers.ofString());
            String claims = JSON.writeValueAsString(Map.of("preferred_username", demo.username(), "email", demo.email(),
                    "email_verified", true, "groups", demo.groups()));
            HttpResponse<String> posted = browser.send(HttpRequest.newBuilder(URI.create(authorizeUrl))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString("username=" + demo.username() + "&claims="
                                    + URLEncoder.encode(claims, StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
            String location = posted.headers().firstValue("Location").orElseThrow(() ->
                    new IllegalStateException("the IdP did not redirect: " + posted.statusCode() + " " + posted.body()));
            browser.send(HttpRequest.newBuilder(URI.create(location)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (AutoCloseable part : new AutoCloseable[] {gateway, https, saCluster, ci, idp, sandbox}) {
            if (part != null) {
                try {
                    part.close();
                } catch (Exception e) {
                    System.err.println("cannot stop " + part + ": " + e);
                }
            }
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
