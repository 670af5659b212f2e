package dev.gatehouse.e2e.ui;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.e2e.GatewayAuditLog;
import dev.gatehouse.e2e.GatewayTls;
import dev.gatehouse.listen.CertificateAuthority;
import dev.gatehouse.sandbox.Sandbox;
import dev.gatehouse.sandbox.idp.DemoUser;
import dev.gatehouse.sandbox.idp.SandboxIdentityProvider;
import dev.gatehouse.sandbox.kubectl.Kubeconfig;
import dev.gatehouse.sandbox.kubectl.Kubectl;

/**
 * The demo's parts on loopback for the web UI: the sandbox cluster, the demo IdP (alice the developer, bob the SRE,
 * carol the auditor; names and groups prefixed {@code demo:}), and the gateway configured from YAML with the IdP for
 * people, {@code login:} (which turns the UI on), a policy holding namespace deletes for an SRE's review, and the
 * SREs and auditors as evidence readers.
 */
final class UiGateway implements AutoCloseable {
    static final String POLICY = """
            apiVersion: gatehouse.dev/v1
            kind: Policy
            default: allow
            reviewers:
              sre: {groups: ["demo:sre"], approvals: 1, holdTime: 120s, validity: once}
            rules:
              - name: hold-namespace-delete
                match: {verbs: [delete], resources: [namespaces]}
                decision: review
                reviewers: sre
            """;

    final Path dir;
    Sandbox sandbox;
    SandboxIdentityProvider idp;
    Gatehouse gateway;
    GatehouseConfig config;
    GatewayAuditLog audit;
    Path certificate;
    Path ca;
    String caPem;
    String url;

    UiGateway(Path dir) throws IOException {
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
        CertificateAuthority.WrittenFiles tls = GatewayTls.create(dir, "e2e-ui-gateway-ca");
        certificate = tls.certificate();
        ca = tls.ca();
        caPem = Files.readString(ca);
        Files.writeString(dir.resolve("sandbox-token"), sandbox.token());
        Files.createDirectories(dir.resolve("policy"));
        Files.writeString(dir.resolve("policy/rules.yaml"), POLICY);
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
                    usernamePrefix: "demo:"
                login:
                  issuerUrl: %s
                  clientId: %s
                policy: {path: %s, reloadInterval: PT1S}
                reviews: {holdTime: PT120S, pollInterval: PT0.2S}
                audit:
                  readers: {groups: ["demo:sre", "demo:auditors"]}
                clusters:
                - name: sandbox
                  server: %s
                  caFile: %s
                  tokenFile: sandbox-token
                """.formatted(port, tls.certificate(), tls.privateKey(), idp.issuerUrl(), idp.issuerUrl(),
                SandboxIdentityProvider.CLIENT_ID, dir.resolve("policy"), sandbox.url(), sandbox.caFile()));
        config = ConfigLoader.load(yaml);
        audit = new GatewayAuditLog(config);
        gateway = Gatehouse.start(config);
    }

    /** kubectl as a demo user (an ID token from the demo IdP), for {@code /clusters/sandbox}, namespace dev. */
    Kubectl kubectl(String user) {
        return Kubectl.create(new Kubeconfig(url + "/clusters/sandbox", caPem, idp.idToken(user, 3600), null, "dev"));
    }

    /** A plain HTTPS client trusting the gateway's CA, following no redirects. */
    HttpClient https() {
        try {
            java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (var in = Files.newInputStream(ca)) {
                trust.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509")
                        .generateCertificate(in));
            }
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return HttpClient.newBuilder().sslContext(context).followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(Duration.ofSeconds(10)).build();
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code GET <gateway><path>} with these headers (name, value, ...). */
    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(20));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try (HttpClient client = https()) {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** The evidence-read events of UI page views by {@code user}. */
    List<AuditEvent> pageViews(String user) {
        return audit.events().stream().filter(e -> e.gatehouse() != null && "evidence-read".equals(e.gatehouse().type())
                && "ui-view".equals(e.verb()) && e.user() != null && user.equals(e.user().username())).toList();
    }

    @Override
    public void close() {
        for (AutoCloseable part : new AutoCloseable[] {gateway, idp, sandbox}) {
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
            throw new java.io.UncheckedIOException(e);
        }
    }
}
