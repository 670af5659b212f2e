package dev.gatehouse.e2e.apiserver;

import static dev.gatehouse.e2e.apiserver.GatewayInFront.CLUSTER;
import static dev.gatehouse.e2e.apiserver.RealApiServer.ALICE;
import static dev.gatehouse.e2e.apiserver.RealApiServer.GATEWAY_USER;
import static dev.gatehouse.e2e.apiserver.RealApiServer.TEAM_A;
import static dev.gatehouse.e2e.apiserver.RealApiServer.TEAM_B;
import static dev.gatehouse.e2e.apiserver.RealApiServer.completed;
import static dev.gatehouse.e2e.apiserver.RealApiServer.texts;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.e2e.GatewayAnswer;
import dev.gatehouse.forward.issued.IssuedTokenMinter;
import dev.gatehouse.identity.AuthenticationMethod;
import dev.gatehouse.identity.Identity;
import dev.gatehouse.listen.CertificateAuthority;
import dev.gatehouse.sandbox.kubectl.Kubectl;
import dev.gatehouse.sandbox.kubectl.KubectlResult;

/**
 * The {@code issued-token} mode against a real kube-apiserver 1.20 whose OIDC authenticator trusts the
 * gateway's own issuer ({@code --oidc-issuer-url} = the gateway's https URL, {@code --oidc-ca-file} = the
 * gateway's CA, claim flags matching what {@link IssuedTokenMinter} writes). The gateway holds no RBAC at all
 * — in particular no {@code impersonate} — yet alice's kubectl works through it, with the cluster enforcing
 * alice's own RBAC and its audit log naming alice as the user, joined to the gateway's log by the request id.
 */
@Timeout(120)
class IssuedTokenOnRealApiServerTest {
    static final String AUDIENCE = "cluster-real";
    static final Duration LIFETIME = Duration.ofSeconds(5);
    private static final List<String> ALICE_GROUPS = List.of("team-a-devs", "gatehouse-users");
    private static final Duration AUDIT_WAIT = Duration.ofSeconds(10);
    private static final String PODS_A = "/api/v1/namespaces/" + TEAM_A + "/pods";

    @TempDir
    static Path tmp;
    static RealApiServer apiServer;
    static GatewayInFront gateway;
    static Kubectl alice;

    @RegisterExtension
    static final RealApiServerLifecycle LIFECYCLE = new RealApiServerLifecycle(() -> gateway, () -> apiServer);

    @BeforeAll
    static void start() throws IOException {
        int port = freePort();
        String issuerUrl = "https://127.0.0.1:" + port;
        CertificateAuthority.WrittenFiles tls = GatewayInFront.tls(tmp.resolve("gateway"));
        apiServer = LIFECYCLE.start(() -> RealApiServer.builder().addArgs(
                "--oidc-issuer-url=" + issuerUrl,
                "--oidc-client-id=" + AUDIENCE,
                "--oidc-ca-file=" + tls.ca(),
                "--oidc-username-claim=username",
                "--oidc-username-prefix=-",
                "--oidc-groups-claim=groups",
                "--oidc-signing-algs=ES256",
                "--oidc-required-claim=token_use=upstream").start());
        if (apiServer == null) {
            return;
        }
        // alice may read pods in team-a, nothing else; the gateway's own user gets no role at all
        apiServer.createNamespace(TEAM_A);
        apiServer.createNamespace(TEAM_B);
        apiServer.createPod(TEAM_A, "a-1");
        apiServer.createPod(TEAM_A, "a-2");
        apiServer.createPod(TEAM_B, "b-1");
        apiServer.grantPodReader(ALICE, TEAM_A);
        gateway = GatewayInFront.startIssuingTokens(apiServer, tmp.resolve("gateway"),
                List.of(new GatewayInFront.User(ALICE, "uid-alice", ALICE_GROUPS)), port, tls, AUDIENCE, LIFETIME);
        alice = gateway.kubectl(ALICE);
        awaitOidcAuthenticator();
    }

    /**
     * kube-apiserver 1.20 fetches the issuer's discovery document in the background, every 10 s until it
     * succeeds; until then it answers 401 to every issued token. The gateway started after the apiserver.
     */
    static void awaitOidcAuthenticator() {
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        GatewayAnswer last = null;
        while (System.nanoTime() < deadline) {
            last = gateway.get("/clusters/" + CLUSTER + PODS_A, gateway.token(ALICE), Map.of());
            if (last.status() == 200) {
                return;
            }
            sleep(1_000);
        }
        throw new AssertionError("the apiserver never accepted a Gatehouse-issued token: " + last);
    }

    @Test
    void aliceListsTeamAPodsAndTheClustersAuditLogNamesHerNotTheGateway() {
        int mark = gateway.mark();
        KubectlResult r = alice.run("get", "pods", "-n", TEAM_A);

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("a-1", "a-2").doesNotContain("b-1");
        AuditEvent list = gatehouseEvent(mark, TEAM_A);
        assertThat(list.responseStatus().code()).isEqualTo(200);
        JsonNode upstream = apiServerEventFor(list.auditID());
        assertThat(upstream.path("responseStatus").path("code").asInt()).isEqualTo(200);
        assertThat(upstream.path("verb").asText()).isEqualTo("list");
    }

