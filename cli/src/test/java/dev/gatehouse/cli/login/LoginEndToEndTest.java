package dev.gatehouse.cli.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatehouse.authn.AuthenticationResult;
import dev.gatehouse.authn.Credential;
import dev.gatehouse.authn.oidc.OidcAuthenticator;
import dev.gatehouse.authn.oidc.OidcIssuerConfig;
import dev.gatehouse.sandbox.idp.DemoUser;
import dev.gatehouse.sandbox.idp.SandboxIdentityProvider;
import picocli.CommandLine;

/** gatehouse login against the sandbox IdP, with a scripted browser; then the exec plugin, then the gateway. */
class LoginEndToEndTest {
    @TempDir
    Path dir;
    SandboxIdentityProvider idp;
    LoginMetadataServer gateway;
    OidcIssuerConfig people;

    @BeforeEach
    void start() throws Exception {
        idp = SandboxIdentityProvider.start(0, DemoUser.defaults(), dir.resolve("idp"));
        people = idp.issuerConfig("authentication.oidc[0]");
        gateway = LoginMetadataServer.start(people);
    }

    @AfterEach
    void stop() throws Exception {
        idp.close();
        gateway.close();
    }

    String server() {
        return gateway.url();
    }

    /** What a person does in the browser: open the URL, pick "alice", follow the redirect. */
    static void signInAsAlice(String authorizeUrl) {
        try {
            HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            http.send(HttpRequest.newBuilder(URI.create(authorizeUrl)).build(), HttpResponse.BodyHandlers.ofString());
            String claims = new ObjectMapper().writeValueAsString(Map.of("preferred_username", "alice",
                    "groups", List.of("developers"), "email", "alice@demo.gatehouse.dev"));
            HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(authorizeUrl))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("username=alice&claims="
                            + URLEncoder.encode(claims, StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
            String location = posted.headers().firstValue("Location").orElseThrow();
            http.send(HttpRequest.newBuilder(URI.create(location)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    record Run(int exit, String out, String err) {
    }

    Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void logsInWritesKubeconfigAndServesTokensTheGatewayAccepts() throws Exception {
        TokenCache cache = new TokenCache(dir.resolve("config"));
        Path kubeconfig = dir.resolve("kube/config");
        Path ca = Files.writeString(dir.resolve("gateway-ca.crt"),
                dev.gatehouse.listen.CertificateAuthority.create("gateway-ca", Duration.ofDays(1)).certificatePem());
        LoginCommand login = new LoginCommand();
        login.browser = LoginEndToEndTest::signInAsAlice;
        login.cache = cache;

        Run loggedIn = run(login, "--server", server(), "--kubeconfig", kubeconfig.toString(),
                "--exec-command", "/opt/gatehouse/gatehouse", "--timeout", "PT30S",
                "--certificate-authority", ca.toString());

        assertThat(loggedIn.exit()).as(loggedIn.err()).isZero();
        assertThat(loggedIn.err()).contains("gatehouse-prod, gatehouse-staging");
        String yaml = Files.readString(kubeconfig);
        assertThat(yaml).contains("server: " + server() + "/clusters/prod").contains("certificate-authority-data:")
                .contains("client.authentication.k8s.io/v1").contains("/opt/gatehouse/gatehouse")
                .doesNotContain("insecure-skip-tls-verify");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.file(server()))))
                .isEqualTo("rw-------");

        CredentialCommand credential = new CredentialCommand();
        credential.cache = cache;
        Run printed = run(credential, "--server", server());
        assertThat(printed.exit()).as(printed.err()).isZero();
        JsonNode exec = new ObjectMapper().readTree(printed.out());
        assertThat(exec.path("kind").asText()).isEqualTo("ExecCredential");
        String token = exec.path("status").path("token").asText();

        AuthenticationResult result = OidcAuthenticator.of(gateway.vertx(), people).authenticate(new Credential(token))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        var identity = ((AuthenticationResult.Authenticated) result).identity();
        assertThat(identity.user()).isEqualTo("demo:alice");
        assertThat(identity.groups()).containsExactly("demo:developers");
    }

    @Test
    void refreshesSilentlyWhenTheTokenIsAboutToExpire() {
        TokenCache cache = new TokenCache(dir.resolve("config"));
        LoginCommand login = new LoginCommand();
        login.browser = LoginEndToEndTest::signInAsAlice;
        login.cache = cache;
        assertThat(run(login, "--server", server(), "--kubeconfig", dir.resolve("kc").toString()).exit()).isZero();
        String before = cache.load(server()).tokens().idToken();

        CredentialCommand credential = new CredentialCommand();
        credential.cache = cache;
        Run refreshed = run(credential, "--server", server(), "--min-validity", "100000");

        assertThat(refreshed.exit()).as(refreshed.err()).isZero();
        assertThat(cache.load(server()).tokens().idToken()).isNotEqualTo(before);
    }

    @Test
    void tellsTheUserToLogInWhenThereIsNoLogin() {
        CredentialCommand credential = new CredentialCommand();
        credential.cache = new TokenCache(dir.resolve("empty"));
        Run r = run(credential, "--server", server());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("gatehouse credential: not logged in to " + server()
                + "; run: gatehouse login --server " + server());
    }

    @Test
    void refusesAPlainHttpGatewayOffLoopback() {
        Run r = run(new CredentialCommand(), "--server", "http://gatehouse.example.com");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("expected an https URL");
    }
}
