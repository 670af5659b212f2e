package dev.gatehouse.sandbox.idp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatehouse.authn.AuthenticationResult;
import dev.gatehouse.authn.Credential;
import dev.gatehouse.authn.oidc.OidcAuthenticator;
import io.vertx.core.Vertx;

/** The sandbox IdP's RFC 8628 device flow, over HTTP as a client and a person would use it. */
class DeviceAuthorizationTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;
    SandboxIdentityProvider idp;

    @AfterEach
    void stop() {
        if (idp != null) {
            idp.close();
        }
    }

    record Reply(int status, JsonNode json, String body) {
    }

    static Reply post(String url, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json;
        try {
            json = JSON.readTree(r.body());
        } catch (Exception e) {
            json = JSON.createObjectNode();
        }
        return new Reply(r.statusCode(), json, r.body());
    }

    static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    JsonNode discovery() throws Exception {
        return JSON.readTree(get(idp.issuerUrl() + "/.well-known/openid-configuration"));
    }

    JsonNode start() throws Exception {
        Reply r = post(discovery().path("device_authorization_endpoint").asText(),
                Map.of("client_id", "gatehouse", "scope", "openid profile email offline_access"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    Reply poll(JsonNode started) throws Exception {
        return post(discovery().path("token_endpoint").asText(), Map.of("grant_type",
                "urn:ietf:params:oauth:grant-type:device_code", "device_code", started.path("device_code").asText(),
                "client_id", "gatehouse"));
    }

    @Test
    void advertisesTheDeviceEndpointAndKeepsTheIssuer() throws Exception {
        idp = SandboxIdentityProvider.start(0, DemoUser.defaults(), dir);
        JsonNode doc = discovery();
        assertThat(doc.path("issuer").asText()).isEqualTo(idp.issuerUrl());
        assertThat(doc.path("device_authorization_endpoint").asText()).isEqualTo(idp.issuerUrl() + "/device_authorization");
        assertThat(doc.path("token_endpoint").asText()).isEqualTo(idp.issuerUrl() + "/token");
        assertThat(doc.path("authorization_endpoint").asText()).isEqualTo(idp.issuerUrl() + "/authorize");
        assertThat(doc.path("jwks_uri").asText()).isNotEmpty();
    }

    @Test
    void pendingThenSlowDownThenTokensTheGatewayAcceptsThenRefresh() throws Exception {
        idp = SandboxIdentityProvider.start(0, DemoUser.defaults(), dir, Duration.ofMinutes(1), Duration.ofSeconds(1));
        JsonNode started = start();
        assertThat(started.path("user_code").asText()).matches("[B-Z]{4}-[B-Z]{4}");
        assertThat(started.path("verification_uri").asText()).isEqualTo(idp.deviceVerificationUrl());
        assertThat(started.path("verification_uri_complete").asText())
                .isEqualTo(idp.deviceVerificationUrl() + "?user_code=" + started.path("user_code").asText());
        assertThat(started.path("expires_in").asLong()).isEqualTo(60);
        assertThat(started.path("interval").asLong()).isEqualTo(1);

        assertThat(poll(started).json().path("error").asText()).isEqualTo("slow_down");
        Thread.sleep(6_100); // the interval is now 1 + 5 s
        Reply pending = poll(started);
        assertThat(pending.status()).isEqualTo(400);
        assertThat(pending.json().path("error").asText()).isEqualTo("authorization_pending");

        String page = get(started.path("verification_uri_complete").asText());
        assertThat(page).contains("value=\"" + started.path("user_code").asText() + "\"").contains("Approve as bob");
        // as a person would type it: lower case, no dash
        String typed = started.path("user_code").asText().replace("-", "").toLowerCase();
        assertThat(post(idp.deviceVerificationUrl(), Map.of("user_code", typed, "username", "bob")).body())
                .contains("Signed in as bob");

        Thread.sleep(6_100);
        Reply tokens = poll(started);
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        assertThat(tokens.json().path("refresh_token").asText()).isNotEmpty();
        assertAccepted(tokens.json().path("id_token").asText(), "demo:bob");

        Thread.sleep(6_100);
        assertThat(poll(started).json().path("error").asText()).isEqualTo("invalid_grant");

        Reply refreshed = post(idp.issuerUrl() + "/token", Map.of("grant_type", "refresh_token",
                "refresh_token", tokens.json().path("refresh_token").asText(), "client_id", "gatehouse"));
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        assertAccepted(refreshed.json().path("id_token").asText(), "demo:bob");
    }

    @Test
    void deniedIsAccessDenied() throws Exception {
        idp = SandboxIdentityProvider.start(0, DemoUser.defaults(), dir, Duration.ofMinutes(1), Duration.ofSeconds(1));
        JsonNode started = start();
        assertThat(post(idp.deviceVerificationUrl(), Map.of("user_code", started.path("user_code").asText(),
                "action", "deny")).body()).contains("denied");
        Thread.sleep(1_100);
        assertThat(poll(started).json().path("error").asText()).isEqualTo("access_denied");
    }

    @Test
    void expiredIsExpiredToken() throws Exception {
        idp = SandboxIdentityProvider.start(0, DemoUser.defaults(), dir, Duration.ofSeconds(1), Duration.ofSeconds(1));
        JsonNode started = start();
        Thread.sleep(1_200);
        assertThat(post(idp.deviceVerificationUrl(), Map.of("user_code", started.path("user_code").asText(),
                "username", "alice")).body()).contains("Unknown or expired code");
        assertThat(poll(started).json().path("error").asText()).isEqualTo("expired_token");
    }

    @Test
    void theCodeFlowStillWorksThroughTheMockServer() throws Exception {
        idp = SandboxIdentityProvider.start(0, DemoUser.defaults(), dir);
        Reply r = post(idp.issuerUrl() + "/token", Map.of("grant_type", "refresh_token", "refresh_token", "nope",
                "client_id", "gatehouse"));
        // not one of the device flow's refresh tokens: mock-oauth2-server answers (whatever it answers)
        assertThat(r.status()).isNotZero();
        assertThat(get(idp.issuerUrl() + "/authorize?client_id=gatehouse&response_type=code&scope=openid"
                + "&redirect_uri=http://127.0.0.1:1/cb&state=s")).contains("Sign in as alice");
    }

    void assertAccepted(String idToken, String user) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            AuthenticationResult result = OidcAuthenticator.of(vertx, idp.issuerConfig("authentication.oidc[0]"))
                    .authenticate(new Credential(idToken)).toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertThat(result).isInstanceOf(AuthenticationResult.Authenticated.class);
            assertThat(((AuthenticationResult.Authenticated) result).identity().user()).isEqualTo(user);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
