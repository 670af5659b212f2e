package dev.gatehouse.e2e.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.e2e.KubectlRun;
import dev.gatehouse.listen.CertificateAuthority;
import dev.gatehouse.sandbox.Sandbox;
import dev.gatehouse.sandbox.idp.DemoUser;
import dev.gatehouse.sandbox.idp.SandboxIdentityProvider;
import dev.gatehouse.sandbox.kubectl.Kubeconfig;
import dev.gatehouse.sandbox.kubectl.Kubectl;
import dev.gatehouse.sandbox.kubectl.KubectlResult;
import dev.gatehouse.sandbox.recording.ReceivedRequest;

/**
 * {@code gatehouse login} against a gateway whose clusters are reached three ways: the default cluster at the root,
 * a cluster with a host name, and one only at its path prefix. The kubeconfig it writes names each by the URL the
 * gateway gives for it, and the real kubectl's {@code get --raw /version} works with the default cluster's context
 * (through the exec plugin and the person's OIDC token).
 */
class LoginServerUrlsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Sandbox sandbox;
    static SandboxIdentityProvider idp;
    static Gatehouse gateway;
    static String url;
    static Path gatewayCa;
    static String gatewayCaPem;

    @BeforeAll
    static void start() throws IOException {
        sandbox = Sandbox.start();
        idp = SandboxIdentityProvider.start(0, DemoUser.defaults(), dir.resolve("idp"));
        CertificateAuthority.WrittenFiles tls = CertificateAuthority.create("login-urls-ca", Duration.ofDays(1))
                .issueServer("gateway", List.of("localhost", "edge.gatehouse.test"), List.of("127.0.0.1"),
                        Duration.ofDays(1))
                .written(dir.resolve("tls"), "gateway");
        gatewayCa = tls.ca();
        gatewayCaPem = Files.readString(gatewayCa);
        Files.writeString(dir.resolve("sandbox-token"), sandbox.token());
        int port = IdentityFixture.freePort();
        url = "https://127.0.0.1:" + port;
        Path yaml = Files.writeString(dir.resolve("gatehouse.yaml"), """
                listen: {address: 127.0.0.1, port: %d, certFile: %s, keyFile: %s}
                dataDir: data
                authentication:
                  oidc:
                  - issuerUrl: %s
                    audiences: [%s]
                    usernameClaim: preferred_username
                    usernamePrefix: "demo:"
                login: {issuerUrl: %s, clientId: %s, scopes: [openid, profile, email, offline_access]}
                clusters:
                - {name: sandbox, server: %s, caFile: %s, tokenFile: sandbox-token}
                - {name: edge, server: %s, caFile: %s, tokenFile: sandbox-token, hostNames: [edge.gatehouse.test]}
                - {name: lab, server: %s, caFile: %s, tokenFile: sandbox-token}
                defaultCluster: sandbox
                """.formatted(port, tls.certificate(), tls.privateKey(), idp.issuerUrl(),
                SandboxIdentityProvider.CLIENT_ID, idp.issuerUrl(), SandboxIdentityProvider.CLIENT_ID,
                sandbox.url(), sandbox.caFile(), sandbox.url(), sandbox.caFile(), sandbox.url(), sandbox.caFile()));
        gateway = Gatehouse.start(ConfigLoader.load(yaml));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (idp != null) {
            idp.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void loginWritesEachClustersUrlAndRawRequestsWorkAtTheDefaultCluster() throws Exception {
        GatehouseCli cli = new GatehouseCli(Files.createDirectories(dir.resolve("cli")));
        try (Kubectl kubectl = Kubectl.create(new Kubeconfig(url, gatewayCaPem, "placeholder-until-login", null,
                "dev"))) {
            GatehouseCli.Run login = cli.login(authorizeUrl -> signIn("alice", authorizeUrl), Duration.ofSeconds(90),
                    "--server", url, "--certificate-authority", gatewayCa.toString(),
                    "--kubeconfig", kubectl.kubeconfig().toString(), "--exec-command", cli.launcher().toString(),
                    "--timeout", "PT60S");
            assertThat(login.exitCode()).as(login.stderr()).isZero();

            JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(kubectl.kubeconfig()));
            assertThat(server(config, "gatehouse-sandbox")).isEqualTo(url);
            assertThat(server(config, "gatehouse-edge")).isEqualTo("https://edge.gatehouse.test:" + gateway.port());
            assertThat(server(config, "gatehouse-lab")).isEqualTo(url + "/clusters/lab");

            int mark = sandbox.received().size();
            KubectlResult version = kubectl.run("--context", "gatehouse-sandbox", "get", "--raw", "/version");
            assertThat(version.succeeded()).as(version.toString()).isTrue();
            assertThat(version.stdout()).contains("\"gitVersion\"");
            List<ReceivedRequest> upstream = KubectlRun.receivedSince(sandbox, mark);
            assertThat(upstream).extracting(ReceivedRequest::rawPath).containsExactly("/version");
            assertThat(upstream.get(0).headers("Impersonate-User")).containsExactly("demo:alice");

            KubectlResult labPods = kubectl.run("--context", "gatehouse-lab", "get", "pods", "-n", "dev");
            assertThat(labPods.succeeded()).as(labPods.toString()).isTrue();
        }
    }

    private static String server(JsonNode config, String cluster) {
        for (JsonNode c : config.path("clusters")) {
            if (c.path("name").asText().equals(cluster)) {
                return c.path("cluster").path("server").asText();
            }
        }
        throw new AssertionError("no cluster " + cluster + " in " + config);
    }

    /** What a person does in the browser: open the sign-in URL, pick {@code user}, follow the redirect. */
    private static void signIn(String user, String authorizeUrl) {
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
}
