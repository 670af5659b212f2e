package dev.gatehouse.e2e.apiserver;

import static dev.gatehouse.e2e.apiserver.GatewayInFront.CLUSTER;
import static dev.gatehouse.e2e.apiserver.RealApiServer.ALICE;
import static dev.gatehouse.e2e.apiserver.RealApiServer.GATEWAY_USER;
import static dev.gatehouse.e2e.apiserver.RealApiServer.TEAM_A;
import static dev.gatehouse.e2e.apiserver.RealApiServer.TEAM_B;
import static dev.gatehouse.e2e.apiserver.RealApiServer.completed;
import static dev.gatehouse.e2e.apiserver.RealApiServer.texts;
import static dev.gatehouse.e2e.apiserver.RealApiServer.withImpersonatedExtra;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.e2e.GatewayAnswer;
import dev.gatehouse.sandbox.kubectl.Kubectl;
import dev.gatehouse.sandbox.kubectl.KubectlProcess;
import dev.gatehouse.sandbox.kubectl.KubectlResult;

/**
 * Gatehouse in front of a real kube-apiserver 1.20 with RBAC on, the gateway's own token holding only the
 * {@code impersonate} permission, driven by the real kubectl 1.32. Each case asserts three things: kubectl's
 * exit code and output; the apiserver's own audit log (the gateway's user impersonating alice with her groups,
 * the Gatehouse request id as the user extra {@value #REQUEST_ID} and as the apiserver's auditID); and the
 * Gatehouse audit event with the same id. Alice's RBAC is enforced by the apiserver, not by the gateway.
 */
@Timeout(120)
class GatewayOnRealApiServerTest {
    private static final String REQUEST_ID = "gatehouse.dev/request-id";
    private static final String ALICE_UID = "uid-alice";
    private static final List<String> ALICE_GROUPS = List.of("team-a-devs", "gatehouse-users");
    private static final Duration AUDIT_WAIT = Duration.ofSeconds(10);
    private static final String RECEIVED = AuditEvent.STAGE_REQUEST_RECEIVED;
    private static final String STARTED = AuditEvent.STAGE_RESPONSE_STARTED;
    private static final String COMPLETE = AuditEvent.STAGE_RESPONSE_COMPLETE;

    @TempDir
    static Path tmp;

    static RealApiServer apiServer;
    static GatewayInFront gateway;
    static Kubectl alice;

    @RegisterExtension
    static final RealApiServerLifecycle LIFECYCLE = new RealApiServerLifecycle(() -> gateway, () -> apiServer);

    @BeforeAll
    static void start() throws IOException {
        apiServer = LIFECYCLE.start(RealApiServer::start);
        if (apiServer == null) {
            return;
        }
        apiServer.setUpTeams();
        grantConfigMapEditor(ALICE, TEAM_A);
        gateway = GatewayInFront.start(apiServer, tmp.resolve("gateway"),
                List.of(new GatewayInFront.User(ALICE, ALICE_UID, ALICE_GROUPS)));
        alice = gateway.kubectl(ALICE);
    }

    // ------------------------------------------------------------------------------------------------
    // Reads: RBAC through impersonation

    @Test
    void aliceListsPodsInTeamA() {
        int mark = gateway.mark();
        KubectlResult r = alice.run("get", "pods", "-n", TEAM_A);

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("NAME", "a-1", "a-2").doesNotContain("b-1");
        AuditEvent list = completedEvent(gateway.requestEventsSince(mark), on("list", "pods", TEAM_A));
        assertGatehouse(list, 200);
        assertUpstream(apiServerEventFor(list.auditID()), list, "list", 200);
    }

