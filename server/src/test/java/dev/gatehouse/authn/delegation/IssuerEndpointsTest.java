package dev.gatehouse.authn.delegation;

import static dev.gatehouse.authn.oidc.TestTokens.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditEventJson;
import dev.gatehouse.audit.MemoryAuditLog;
import dev.gatehouse.authn.TokenFingerprint;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

class IssuerEndpointsTest {
    final DelegationFixture f = new DelegationFixture();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final MemoryAuditLog log = new MemoryAuditLog();
    Vertx vertx;
    HttpServer server;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        IssuerEndpoints endpoints = new IssuerEndpoints(f.issuer, f.exchange, new TokenExchangeAudit(log));
        server = await(vertx.createHttpServer().requestHandler(req -> {
            if (!endpoints.handle(req)) {
                req.response().setStatusCode(404).end("not mine");
            }
        }).listen(0, "127.0.0.1"));
    }

    @AfterEach
    void stop() {
        await(vertx.close());
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.actualPort() + path);
    }

    @Test
    void servesDiscoveryAndJwks() throws Exception {
        HttpResponse<String> discovery = send(HttpRequest.newBuilder(uri("/.well-known/openid-configuration")));
        HttpResponse<String> jwks = send(HttpRequest.newBuilder(uri("/openid/v1/jwks")));
        assertThat(discovery.statusCode()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(discovery.body()).path("token_endpoint").asText())
                .isEqualTo("https://gatehouse.example.com/oauth2/token");
        assertThat(new ObjectMapper().readTree(jwks.body()).path("keys").get(0).path("kty").asText()).isEqualTo("EC");
    }

    HttpResponse<String> postExchange(String subjectToken, String actorToken) throws Exception {
        String body = f.form(subjectToken, actorToken).entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(uri("/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    AuditEvent onlyEventOf(HttpResponse<String> response) {
        String id = response.headers().firstValue("Audit-ID").orElseThrow();
        assertThat(log.eventsFor(id)).hasSize(1);
        return log.eventsFor(id).get(0);
    }

    @Test
    void exchangesTokensOverHttp() throws Exception {
        HttpResponse<String> response = postExchange(f.idpToken("alice", 600), f.idpToken("agent-1", 600));
        JsonNode json = new ObjectMapper().readTree(response.body());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json.path("issued_token_type").asText()).isEqualTo(TokenExchange.JWT_TYPE);
        assertThat(json.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(json.path("expires_in").asLong()).isEqualTo(300);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void recordsTheIssuedTokenBeforeHandingItOut() throws Exception {
        String subject = f.idpToken("alice", 600);
        String actor = f.idpToken("agent-1", 600);
        HttpResponse<String> response = postExchange(subject, actor);
        String token = new ObjectMapper().readTree(response.body()).path("access_token").asText();
        String jti = com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet().getJWTID();

        AuditEvent event = onlyEventOf(response);
        assertThat(event.gatehouse().type()).isEqualTo(TokenExchangeAudit.TYPE);
        assertThat(event.gatehouse().decision()).isEqualTo("allow");
        assertThat(event.user().username()).isEqualTo("corp:alice");
        assertThat(event.verb()).isEqualTo("create");
        assertThat(event.requestURI()).isEqualTo("/oauth2/token");
        assertThat(event.responseStatus().code()).isEqualTo(200);
        assertThat(event.objectRef().resource()).isEqualTo("tokenexchanges");
        assertThat(event.objectRef().name()).isEqualTo("jti:" + jti);
        assertThat(event.gatehouse().authn().method()).isEqualTo("delegated");
        assertThat(event.gatehouse().authn().credentialId()).isEqualTo("jti:" + jti);
        assertThat(event.gatehouse().authn().actorChain()).containsExactly("corp:agent-1");
        assertThat(event.gatehouse().details()).containsEntry("actor", "corp:agent-1")
                .containsEntry("actorMethod", "oidc").containsKeys("subjectCredential", "actorCredential", "expiresAt");
        String json = AuditEventJson.toJson(event);
        assertThat(json).doesNotContain(token).doesNotContain(subject).doesNotContain(actor);
    }

    @Test
    void recordsARefusedExchangeWithTheSubjectAsAnonymous() throws Exception {
        String forged = f.idpToken("alice", 600) + "x";
        HttpResponse<String> response = postExchange(forged, f.idpToken("agent-1", 600));

        assertThat(response.statusCode()).isEqualTo(400);
        AuditEvent event = onlyEventOf(response);
        assertThat(event.gatehouse().type()).isEqualTo(TokenExchangeAudit.TYPE);
        assertThat(event.gatehouse().decision()).isEqualTo("refused");
        assertThat(event.user().username()).isEqualTo("system:anonymous");
        assertThat(event.responseStatus().code()).isEqualTo(400);
        assertThat(event.responseStatus().reason()).isEqualTo("invalid_grant");
        assertThat(event.gatehouse().authn().credentialId()).isEqualTo(TokenFingerprint.of(forged));
        assertThat(event.gatehouse().details()).containsEntry("actor", "corp:agent-1");
        assertThat(AuditEventJson.toJson(event)).doesNotContain(forged);
    }

    @Test
    void recordsMalformedRequestsToo() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/oauth2/token"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("x")));
        assertThat(response.statusCode()).isEqualTo(400);
        AuditEvent event = onlyEventOf(response);
        assertThat(event.gatehouse().decision()).isEqualTo("refused");
        assertThat(event.gatehouse().authn()).isNull();
    }

    @Test
    void handsOutNoTokenWhenTheExchangeCannotBeRecorded() throws Exception {
        log.failWith("disk full");
        HttpResponse<String> response = postExchange(f.idpToken("alice", 600), f.idpToken("agent-1", 600));

        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode json = new ObjectMapper().readTree(response.body());
        assertThat(json.path("error").asText()).isEqualTo("temporarily_unavailable");
        assertThat(json.has("access_token")).isFalse();
        assertThat(response.body()).doesNotContain("eyJ");
    }

    @Test
    void answersOauthErrorsAsJson() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&grant_type=x")));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(new ObjectMapper().readTree(response.body()).path("error").asText()).isEqualTo("invalid_request");
    }

    @Test
    void leavesOtherPathsAlone() throws Exception {
        assertThat(send(HttpRequest.newBuilder(uri("/clusters/prod/api"))).body()).isEqualTo("not mine");
    }

    @Test
    void parsesFormsRefusingRepeatedParameters() {
        assertThat(IssuerEndpoints.parseForm("a=1&b=x%20y")).isEqualTo(Map.of("a", "1", "b", "x y"));
        assertThat(IssuerEndpoints.parseForm("a=1&a=2")).isNull();
    }
}
