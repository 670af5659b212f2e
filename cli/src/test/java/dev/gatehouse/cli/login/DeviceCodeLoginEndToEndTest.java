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
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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

/**
 * gatehouse login --device-code against the sandbox IdP: the "user" reads the printed instruction, opens the
 * verification page over HTTP and approves (or denies, or is too late); then the exec plugin, then the gateway.
 */
@Timeout(60)
class DeviceCodeLoginEndToEndTest {
    static final Pattern INSTRUCTION = Pattern.compile("To sign in, open (\\S+) and enter the code ([A-Z]{4}-[A-Z]{4})");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;
    SandboxIdentityProvider idp;
    LoginMetadataServer gateway;
    OidcIssuerConfig people;
    CompletableFuture<String> user = new CompletableFuture<>();

    void start(Duration codeLifetime) throws Exception {
        idp = SandboxIdentityProvider.start(0, DemoUser.defaults(), dir.resolve("idp"), codeLifetime,
                Duration.ofSeconds(1));
        people = idp.issuerConfig("authentication.oidc[0]");
        gateway = LoginMetadataServer.start(people);
    }

    @AfterEach
    void stop() throws Exception {
        if (idp != null) {
            idp.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    String server() {
        return gateway.url();
    }

    record Run(int exit, String out, String err) {
    }

    static Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /**
     * A person on another machine: after a moment (so the CLI sees authorization_pending first), opens the
     * verification page, checks the code is shown, and presses a button on the form.
     */
    void person(String instruction, String field, String value, long delayMillis) {
        Matcher m = INSTRUCTION.matcher(instruction);
        if (!m.find()) {
            user.completeExceptionally(new AssertionError("no instruction in: " + instruction));
            return;
        }
        String page = m.group(1);
        String code = m.group(2);
        CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(delayMillis);
                String form = HTTP.send(HttpRequest.newBuilder(URI.create(page)).timeout(Duration.ofSeconds(10))
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(form).contains("Approve as alice");
                String body = "user_code=" + URLEncoder.encode(code, StandardCharsets.UTF_8) + "&" + field + "="
                        + URLEncoder.encode(value, StandardCharsets.UTF_8);
                user.complete(HTTP.send(HttpRequest.newBuilder(URI.create(page)).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
            } catch (Throwable e) {
                user.completeExceptionally(e);
            }
        });
    }

    @Test
    void approvedOnTheVerificationPageWritesKubeconfigWhoseTokenTheGatewayAccepts() throws Exception {
        start(Duration.ofMinutes(1));
        TokenCache cache = new TokenCache(dir.resolve("config"));
        Path kubeconfig = dir.resolve("kube/config");
        Path ca = Files.writeString(dir.resolve("gateway-ca.crt"),
                dev.gatehouse.listen.CertificateAuthority.create("gateway-ca", Duration.ofDays(1)).certificatePem());
        LoginCommand login = new LoginCommand();
        login.browser = url -> {
            throw new AssertionError("the device flow opened a browser: " + url);
        };
        login.devicePrompt = line -> person(line, "username", "alice", 1500);
        login.cache = cache;

        Run loggedIn = run(login, "--server", server(), "--device-code", "--kubeconfig", kubeconfig.toString(),
                "--exec-command", "/opt/gatehouse/gatehouse", "--timeout", "PT30S",
                "--certificate-authority", ca.toString());

        assertThat(loggedIn.exit()).as(loggedIn.err()).isZero();
        assertThat(user.get(5, TimeUnit.SECONDS)).contains("Signed in as alice");
        assertThat(loggedIn.err()).containsOnlyOnce("To sign in, open " + idp.deviceVerificationUrl()
                + " and enter the code ").contains("gatehouse-prod, gatehouse-staging");
        assertThat(Files.readString(kubeconfig)).contains("server: " + server() + "/clusters/prod")
                .contains("client.authentication.k8s.io/v1").contains("/opt/gatehouse/gatehouse");
        assertThat(cache.load(server()).tokens().refreshToken()).isNotNull();

        CredentialCommand credential = new CredentialCommand();
        credential.cache = cache;
        Run printed = run(credential, "--server", server());
        assertThat(printed.exit()).as(printed.err()).isZero();
        JsonNode exec = new ObjectMapper().readTree(printed.out());
        assertThat(exec.path("kind").asText()).isEqualTo("ExecCredential");
        assertAlice(exec.path("status").path("token").asText());

        // the refresh token from the device flow works too (the exec plugin refreshes near expiry)
        Run refreshed = run(credential, "--server", server(), "--min-validity", "100000");
        assertThat(refreshed.exit()).as(refreshed.err()).isZero();
        assertAlice(new ObjectMapper().readTree(refreshed.out()).path("status").path("token").asText());
    }

    void assertAlice(String token) throws Exception {
        AuthenticationResult result = OidcAuthenticator.of(gateway.vertx(), people).authenticate(new Credential(token))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(result).isInstanceOf(AuthenticationResult.Authenticated.class);
        var identity = ((AuthenticationResult.Authenticated) result).identity();
        assertThat(identity.user()).isEqualTo("demo:alice");
        assertThat(identity.groups()).containsExactly("demo:developers");
    }

    @Test
    void deniedOnTheVerificationPageFailsWithOneLine() throws Exception {
        start(Duration.ofMinutes(1));
        LoginCommand login = new LoginCommand();
        login.devicePrompt = line -> person(line, "action", "deny", 500);
        login.cache = new TokenCache(dir.resolve("config"));
        Path kubeconfig = dir.resolve("kc");

        Run r = run(login, "--server", server(), "--device-code", "--kubeconfig", kubeconfig.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(user.get(5, TimeUnit.SECONDS)).contains("denied");
        assertThat(r.err().lines().filter(l -> l.startsWith("gatehouse login:")).toList())
                .containsExactly("gatehouse login: the sign-in was denied at the identity provider");
        assertThat(kubeconfig).doesNotExist();
        assertThat(login.cache.load(server())).isNull();
    }

    @Test
    void notApprovedBeforeTheCodeExpiresFailsWithOneLine() throws Exception {
        start(Duration.ofSeconds(3));
        LoginCommand login = new LoginCommand();
        login.devicePrompt = line -> { }; // nobody comes
        login.cache = new TokenCache(dir.resolve("config"));

        Run r = run(login, "--server", server(), "--device-code", "--kubeconfig", dir.resolve("kc").toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).containsPattern("gatehouse login: the code [A-Z]{4}-[A-Z]{4} expired before the sign-in "
                + "was approved; run gatehouse login --device-code again");
    }
}