    @Test
    void aliceIsRefusedInTeamBByTheApiServerItself() {
        int mark = gateway.mark();
        KubectlResult r = alice.run("get", "pods", "-n", TEAM_B);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stderr()).contains("Error from server (Forbidden): pods is forbidden: User \"alice\" cannot list"
                + " resource \"pods\" in API group \"\" in the namespace \"team-b\"");
        AuditEvent list = gatehouseEvent(mark, TEAM_B);
        assertThat(list.responseStatus().code()).as("the gateway let it through; the cluster refused").isEqualTo(403);
        assertThat(apiServerEventFor(list.auditID()).path("responseStatus").path("code").asInt()).isEqualTo(403);
    }

    @Test
    void theGatewaysOwnCredentialMayNotImpersonate() {
        RealApiServer.Response asGateway = apiServer.get(PODS_A, apiServer.gatewayToken(),
                Map.of("Impersonate-User", ALICE));
        assertThat(asGateway.status()).isEqualTo(403);
        assertThat(asGateway.body()).contains("User \\\"" + GATEWAY_USER + "\\\" cannot impersonate resource \\\"users\\\"");
        assertThat(apiServer.get(PODS_A, apiServer.gatewayToken()).status()).isEqualTo(403);
    }

    @Test
    void anIssuedTokenReplayedAfterItsLifetimeIsRefused() throws Exception {
        // the same minter, key and audience as the gateway's upstream requests
        IssuedTokenMinter minter = new IssuedTokenMinter(gateway.issuer(), LIFETIME, Clock.systemUTC());
        Identity identity = new Identity(ALICE, "uid-alice", ALICE_GROUPS, "tokens.csv",
                AuthenticationMethod.STATIC_TOKEN, List.of(), Map.of(), "sha256:replayed", null);
        Instant usedAt = Instant.now();
        String used = minter.mint(identity, UUID.randomUUID().toString(), AUDIENCE);
        String unused = minter.mint(identity, UUID.randomUUID().toString(), AUDIENCE);
        assertThat(apiServer.get(PODS_A, used).status()).as("within its lifetime the token works anywhere").isEqualTo(200);
        Instant cachedBy = Instant.now(); // the apiserver cached it between usedAt and now
        Instant exp = SignedJWT.parse(unused).getJWTClaimsSet().getExpirationTime().toInstant();

        // both tokens expire at usedAt + 5 s at the latest (exp is whole seconds); kube-apiserver caches a successful
        // token authentication for 10 s whatever the token's exp says, so a token already used stays good that long
        // (docs/issued-token.md, "Replay"): asked one second after exp, at most 6 s after first use, it is served
        sleepUntil(exp.plusSeconds(1));
        Instant askedAt = Instant.now();
        RealApiServer.Response cached = apiServer.get(PODS_A, used);
        assertThat(askedAt).as("asked inside the apiserver's 10 s token cache (the test itself stalled otherwise)")
                .isBefore(usedAt.plusSeconds(9));
        assertThat(cached.status()).as("served from the apiserver's token cache: %s", cached.body()).isEqualTo(200);
        RealApiServer.Response late = apiServer.get(PODS_A, unused);
        assertThat(late.status()).as("expired and never seen: %s", late.body()).isEqualTo(401);

        sleepUntil(cachedBy.plusSeconds(11));
        RealApiServer.Response replayed = apiServer.get(PODS_A, used);
        assertThat(replayed.status()).as("replayed after its lifetime: %s", replayed.body()).isEqualTo(401);
        assertThat(gateway.get("/clusters/" + CLUSTER + PODS_A, used, Map.of()).status())
                .as("an upstream token is no credential at the gateway").isEqualTo(401);
    }

    // ------------------------------------------------------------------------------------------------

    private static AuditEvent gatehouseEvent(int mark, String namespace) {
        AuditEvent e = gateway.awaitRequestEvent(mark, AUDIT_WAIT, ev -> AuditEvent.STAGE_RESPONSE_COMPLETE.equals(ev.stage())
                && "list".equals(ev.verb()) && ev.objectRef() != null && namespace.equals(ev.objectRef().namespace()));
        assertThat(e.user().username()).isEqualTo(ALICE);
        assertThat(e.gatehouse().upstream()).isEqualTo("issued-token");
        assertThat(e.gatehouse().cluster()).isEqualTo(CLUSTER);
        return e;
    }

    /** The apiserver's completed event with the gateway's request id as its auditID: user alice, no impersonation. */
    private static JsonNode apiServerEventFor(String requestId) {
        JsonNode e = apiServer.awaitAuditEvent(completed().and(ev -> requestId.equals(ev.path("auditID").asText())),
                AUDIT_WAIT);
        assertThat(e.path("user").path("username").asText()).isEqualTo(ALICE);
        assertThat(texts(e.path("user").path("groups"))).containsAll(ALICE_GROUPS).contains("system:authenticated");
        assertThat(e.has("impersonatedUser")).as("no impersonation: %s", e).isFalse();
        assertThat(e.toString()).doesNotContain(GATEWAY_USER);
        return e;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleepUntil(Instant when) {
        sleep(Math.max(0, Duration.between(Instant.now(), when).toMillis()));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
