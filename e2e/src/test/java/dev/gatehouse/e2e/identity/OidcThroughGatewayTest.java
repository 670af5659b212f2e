package dev.gatehouse.e2e.identity;

import static dev.gatehouse.e2e.identity.IdentityFixture.CI_PREFIX;
import static dev.gatehouse.e2e.identity.IdentityFixture.PEOPLE_PREFIX;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.authn.TokenFingerprint;
import dev.gatehouse.authn.delegation.TokenExchangeAudit;
import dev.gatehouse.e2e.GatewayAnswer;
import dev.gatehouse.e2e.KubectlRun;
import dev.gatehouse.sandbox.kubectl.Kubeconfig;
import dev.gatehouse.sandbox.kubectl.Kubectl;
import dev.gatehouse.sandbox.recording.ReceivedRequest;

/**
 * Identity end to end: the real kubectl 1.32 and the real {@code gatehouse} CLI, through the gateway to the
 * sandbox cluster, with real OIDC issuers in-process (a people IdP and a GitHub-Actions-style CI issuer, both
 * mock-oauth2-server), service-account tokens reviewed by their own cluster, and the gateway's token exchange.
 * Each case asserts kubectl's result (or the HTTP answer), what the sandbox received (identity as
 * impersonation headers; nothing at all for refused tokens), and the gateway's audit event with the same id.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OidcThroughGatewayTest {
    private static final String PODS = "/clusters/sandbox/api/v1/namespaces/dev/pods";
    private static final String SHOP_MAIN = CI_PREFIX + CiIssuer.subject("shop", "refs/heads/main");

    @TempDir
    static Path dir;
    static IdentityFixture fx;
    /** Every token a test presented: none of them may ever appear in the audit log. */
    static final List<String> presented = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        fx = new IdentityFixture(dir);
    }

    @AfterAll
    static void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    static KubectlRun kubectl(String token, String... args) {
        presented.add(token);
        try (Kubectl kubectl = fx.kubectl(token)) {
            return run(kubectl, args);
        }
    }

    static KubectlRun run(Kubectl kubectl, String... args) {
        return KubectlRun.of(fx.sandbox, () -> kubectl.run(Duration.ofSeconds(60), null, args));
    }

    /** The checks every forwarded request passes; returns its completed audit event. */
    static AuditEvent assertForwardedAs(ReceivedRequest got, String user, List<String> groups) {
        String auditId = got.header("Audit-ID");
        assertThat(got.headers("Impersonate-User")).containsExactly(user);
        assertThat(got.headers("Impersonate-Group")).containsExactlyElementsOf(groups);
        assertThat(got.header("Authorization")).isEqualTo("Bearer " + fx.sandbox.token());
        for (String token : presented) {
            assertThat(got.headers().toString()).doesNotContain(token);
        }
        AuditEvent event = fx.audit.completed(auditId);
        assertThat(event.user().username()).isEqualTo(user);
        assertThat(event.gatehouse().decision()).isEqualTo("allow");
        assertThat(event.gatehouse().cluster()).isEqualTo("sandbox");
        return event;
    }

    // ------------------------------------------------------------------------------------------------
    // Who may come in

    @Test
    @Order(1)
    void aPersonLogsInWithTheCliAndKubectlUsesItsExecPlugin() throws Exception {
        GatehouseCli cli = new GatehouseCli(Files.createDirectories(dir.resolve("cli")));
        try (Kubectl kubectl = Kubectl.create(new Kubeconfig(fx.url + "/clusters/sandbox", fx.gatewayCaPem,
                "placeholder-until-login", null, "dev"))) {
            GatehouseCli.Run login = cli.login(url -> fx.signIn("alice", url), Duration.ofSeconds(90),
                    "--server", fx.url, "--certificate-authority", fx.gatewayCa.toString(),
                    "--kubeconfig", kubectl.kubeconfig().toString(), "--exec-command", cli.launcher().toString(),
                    "--timeout", "PT60S");

            assertThat(login.exitCode()).as(login.stderr()).isZero();
            assertThat(login.stderr()).contains("Logged in to " + fx.url + " via " + fx.idp.issuerUrl())
                    .contains("gatehouse-sandbox");
            String kubeconfig = Files.readString(kubectl.kubeconfig());
            assertThat(kubeconfig).contains("server: " + fx.url + "/clusters/sandbox")
                    .contains(cli.launcher().toString()).contains("credential")
                    .doesNotContain("insecure-skip-tls-verify");

            KubectlRun run = run(kubectl, "--context", "gatehouse-sandbox", "get", "pods", "-n", "dev");

            assertThat(run.result().exitCode()).as(run.result().toString()).isZero();
            assertThat(run.result().stdout()).containsPattern("web-\\S+\\s+1/1\\s+Running");
            ReceivedRequest list = run.only("GET", "/api/v1/namespaces/dev/pods");
            AuditEvent event = assertForwardedAs(list, PEOPLE_PREFIX + "alice", List.of(PEOPLE_PREFIX + "developers"));
            assertThat(event.userAgent()).startsWith("kubectl");
            assertThat(event.gatehouse().authn().method()).isEqualTo("oidc");
            assertThat(event.gatehouse().authn().issuer()).isEqualTo(fx.idp.issuerUrl());
            assertThat(event.gatehouse().authn().credentialId()).startsWith("jti:");
            assertThat(event.gatehouse().authn().attributes()).containsEntry("email", "alice@demo.gatehouse.dev");
            try (Stream<Path> cached = Files.list(cli.configDir().resolve("credentials"))) {
                for (Path file : cached.toList()) {
                    String idToken = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile())
                            .path("id_token").asText();
                    assertThat(idToken).startsWith("eyJ");
                    presented.add(idToken);
                    assertThat(kubeconfig).as("the kubeconfig holds no token, only the exec plugin")
                            .doesNotContain(idToken);
                }
            }
        }
    }

    @Test
    @Order(2)
    void twoIssuersAtOnceAreToldApartByTheirPrefixes() {
        String person = fx.idp.idToken("alice", 600);
        String pipeline = fx.ci.jobToken("shop", "refs/heads/main", 600);
        String pipelineNamedAlice = fx.ci.sign(fx.ci.validClaims("shop", "refs/heads/main").subject("alice").build());

        KubectlRun asPerson = kubectl(person, "get", "configmaps", "-n", "dev");
        KubectlRun asPipeline = kubectl(pipeline, "get", "configmaps", "-n", "dev");
        KubectlRun asPipelineNamedAlice = kubectl(pipelineNamedAlice, "get", "configmaps", "-n", "dev");

        for (KubectlRun run : List.of(asPerson, asPipeline, asPipelineNamedAlice)) {
            assertThat(run.result().exitCode()).as(run.result().toString()).isZero();
            assertThat(run.result().stdout()).contains("app-config");
        }
        AuditEvent personEvent = assertForwardedAs(asPerson.only("GET", "/configmaps"), PEOPLE_PREFIX + "alice",
                List.of(PEOPLE_PREFIX + "developers"));
        AuditEvent pipelineEvent = assertForwardedAs(asPipeline.only("GET", "/configmaps"), SHOP_MAIN, List.of());
        AuditEvent impostorEvent = assertForwardedAs(asPipelineNamedAlice.only("GET", "/configmaps"),
                CI_PREFIX + "alice", List.of());
        assertThat(personEvent.gatehouse().authn().issuer()).isEqualTo(fx.idp.issuerUrl());
        assertThat(pipelineEvent.gatehouse().authn().issuer()).isEqualTo(fx.ci.issuerUrl());
        assertThat(impostorEvent.gatehouse().authn().issuer()).isEqualTo(fx.ci.issuerUrl());
    }

    @Test
    @Order(3)
    void aCiTokensClaimsAreIdentityAttributesInTheAuditEvent() {
        KubectlRun run = kubectl(fx.ci.jobToken("shop", "refs/heads/main", 600), "get", "deployment", "web", "-n", "dev");

        assertThat(run.result().exitCode()).as(run.result().toString()).isZero();
        ReceivedRequest get = run.only("GET", "/apis/apps/v1/namespaces/dev/deployments/web");
        AuditEvent event = assertForwardedAs(get, SHOP_MAIN, List.of());
        assertThat(event.gatehouse().authn().method()).isEqualTo("oidc");
        assertThat(event.gatehouse().authn().attributes())
                .containsEntry("ci.repository", "acme/shop")
                .containsEntry("ci.ref", "refs/heads/main")
                .containsEntry("ci.sha", "8f2d6c1b0e4a7d93c5b1f0e2a6d4c8b7e9f1a3c5")
                .containsEntry("ci.workflow", "deploy")
                .containsEntry("ci.workflow-ref", "acme/shop/.github/workflows/deploy.yml@refs/heads/main")
                .containsEntry("ci.actor", "octo-dev")
                .containsEntry("ci.event", "push")
                .containsEntry("ci.run-id", "4242");
        assertThat(get.headers().toString()).as("attributes stay in the audit log")
                .doesNotContain("octo-dev").doesNotContain("8f2d6c1b").doesNotContain("deploy.yml");
    }

    @Test
    @Order(4)
    void aServiceAccountTokenIsVerifiedByItsClustersTokenReview() {
        String saToken = fx.saCluster.serviceAccountToken("ci", "deployer", 600);
        int reviews = fx.saCluster.reviews().size();

        KubectlRun run = kubectl(saToken, "get", "pods", "-n", "dev");

        assertThat(run.result().exitCode()).as(run.result().toString()).isZero();
        String user = "system:serviceaccount:ci:deployer";
        AuditEvent event = assertForwardedAs(run.only("GET", "/api/v1/namespaces/dev/pods"), user,
                List.of("system:serviceaccounts", "system:serviceaccounts:ci", "system:authenticated"));
        assertThat(event.gatehouse().authn().method()).isEqualTo("service-account");
        assertThat(event.gatehouse().authn().issuer()).isEqualTo("cluster:" + IdentityFixture.SA_CLUSTER);
        String jti = jti(saToken);
        assertThat(event.gatehouse().authn().credentialId()).isEqualTo("JTI=" + jti);
        List<JsonNode> asked = fx.saCluster.reviews();
        assertThat(asked).hasSizeGreaterThan(reviews);
        assertThat(asked.get(asked.size() - 1).path("token").asText()).isEqualTo(saToken);
        assertThat(asked.get(asked.size() - 1).path("audiences").get(0).asText()).isEqualTo(TokenReviewCluster.ISSUER);

        // A token in the same shape that its cluster does not vouch for: 401, nothing forwarded
        String forged = saToken.substring(0, saToken.lastIndexOf('.') + 1) + signatureOf(
                fx.saCluster.serviceAccountToken("ci", "other", 600));
        presented.add(forged);
        int mark = fx.sandbox.received().size();
        GatewayAnswer refused = fx.get(PODS, forged);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().path("message").asText()).contains("did not accept the service-account token");
        assertThat(fx.receivedSince(mark)).isEmpty();
        assertRefusalAudited(refused, forged);
    }

    // ------------------------------------------------------------------------------------------------
    // Agents acting for someone

    @Test
    @Order(5)
    void aDelegatedAgentTokenCarriesTheActorChainIntoTheAuditEvent() throws Exception {
        String alice = fx.idp.idToken("alice", 600);
        String pipeline = fx.ci.jobToken("shop", "refs/heads/main", 600);
        presented.addAll(List.of(alice, pipeline));

        GatewayAnswer exchanged = fx.exchange(alice, pipeline);

        assertThat(exchanged.status()).as(exchanged.body()).isEqualTo(200);
        String delegated = exchanged.json().path("access_token").asText();
        String jti = jti(delegated);
        KubectlRun run = kubectl(delegated, "get", "pods", "-n", "dev");
        assertThat(run.result().exitCode()).as(run.result().toString()).isZero();
        AuditEvent request = assertForwardedAs(run.only("GET", "/api/v1/namespaces/dev/pods"), PEOPLE_PREFIX + "alice",
                List.of(PEOPLE_PREFIX + "developers"));
        assertThat(request.gatehouse().authn().method()).isEqualTo("delegated");
        assertThat(request.gatehouse().authn().actorChain()).containsExactly(SHOP_MAIN);
        assertThat(request.gatehouse().authn().credentialId()).isEqualTo("jti:" + jti);
        assertThat(request.gatehouse().authn().issuer()).isEqualTo(fx.idp.issuerUrl());

        // the exchange itself is evidence: same subject, same chain, the token's jti
        AuditEvent exchange = onlyEvent(exchanged.auditId());
        assertThat(exchange.gatehouse().type()).isEqualTo(TokenExchangeAudit.TYPE);
        assertThat(exchange.gatehouse().decision()).isEqualTo("allow");
        assertThat(exchange.user().username()).isEqualTo(PEOPLE_PREFIX + "alice");
        assertThat(exchange.gatehouse().authn().credentialId()).isEqualTo("jti:" + jti);
        assertThat(exchange.gatehouse().authn().actorChain()).containsExactly(SHOP_MAIN);
        assertThat(exchange.gatehouse().details()).containsEntry("actor", SHOP_MAIN)
                .containsEntry("actorIssuer", fx.ci.issuerUrl());

        // an agent the pipeline hands the work to: the chain grows, outermost first
        String saToken = fx.saCluster.serviceAccountToken("ci", "deployer", 600);
        GatewayAnswer nested = fx.exchange(delegated, saToken);
        assertThat(nested.status()).as(nested.body()).isEqualTo(200);
        String nestedToken = nested.json().path("access_token").asText();
        presented.addAll(List.of(saToken, nestedToken));
        GatewayAnswer get = fx.get(PODS, nestedToken);
        assertThat(get.status()).isEqualTo(200);
        assertThat(fx.audit.completed(get.auditId()).gatehouse().authn().actorChain())
                .containsExactly("system:serviceaccount:ci:deployer", SHOP_MAIN);

        // a delegated token cannot be an actor: refused, and that is evidence too
        GatewayAnswer refused = fx.exchange(alice, delegated);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("error").asText()).isEqualTo("invalid_request");
        AuditEvent refusal = onlyEvent(refused.auditId());
        assertThat(refusal.gatehouse().decision()).isEqualTo("refused");
        assertThat(refusal.user().username()).isEqualTo(PEOPLE_PREFIX + "alice");
        assertThat(refusal.gatehouse().reason()).contains("not a delegated one");
    }

    @Test
    @Order(6)
    void aDelegatedTokenIsRefusedWhenReusedAfterItsExchangeLifetime() throws Exception {
        String alice = fx.idp.idToken("alice", 600);
        String shortLivedJob = fx.ci.jobToken("shop", "refs/heads/main", 6);
        GatewayAnswer exchanged = fx.exchange(alice, shortLivedJob);
        assertThat(exchanged.status()).as(exchanged.body()).isEqualTo(200);
        assertThat(exchanged.json().path("expires_in").asLong()).as("never outlives the actor's token").isBetween(1L, 6L);
        String delegated = exchanged.json().path("access_token").asText();
        presented.addAll(List.of(alice, shortLivedJob, delegated));
        assertThat(fx.get(PODS, delegated).status()).isEqualTo(200);

        Instant exp = SignedJWT.parse(delegated).getJWTClaimsSet().getExpirationTime().toInstant();
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), exp).toMillis()) + 1_000);
        int mark = fx.sandbox.received().size();
        KubectlRun reused = kubectl(delegated, "get", "pods", "-n", "dev");
        GatewayAnswer again = fx.get(PODS, delegated);

        assertThat(reused.result().exitCode()).isEqualTo(1);
        assertThat(reused.result().stderr()).contains("You must be logged in to the server");
        assertThat(again.status()).isEqualTo(401);
        assertThat(again.json().path("message").asText()).containsIgnoringCase("expired");
        assertThat(fx.receivedSince(mark)).as("nothing forwarded").isEmpty();
        AuditEvent event = assertRefusalAudited(again, delegated);
        assertThat(event.gatehouse().authn().credentialId()).isEqualTo("jti:" + jti(delegated));
    }

    // ------------------------------------------------------------------------------------------------
    // Keys

    @Test
    @Order(7)
    void theIdpRotatesItsSigningKeyWithoutDowntime() throws Exception {
        String before = fx.ci.jobToken("shop", "refs/heads/main", 600);
        String beforeNotYetShown = fx.ci.jobToken("shop", "refs/heads/release", 600);
        presented.addAll(List.of(before, beforeNotYetShown));
        assertThat(fx.get(PODS, before).status()).isEqualTo(200);

        RSAKey old = fx.ci.currentKey();
        RSAKey next = fx.ci.rotate();
        String after = fx.ci.jobToken("shop", "refs/heads/main", 600);
        assertThat(SignedJWT.parse(after).getHeader().getKeyID()).isEqualTo(next.getKeyID()).isNotEqualTo(old.getKeyID());
        // the gateway refetches keys for an unknown kid at most every 10 s: wait out the interval since its last fetch
        Instant allowed = fx.ci.lastJwksFetch().plusSeconds(11);
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), allowed).toMillis()));
        int fetches = fx.ci.jwksFetches();

        KubectlRun run = kubectl(after, "get", "pods", "-n", "dev");

        assertThat(run.result().exitCode()).as("the new key is fetched, no restart: " + run.result()).isZero();
        assertForwardedAs(run.only("GET", "/api/v1/namespaces/dev/pods"), SHOP_MAIN, List.of());
        assertThat(fx.ci.jwksFetches()).isGreaterThan(fetches);
        GatewayAnswer oldKeyStillPublished = fx.get(PODS, beforeNotYetShown);
        assertThat(oldKeyStillPublished.status()).as("a token signed before the rotation, shown only now").isEqualTo(200);
        assertThat(fx.audit.completed(oldKeyStillPublished.auditId()).user().username())
                .isEqualTo(CI_PREFIX + CiIssuer.subject("shop", "refs/heads/release"));
    }

    // ------------------------------------------------------------------------------------------------
    // Hostile tokens

    static Stream<Arguments> hostileTokens() {
        Instant now = Instant.now();
        return Stream.of(
                hostile("expired", "Expired JWT", ci -> ci.sign(ci.validClaims("shop", "refs/heads/main")
                        .issueTime(Date.from(now.minusSeconds(1200))).notBeforeTime(Date.from(now.minusSeconds(1200)))
                        .expirationTime(Date.from(now.minusSeconds(600))).build())),
                hostile("expired within the clock skew", "the token has expired", ci -> ci.sign(
                        ci.validClaims("shop", "refs/heads/main").issueTime(Date.from(now.minusSeconds(60)))
                                .notBeforeTime(Date.from(now.minusSeconds(60)))
                                .expirationTime(Date.from(now.minusSeconds(5))).build())),
                hostile("not yet valid", "JWT before use time", ci -> ci.sign(ci.validClaims("shop", "refs/heads/main")
                        .notBeforeTime(Date.from(now.plusSeconds(600))).expirationTime(Date.from(now.plusSeconds(1200)))
                        .build())),
                hostile("wrong audience", "JWT aud claim rejected", ci -> ci.sign(ci.validClaims("shop", "refs/heads/main")
                        .audience("some-other-service").build())),
                hostile("wrong issuer", "not recognised by any configured authenticator", ci -> ci.sign(
                        ci.validClaims("shop", "refs/heads/main").issuer("https://token.actions.example.net").build())),
                hostile("unknown key", "does not verify with any of the issuer's current keys", ci -> CiIssuer.sign(
                        ci.validClaims("shop", "refs/heads/main").build(), CiIssuer.unpublishedKey("not-published"))),
                hostile("alg none", "unsigned tokens (alg none) are never accepted", ci ->
                        new PlainJWT(ci.validClaims("shop", "refs/heads/main").build()).serialize()),
                hostile("HMAC with the issuer's public key", "algorithm HS256 is not allowed", OidcThroughGatewayTest::hmacWithPublicKey),
                hostile("tampered payload", "does not verify with any of the issuer's current keys", OidcThroughGatewayTest::tampered),
                hostile("CR in a claim", "claim 'sub' is empty or contains characters", ci -> ci.sign(
                        ci.validClaims("shop", "refs/heads/main").subject("repo:acme/shop\rImpersonate-User: admin").build())),
                hostile("LF in a claim", "claim 'sub' is empty or contains characters", ci -> ci.sign(
                        ci.validClaims("shop", "refs/heads/main").subject("repo:acme/shop\nImpersonate-Group: system:masters").build())),
                hostile("NUL in a claim", "claim 'repository' is empty or contains characters", ci -> ci.sign(
                        ci.validClaims("shop", "refs/heads/main").claim("repository", "acme/shop\u0000admin").build())));
    }

    static Arguments hostile(String name, String why, Function<CiIssuer, String> token) {
        return Arguments.of(name, why, token);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileTokens")
    @Order(8)
    void aHostileTokenGets401NothingIsForwardedAndTheAttemptIsAudited(String name, String why,
                                                                       Function<CiIssuer, String> make) {
        String token = make.apply(fx.ci);
        int mark = fx.sandbox.received().size();

        KubectlRun run = kubectl(token, "get", "pods", "-n", "dev");
        GatewayAnswer answer = fx.get(PODS, token);

        assertThat(run.result().exitCode()).as(run.result().toString()).isEqualTo(1);
        assertThat(run.result().stderr()).contains("error: You must be logged in to the server");
        assertThat(answer.status()).isEqualTo(401);
        JsonNode status = answer.json();
        assertThat(status.path("kind").asText()).isEqualTo("Status");
        assertThat(status.path("code").asInt()).isEqualTo(401);
        assertThat(status.path("reason").asText()).isEqualTo("Unauthorized");
        assertThat(status.path("message").asText()).contains(why);
        assertThat(fx.receivedSince(mark)).as("nothing forwarded").isEmpty();
        assertRefusalAudited(answer, token);
    }

    @Test
    @Order(99)
    void noPresentedTokenIsEverWrittenToTheAuditLog() {
        String raw = fx.audit.raw();
        assertThat(presented).hasSizeGreaterThan(15);
        for (String token : presented) {
            assertThat(raw).doesNotContain(token);
            String[] parts = token.split("\\.");
            assertThat(raw).doesNotContain(parts[1]);
        }
    }

    // ------------------------------------------------------------------------------------------------

    /** The refusal's completed event: refused, anonymous, 401, naming the credential by jti or fingerprint only. */
    static AuditEvent assertRefusalAudited(GatewayAnswer answer, String token) {
        AuditEvent event = fx.audit.completed(answer.auditId());
        assertThat(event.gatehouse().decision()).isEqualTo("refused");
        assertThat(event.user().username()).isEqualTo("system:anonymous");
        assertThat(event.responseStatus().code()).isEqualTo(401);
        assertThat(event.gatehouse().authn()).as("the refused credential is named").isNotNull();
        assertThat(event.gatehouse().authn().method()).isNull();
        Set<String> ids = Set.of(TokenFingerprint.of(token), "jti:" + jtiOrEmpty(token));
        assertThat(event.gatehouse().authn().credentialId()).isIn(ids);
        String json = dev.gatehouse.audit.AuditEventJson.toJson(event);
        assertThat(json).doesNotContain(token).doesNotContain(token.split("\\.")[1]);
        return event;
    }

    static AuditEvent onlyEvent(String auditId) {
        List<AuditEvent> events = fx.audit.eventsFor(auditId);
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    static String jti(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet().getJWTID();
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    static String jtiOrEmpty(String token) {
        try {
            String jti = com.nimbusds.jwt.JWTParser.parse(token).getJWTClaimsSet().getJWTID();
            return jti == null ? "" : jti;
        } catch (java.text.ParseException e) {
            return "";
        }
    }

    static String signatureOf(String token) {
        return token.substring(token.lastIndexOf('.') + 1);
    }

    /** The classic confusion: HS256 keyed with the issuer's public key, hoping the verifier uses it as the secret. */
    static String hmacWithPublicKey(CiIssuer ci) {
        try {
            RSAKey key = ci.currentKey();
            String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(key.toRSAPublicKey().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.getKeyID()).build(),
                    ci.validClaims("shop", "refs/heads/main").build());
            jwt.sign(new MACSigner(pem.getBytes(StandardCharsets.US_ASCII)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A real job token whose payload was edited (another branch) after signing. */
    static String tampered(CiIssuer ci) {
        String token = ci.jobToken("shop", "refs/heads/feature", 600);
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("refs/heads/feature", "refs/heads/main");
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }
}