    @Test
    void aliceIsRefusedInTeamBByTheApiServer() {
        int mark = gateway.mark();
        KubectlResult r = alice.run("get", "pods", "-n", TEAM_B);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stderr()).contains("Error from server (Forbidden): pods is forbidden: User \"alice\" cannot list"
                + " resource \"pods\" in API group \"\" in the namespace \"team-b\"");
        AuditEvent list = completedEvent(gateway.requestEventsSince(mark), on("list", "pods", TEAM_B));
        assertGatehouse(list, 403); // the gateway let it through; the cluster refused
        assertUpstream(apiServerEventFor(list.auditID()), list, "list", 403);
    }

    @Test
    void relaysTheApiServersForbiddenStatusUnchanged() {
        GatewayAnswer viaGateway = gateway.get("/clusters/" + CLUSTER + "/api/v1/namespaces/" + TEAM_B + "/pods",
                gateway.token(ALICE), Map.of());
        RealApiServer.Response direct = apiServer.get("/api/v1/namespaces/" + TEAM_B + "/pods",
                apiServer.gatewayToken(), Map.of("Impersonate-User", ALICE));

        assertThat(direct.status()).isEqualTo(403);
        assertThat(viaGateway.status()).isEqualTo(403);
        assertThat(viaGateway.json()).isEqualTo(direct.json());
        assertThat(viaGateway.auditId()).isNotBlank();
        AuditEvent list = single(gateway.eventsFor(viaGateway.auditId()));
        assertGatehouse(list, 403);
        assertUpstream(apiServerEventFor(viaGateway.auditId()), list, "list", 403);
    }

    @Test
    void discoveryAndApiResourcesGoThroughAsAlice() {
        int mark = gateway.mark();
        KubectlResult resources = alice.run("api-resources");
        KubectlResult version = alice.run("version", "-o", "json");

        assertThat(resources.exitCode()).as(resources.toString()).isZero();
        assertThat(resources.stdout()).contains("APIVERSION", "pods", "configmaps", "namespaces",
                "rbac.authorization.k8s.io/v1");
        assertThat(version.exitCode()).as(version.toString()).isZero();
        assertThat(version.stdout()).contains("\"serverVersion\"", "\"gitVersion\": \"v1.20");
        List<AuditEvent> events = gateway.requestEventsSince(mark);
        assertThat(events).extracting(AuditEvent::requestURI).anyMatch(u -> u.startsWith("/clusters/real/api?"))
                .anyMatch(u -> u.startsWith("/clusters/real/apis?")).anyMatch(u -> u.startsWith("/clusters/real/api/v1?"))
                .anyMatch(u -> u.startsWith("/clusters/real/apis/rbac.authorization.k8s.io/v1?"))
                .anyMatch(u -> u.startsWith("/clusters/real/version?"));
        // Every discovery request: allowed by the gateway, answered 200, and in the apiserver's log as alice.
        assertThat(events).allSatisfy(e -> {
            assertThat(e.stage()).isEqualTo(COMPLETE);
            assertThat(e.verb()).isEqualTo("get");
            assertGatehouse(e, 200);
            JsonNode upstream = apiServerEventFor(e.auditID());
            assertThat("/clusters/" + CLUSTER + upstream.path("requestURI").asText()).isEqualTo(e.requestURI());
            assertThat(upstream.path("responseStatus").path("code").asInt()).isEqualTo(200);
        });
    }

    @Test
    void getPodsAsYamlReturnsTheObjects() {
        int mark = gateway.mark();
        KubectlResult r = alice.run("get", "pods", "-n", TEAM_A, "-o", "yaml");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("kind: List", "name: a-1", "name: a-2", "namespace: team-a",
                "image: registry.invalid/gatehouse/app:1").doesNotContain("name: b-1");
        AuditEvent list = completedEvent(gateway.requestEventsSince(mark), on("list", "pods", TEAM_A));
        assertGatehouse(list, 200);
        assertUpstream(apiServerEventFor(list.auditID()), list, "list", 200);
    }

    @Test
    void describeAndExplainWorkThroughTheGateway() {
        KubectlResult describe = alice.run("describe", "pod", "a-1", "-n", TEAM_A);
        assertThat(describe.exitCode()).as(describe.toString()).isZero();
        assertThat(describe.stdout()).contains("Name:", "a-1", "Namespace:", TEAM_A, "Status:", "Pending");

        // 1.20 has no OpenAPI v3: kubectl falls back to /openapi/v2 in protobuf, relayed byte for byte; when its
        // cache already holds the document, the conditional request (If-None-Match) is relayed and answered 304.
        int mark = gateway.mark();
        KubectlResult explain = alice.run("explain", "pods.spec.containers.image");
        assertThat(explain.exitCode()).as(explain.toString()).isZero();
        assertThat(explain.stdout()).contains("FIELD:", "image");
        AuditEvent openapi = completedEvent(gateway.requestEventsSince(mark),
                e -> e.requestURI().startsWith("/clusters/real/openapi/v2"));
        assertThat(openapi.responseStatus().code()).isIn(200, 304);
        if (openapi.responseStatus().code() == 200) {
            assertThat(openapi.gatehouse().bytesOut()).isGreaterThan(100_000L);
        }
    }

    @ParameterizedTest(name = "can-i list pods -n {0}: {1}")
    @CsvSource({"team-a, yes, 0", "team-b, no, 1"})
    void authCanIAnswersWithAlicesRbac(String namespace, String answer, int exitCode) {
        int mark = gateway.mark();
        KubectlResult r = alice.run("auth", "can-i", "list", "pods", "-n", namespace);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(exitCode);
        assertThat(r.stdout().strip()).isEqualTo(answer);
        // A SelfSubjectAccessReview (protobuf body), answered by the apiserver for the impersonated alice.
        AuditEvent review = completedEvent(gateway.requestEventsSince(mark),
                on("create", "selfsubjectaccessreviews", ""));
        assertThat(review.objectRef().apiGroup()).isEqualTo("authorization.k8s.io");
        assertGatehouse(review, 201);
        assertThat(gateway.eventsFor(review.auditID())).extracting(AuditEvent::stage).containsExactly(RECEIVED, COMPLETE);
        assertUpstream(apiServerEventFor(review.auditID()), review, "create", 201);
    }

    @Test
    void watchStreamsThroughTheGatewayUntilStopped() {
        int mark = gateway.mark();
        String watchId;
        try (KubectlProcess watch = alice.start("get", "pods", "-n", TEAM_A, "-w")) {
            AuditEvent started = gateway.awaitRequestEvent(mark, AUDIT_WAIT,
                    on("watch", "pods", TEAM_A).and(e -> STARTED.equals(e.stage())));
            watchId = started.auditID();
            assertGatehouse(started, 0);
            assertThat(watch.awaitLine(l -> l.contains("a-2"), Duration.ofSeconds(10))).as("%s", watch).isPresent();

            apiServer.createPod(TEAM_A, "a-watched");

            assertThat(watch.awaitLine(l -> l.contains("a-watched"), Duration.ofSeconds(15)))
                    .as("watch output: %s", watch).isPresent();
            assertThat(watch.isAlive()).isTrue();
            assertThat(gateway.eventsFor(watchId)).extracting(AuditEvent::stage).containsExactly(STARTED);

            KubectlResult stopped = watch.stop();
            assertThat(stopped.stdout()).contains("a-1", "a-2", "a-watched");
        }
        AuditEvent done = gateway.awaitRequestEvent(mark, AUDIT_WAIT,
                e -> watchId.equals(e.auditID()) && COMPLETE.equals(e.stage()));
        assertThat(gateway.eventsFor(watchId)).extracting(AuditEvent::stage).containsExactly(STARTED, COMPLETE);
        assertGatehouse(done, 200);
        assertThat(done.gatehouse().bytesOut()).isPositive();
        // The gateway's stop reached the apiserver: it ended the watch too. (kube-apiserver 1.20 writes a watch's
        // ResponseStarted event only when the watch ends, so its log is checked after the stop.)
        assertUpstream(apiServerEventFor(watchId), done, "watch", 200);
        assertThat(apiServer.auditEvents(e -> watchId.equals(e.path("auditID").asText())))
                .extracting(e -> e.path("stage").asText()).containsExactly(RECEIVED, STARTED, COMPLETE);
    }

    // ------------------------------------------------------------------------------------------------
    // Writes: every mutation recorded before it is forwarded and when it completes

    @Test
    void aliceChangesConfigMapsInTeamA() throws IOException {
        assertMutation(mutate("configmap/cm-create created",
                "create", "configmap", "cm-create", "-n", TEAM_A, "--from-literal=k=v"), "create", null, 201);

        String applied = manifest("cm-apply.yaml", configMap("cm-apply", "v1"));
        assertMutation(mutate("configmap/cm-apply created", "apply", "-f", applied), "create", null, 201);
        manifest("cm-apply.yaml", configMap("cm-apply", "v2"));
        assertMutation(mutate("configmap/cm-apply configured", "apply", "-f", applied), "patch", "cm-apply", 200);

        String serverSide = manifest("cm-ssa.yaml", configMap("cm-ssa", "v1"));
        assertMutation(mutate("configmap/cm-ssa serverside-applied", "apply", "--server-side", "-f", serverSide),
                "patch", "cm-ssa", 201);

        assertMutation(mutate("configmap/cm-create labeled", "label", "configmap", "cm-create", "-n", TEAM_A, "team=a"),
                "patch", "cm-create", 200);
        assertMutation(mutate("configmap/cm-create patched", "patch", "configmap", "cm-create", "-n", TEAM_A,
                "--type=merge", "-p", "{\"data\":{\"patched\":\"yes\"}}"), "patch", "cm-create", 200);
        assertThat(configMapAsAdmin("cm-create").json().path("data").path("patched").asText()).isEqualTo("yes");
        assertThat(configMapAsAdmin("cm-create").json().path("metadata").path("labels").path("team").asText())
                .isEqualTo("a");
        assertThat(configMapAsAdmin("cm-apply").json().path("data").path("k").asText()).isEqualTo("v2");

        List<AuditEvent> deleted = mutate("configmap \"cm-create\" deleted", "delete", "configmap",
                "cm-create", "cm-apply", "cm-ssa", "-n", TEAM_A);
        for (String name : List.of("cm-create", "cm-apply", "cm-ssa")) {
            assertMutation(deleted, "delete", name, 200);
            assertThat(configMapAsAdmin(name).status()).isEqualTo(404);
        }
    }

    @Test
    void aliceCannotCreateConfigMapsInTeamB() {
        int mark = gateway.mark();
        KubectlResult r = alice.run("create", "configmap", "cm-b", "-n", TEAM_B, "--from-literal=k=v");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stderr()).contains("configmaps is forbidden: User \"alice\" cannot create resource \"configmaps\""
                + " in API group \"\" in the namespace \"team-b\"");
        AuditEvent create = completedEvent(gateway.requestEventsSince(mark), on("create", "configmaps", TEAM_B));
        assertGatehouse(create, 403);
        assertThat(gateway.eventsFor(create.auditID())).extracting(AuditEvent::stage).containsExactly(RECEIVED, COMPLETE);
        assertUpstream(apiServerEventFor(create.auditID()), create, "create", 403);
    }

    // ------------------------------------------------------------------------------------------------
    // Hostile requests: refused by the gateway, never seen by the apiserver

    static Stream<Arguments> hostileRequests() {
        String teamBPods = "/clusters/real/api/v1/namespaces/team-b/pods";
        return Stream.of(
                Arguments.of("encoded slash", "/clusters/real/api/v1/namespaces/team-b%2Fpods", "alice", Map.of(),
                        400, "BadRequest", "percent-encoded characters in the request path are not accepted"),
                Arguments.of("dot segments", "/clusters/real/api/v1/namespaces/team-a/../team-b/pods", "alice", Map.of(),
                        400, "BadRequest", "dot segments are not accepted"),
                Arguments.of("Impersonate-User: admin", teamBPods, "alice",
                        Map.of("Impersonate-User", List.of(RealApiServer.ADMIN_USER)), 403, "Forbidden",
                        "impersonation headers are not accepted"),
                Arguments.of("Impersonate-Group: system:masters", teamBPods, "alice",
                        Map.of("Impersonate-Group", List.of("system:masters")), 403, "Forbidden",
                        "impersonation headers are not accepted"),
                Arguments.of("unknown cluster", "/clusters/nope/api/v1/namespaces/team-a/pods", "alice", Map.of(),
                        404, "NotFound", "cluster \"nope\" is not configured"),
                Arguments.of("no token", teamBPods, "none", Map.of(), 401, "Unauthorized", "no bearer token"),
                Arguments.of("bad token", teamBPods, "bad", Map.of(), 401, "Unauthorized", "Unauthorized"));
    }

    @ParameterizedTest(name = "{0} -> {4}")
    @MethodSource("hostileRequests")
    void refusesHostileRequestsBeforeTheApiServer(String name, String rawPath, String credential,
                                                  Map<String, List<String>> headers, int code, String reason,
                                                  String message) {
        String badToken = "gh-forged-" + Long.toHexString(System.nanoTime());
        String token = switch (credential) {
            case "alice" -> gateway.token(ALICE);
            case "bad" -> badToken;
            default -> null;
        };
        GatewayAnswer a = gateway.get(rawPath, token, headers);

        assertThat(a.status()).as(a.body()).isEqualTo(code);
        JsonNode status = a.json();
        assertThat(status.path("kind").asText()).isEqualTo("Status");
        assertThat(status.path("status").asText()).isEqualTo("Failure");
        assertThat(status.path("reason").asText()).isEqualTo(reason);
        assertThat(status.path("code").asInt()).isEqualTo(code);
        assertThat(status.path("message").asText()).contains(message);
        assertThat(a.auditId()).isNotBlank();
        AuditEvent refused = single(gateway.eventsFor(a.auditId()));
        assertThat(refused.stage()).isEqualTo(COMPLETE);
        assertThat(refused.responseStatus().code()).isEqualTo(code);
        assertThat(refused.responseStatus().message()).isEqualTo(status.path("message").asText());
        assertThat(refused.gatehouse().decision()).isEqualTo("refused");
        assertThat(refused.gatehouse().upstream()).isNull();
        if (token != null && code != 401) {
            assertThat(refused.user().username()).as("the refusal names who tried").isEqualTo(ALICE);
        }
        if (code == 401) {
            assertThat(refused.user().username()).isEqualTo("system:anonymous");
            assertThat(gateway.audit().raw()).doesNotContain(badToken);
        }
        awaitApiServerCaughtUp();
        assertThat(apiServer.auditEvents(e -> a.auditId().equals(e.path("auditID").asText()))).isEmpty();
        assertThat(apiServer.auditEventsWithExtra(REQUEST_ID, a.auditId())).isEmpty();
    }

    @Test
    void theGatewaysOwnTokenMayOnlyImpersonate() {
        RealApiServer.Response r = apiServer.get("/api/v1/namespaces/" + TEAM_A + "/pods", apiServer.gatewayToken());

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().path("message").asText())
                .contains("User \"" + GATEWAY_USER + "\" cannot list resource \"pods\"");
    }

    // ------------------------------------------------------------------------------------------------
    // Setup

    /** Lets {@code user} read and change configmaps in {@code namespace} (Role + RoleBinding). */
    private static void grantConfigMapEditor(String user, String namespace) {
        String name = "configmap-editor-" + user;
        apiServer.create("/apis/rbac.authorization.k8s.io/v1/namespaces/" + namespace + "/roles", """
                {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
                 "metadata": {"name": "%s", "namespace": "%s"},
                 "rules": [{"apiGroups": [""], "resources": ["configmaps"],
                            "verbs": ["get", "list", "watch", "create", "update", "patch", "delete"]}]}
                """.formatted(name, namespace));
        apiServer.create("/apis/rbac.authorization.k8s.io/v1/namespaces/" + namespace + "/rolebindings", """
                {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                 "metadata": {"name": "%s", "namespace": "%s"},
                 "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "%s"},
                 "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "%s"}]}
                """.formatted(name, namespace, name, user));
    }

    private static String configMap(String name, String value) {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: %s
                  namespace: %s
                data:
                  k: %s
                """.formatted(name, TEAM_A, value);
    }

    /** Writes a manifest file; returns its path. */
    private static String manifest(String file, String content) throws IOException {
        return Files.writeString(Files.createDirectories(tmp.resolve("manifests")).resolve(file), content).toString();
    }

    private static RealApiServer.Response configMapAsAdmin(String name) {
        return apiServer.get("/api/v1/namespaces/" + TEAM_A + "/configmaps/" + name, apiServer.adminToken());
    }

    // ------------------------------------------------------------------------------------------------
    // Assertions that join the two audit logs by the Gatehouse request id

    /** Runs a kubectl command as alice that must succeed and print {@code expected}; returns the new events. */
    private static List<AuditEvent> mutate(String expected, String... args) {
        int mark = gateway.mark();
        KubectlResult r = alice.run(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains(expected);
        return gateway.requestEventsSince(mark);
    }

    /**
     * The one configmap mutation in {@code events} with {@code verb} (and {@code name}, unless null): recorded
     * write-ahead (RequestReceived) and at its end (ResponseComplete), and in the apiserver's log as alice.
     */
    private static void assertMutation(List<AuditEvent> events, String verb, String name, int code) {
        AuditEvent done = completedEvent(events, on(verb, "configmaps", TEAM_A)
                .and(e -> name == null || name.equals(e.objectRef().name())));
        assertGatehouse(done, code);
        assertThat(gateway.eventsFor(done.auditID())).extracting(AuditEvent::stage).containsExactly(RECEIVED, COMPLETE);
        JsonNode upstream = apiServerEventFor(done.auditID());
        assertUpstream(upstream, done, verb, code);
        if (name != null) {
            assertThat(upstream.path("objectRef").path("name").asText()).isEqualTo(name);
        }
    }

    private static Predicate<AuditEvent> on(String verb, String resource, String namespace) {
        return e -> verb.equals(e.verb()) && e.objectRef() != null && resource.equals(e.objectRef().resource())
                && namespace.equals(Objects.toString(e.objectRef().namespace(), ""));
    }

    private static AuditEvent completedEvent(List<AuditEvent> events, Predicate<AuditEvent> which) {
        List<AuditEvent> found = events.stream().filter(e -> COMPLETE.equals(e.stage())).filter(which).toList();
        assertThat(found).as("completed Gatehouse events among %s", GatewayInFront.describe(events)).hasSize(1);
        return found.get(0);
    }

    private static AuditEvent single(List<AuditEvent> events) {
        assertThat(events).as(GatewayInFront.describe(events)).hasSize(1);
        return events.get(0);
    }

    /** What the Gatehouse event of one of alice's forwarded requests says ({@code code} 0: no response yet). */
    private static void assertGatehouse(AuditEvent e, int code) {
        assertThat(e.user().username()).isEqualTo(ALICE);
        assertThat(e.user().uid()).isEqualTo(ALICE_UID); // not asserted upstream: 1.20 ignores Impersonate-Uid
        assertThat(e.user().groups()).containsAll(ALICE_GROUPS);
        assertThat(e.gatehouse().decision()).isEqualTo("allow");
        assertThat(e.gatehouse().cluster()).isEqualTo(CLUSTER);
        assertThat(e.gatehouse().upstream()).isEqualTo("impersonate");
        assertThat(e.gatehouse().authn().method()).isEqualTo("static-token");
        if (code != 0) {
            assertThat(e.responseStatus().code()).as("response code of %s", e.requestURI()).isEqualTo(code);
        }
    }

    /** The apiserver's completed event for a Gatehouse request id, with the impersonation it must show. */
    private static JsonNode apiServerEventFor(String requestId) {
        JsonNode e = apiServer.awaitAuditEvent(completed().and(withImpersonatedExtra(REQUEST_ID, requestId)), AUDIT_WAIT);
        assertApiServerImpersonation(e, requestId);
        return e;
    }

    private static void assertApiServerImpersonation(JsonNode e, String requestId) {
        assertThat(e.path("user").path("username").asText()).isEqualTo(GATEWAY_USER);
        assertThat(e.path("impersonatedUser").path("username").asText()).isEqualTo(ALICE);
        assertThat(texts(e.path("impersonatedUser").path("groups"))).containsAll(ALICE_GROUPS);
        assertThat(texts(e.path("impersonatedUser").path("extra").path(REQUEST_ID))).containsExactly(requestId);
        // The gateway sends its id as Audit-ID, and the apiserver adopts it as its own audit ID.
        assertThat(e.path("auditID").asText()).as("the apiserver's auditID").isEqualTo(requestId);
    }

    /** The apiserver's event is about the same request as the Gatehouse event, and answered {@code code}. */
    private static void assertUpstream(JsonNode upstream, AuditEvent gatehouse, String verb, int code) {
        assertThat(upstream.path("verb").asText()).isEqualTo(verb);
        assertThat(upstream.path("objectRef").path("resource").asText()).isEqualTo(gatehouse.objectRef().resource());
        assertThat(upstream.path("objectRef").path("namespace").asText())
                .isEqualTo(Objects.toString(gatehouse.objectRef().namespace(), ""));
        assertThat(upstream.path("responseStatus").path("code").asInt()).isEqualTo(code);
        assertThat("/clusters/" + CLUSTER + upstream.path("requestURI").asText()).isEqualTo(gatehouse.requestURI());
    }

    /** Proves the apiserver's audit log has caught up: a request sent later through the gateway is in it. */
    private static void awaitApiServerCaughtUp() {
        GatewayAnswer later = gateway.get("/clusters/" + CLUSTER + "/api/v1/namespaces/" + TEAM_A + "/pods",
                gateway.token(ALICE), Map.of());
        assertThat(later.status()).as(later.body()).isEqualTo(200);
        apiServerEventFor(later.auditId());
    }
}
