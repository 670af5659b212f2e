package dev.gatehouse.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.mask.detect.ValueScanner;
import io.vertx.core.buffer.Buffer;

class FieldRuleMaskingTest {
    static final MaskingSettings.Plans PLANS = MaskingSettings.defaults().plans();
    static final String ENV_VALUE = "pg-pass-s3cret-1";
    static final String CM_VALUE = "cm-value-s3cret-2";
    static final String AWS_ID = "AKIAZ7QXJ4N2KD5WLM3P";

    static RequestInfo info(String group, String resource) {
        return new RequestInfo("c", "/x", true, "list", group.isEmpty() ? "api" : "apis", group, "v1", "payments",
                resource, "", "");
    }

    static String marker(String value) {
        return Fingerprints.of(SecretBodies.KEY, value.getBytes(StandardCharsets.UTF_8));
    }

    static String mask(String group, String resource, String body, int chunk, ClientView view) {
        RequestInfo info = info(group, resource);
        MaskPlan plan = PLANS.planFor(info);
        JsonMasker masker = new JsonMasker(Fingerprints.with(SecretBodies.KEY), plan == null ? MaskPlan.NOTHING : plan,
                PLANS.detects(info) ? new ValueScanner() : null, view);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Buffer out = Buffer.buffer();
        for (int i = 0; i < bytes.length; i += chunk) {
            out.appendBuffer(masker.chunk(Buffer.buffer(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + chunk)))));
        }
        return out.appendBuffer(masker.end()).toString(StandardCharsets.UTF_8);
    }

    static String mask(String group, String resource, String body) {
        String whole = mask(group, resource, body, Integer.MAX_VALUE, ClientView.MASKED);
        for (int chunk : new int[] {1, 2, 7, 64}) {
            assertThat(mask(group, resource, body, chunk, ClientView.MASKED)).as("chunks of %d", chunk)
                    .isEqualTo(whole);
        }
        JsonNode parsed = SecretBodies.roots(whole.getBytes(StandardCharsets.UTF_8)).get(0);
        assertThat(parsed).isNotNull();
        return whole;
    }

    static String pod(String name, String envValue) {
        return "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"app\":\"web\"}},\"spec\":{"
                + "\"initContainers\":[{\"name\":\"init\",\"env\":[{\"name\":\"INIT\",\"value\":\"" + envValue + "\"}]}],"
                + "\"containers\":[{\"name\":\"app\",\"image\":\"nginx:1.27\",\"env\":["
                + "{\"name\":\"DB_PASSWORD\",\"value\":\"" + envValue + "\"},"
                + "{\"name\":\"FROM_SECRET\",\"valueFrom\":{\"secretKeyRef\":{\"name\":\"db\",\"key\":\"password\"}}}]}]}}";
    }

    static String configMap(String labels, String value) {
        return "{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm\",\"labels\":" + labels + "},"
                + "\"data\":{\"password\":\"" + value + "\",\"mode\":\"debug\"}}";
    }

    @Test
    void masksPodEnvValuesInAPodAndLeavesNamesAndReferences() {
        String out = mask("", "pods", pod("web-0", ENV_VALUE));

        assertThat(out).doesNotContain(ENV_VALUE).contains("\"value\":\"" + marker(ENV_VALUE) + "\"")
                .contains("\"name\":\"DB_PASSWORD\"").contains("\"secretKeyRef\":{\"name\":\"db\",\"key\":\"password\"}")
                .contains("\"image\":\"nginx:1.27\"");
        assertThat(out.split(marker(ENV_VALUE), -1)).hasSize(3); // the init container's too
    }

    @Test
    void masksPodEnvValuesInListsWatchEventsAndTables() {
        String list = "{\"kind\":\"PodList\",\"items\":[" + pod("a", ENV_VALUE) + "," + pod("b", ENV_VALUE) + "]}";
        String watch = "{\"type\":\"ADDED\",\"object\":" + pod("a", ENV_VALUE) + "}\n{\"type\":\"MODIFIED\","
                + "\"object\":" + pod("a", ENV_VALUE) + "}\n";
        String table = "{\"kind\":\"Table\",\"columnDefinitions\":[],\"rows\":[{\"cells\":[\"a\",\"1/1\"],"
                + "\"object\":" + pod("a", ENV_VALUE) + "}]}";
        for (String body : List.of(list, watch, table)) {
            String out = mask("", "pods", body);
            assertThat(out).doesNotContain(ENV_VALUE).contains(marker(ENV_VALUE));
        }
        assertThat(mask("", "pods", watch)).endsWith("}\n").contains("}\n{\"type\":\"MODIFIED\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"deployments", "statefulsets", "daemonsets", "replicasets"})
    void masksEnvValuesInWorkloadTemplates(String resource) {
        String body = "{\"kind\":\"X\",\"metadata\":{\"name\":\"w\"},\"spec\":{\"replicas\":2,\"template\":"
                + "{\"metadata\":{},\"spec\":{\"containers\":[{\"name\":\"c\",\"env\":[{\"name\":\"P\",\"value\":\""
                + ENV_VALUE + "\"}]}]}}}}";
        assertThat(mask("apps", resource, body)).doesNotContain(ENV_VALUE).contains(marker(ENV_VALUE))
                .contains("\"replicas\":2");
    }

    @Test
    void masksEnvValuesInCronJobTemplatesAndTheirLastAppliedAnnotation() {
        String inner = "{\"spec\":{\"jobTemplate\":{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\","
                + "\"env\":[{\"name\":\"P\",\"value\":\"" + ENV_VALUE + "\"}]}]}}}}}}";
        String body = "{\"metadata\":{\"annotations\":{\"" + JsonMasker.LAST_APPLIED + "\":"
                + SecretBodies.JSON.valueToTree(inner) + "}}," + inner.substring(1);
        String out = mask("batch", "cronjobs", body);
        assertThat(out).doesNotContain(ENV_VALUE);
        assertThat(out.split(marker(ENV_VALUE), -1)).hasSize(3);
    }

    @Test
    void masksDataOfConfigMapsCarryingTheLabelOnly() {
        String labelled = mask("", "configmaps", configMap("{\"gatehouse.dev/mask\":\"true\"}", CM_VALUE));
        String unlabelled = mask("", "configmaps", configMap("{\"app\":\"web\"}", CM_VALUE));
        String otherValue = mask("", "configmaps", configMap("{\"gatehouse.dev/mask\":\"false\"}", CM_VALUE));

        assertThat(labelled).doesNotContain(CM_VALUE).contains(marker(CM_VALUE)).contains(marker("debug"));
        assertThat(unlabelled).contains("\"password\":\"" + CM_VALUE + "\"").contains("\"mode\":\"debug\"");
        assertThat(otherValue).contains(CM_VALUE);
    }

    @Test
    void decidesTheLabelPerListItem() {
        String body = "{\"kind\":\"ConfigMapList\",\"items\":[" + configMap("{\"gatehouse.dev/mask\":\"true\"}", CM_VALUE)
                + "," + configMap("{}", "plain-value-visible") + "," + configMap("{\"gatehouse.dev/mask\":\"true\"}",
                CM_VALUE) + "]}";
        String out = mask("", "configmaps", body);
        assertThat(out).doesNotContain(CM_VALUE).contains("plain-value-visible");
        assertThat(out.split(marker(CM_VALUE), -1)).hasSize(3);
    }

    @Test
    void masksDataThatComesBeforeTheLabelsFailingClosed() {
        String dataFirst = "{\"data\":{\"password\":\"" + CM_VALUE + "\"},\"metadata\":{\"name\":\"cm\",\"labels\":{}}}";
        String noMetadata = "{\"data\":{\"password\":\"" + CM_VALUE + "\"}}";
        String dataAfter = "{\"metadata\":{\"labels\":{}},\"data\":{\"password\":\"visible-after-labels\"}}";

        assertThat(mask("", "configmaps", dataFirst)).doesNotContain(CM_VALUE).contains(marker(CM_VALUE));
        assertThat(mask("", "configmaps", noMetadata)).doesNotContain(CM_VALUE);
        assertThat(mask("", "configmaps", dataAfter)).contains("visible-after-labels");
    }

    @Test
    void masksTheLastAppliedCopyOfALabelledConfigMapEvenWhenItLacksTheLabel() {
        String applied = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"data\":{\"password\":\"" + CM_VALUE + "\"}}";
        String body = "{\"metadata\":{\"labels\":{\"gatehouse.dev/mask\":\"true\"},\"annotations\":{\""
                + JsonMasker.LAST_APPLIED + "\":" + SecretBodies.JSON.valueToTree(applied) + "}},\"data\":{\"password\":\""
                + CM_VALUE + "\"}}";
        String out = mask("", "configmaps", body);
        assertThat(out).doesNotContain(CM_VALUE);
        assertThat(out.split(marker(CM_VALUE), -1)).hasSize(3);
    }

    @Test
    void masksSealedSecretsAndExternalSecretTemplates() {
        String sealed = "{\"kind\":\"SealedSecret\",\"spec\":{\"encryptedData\":{\"password\":\"AgB3" + CM_VALUE
                + "\"},\"template\":{\"metadata\":{\"name\":\"db\"},\"data\":{\"user\":\"" + ENV_VALUE + "\"}}}}";
        String external = "{\"kind\":\"ExternalSecret\",\"spec\":{\"target\":{\"template\":{\"data\":{\"dsn\":"
                + "\"postgres://app:{{ .password }}@db\",\"static\":\"" + ENV_VALUE + "\"}}},\"data\":[{\"secretKey\":"
                + "\"password\",\"remoteRef\":{\"key\":\"prod/db\"}}]}}";

        assertThat(mask("bitnami.com", "sealedsecrets", sealed)).doesNotContain(CM_VALUE).doesNotContain(ENV_VALUE)
                .contains("\"name\":\"db\"");
        assertThat(mask("external-secrets.io", "externalsecrets", external)).doesNotContain(ENV_VALUE)
                .contains("\"remoteRef\":{\"key\":\"prod/db\"}");
    }

    @Test
    void matchesFieldNamesAsGoDoesCaseInsensitivelyWithTheLongS() {
        String body = "{\"SPEC\":{\"containers\":[{\"ENV\":[{\"Value\":\"" + ENV_VALUE + "\"}]}]}}";
        assertThat(mask("", "pods", body)).doesNotContain(ENV_VALUE);
        String longS = "{\"metadata\":{\"labels\":{\"gatehouse.dev/mask\":\"true\"}},\"data\":{\"k\":{\"\u017fub\":\""
                + CM_VALUE + "\"}}}";
        assertThat(mask("", "configmaps", longS)).doesNotContain(CM_VALUE);
    }

    @Test
    void detectorsMaskKeysInsideOrdinaryStringsOfAnyCoveredResource() {
        String body = configMap("{}", "aws_access_key_id = " + AWS_ID);
        String out = mask("", "configmaps", body);
        assertThat(out).doesNotContain(AWS_ID).contains("aws_access_key_id = " + marker(AWS_ID))
                .contains("\"mode\":\"debug\"");

        String event = "{\"kind\":\"Event\",\"message\":\"pulling with token ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
                + "\",\"reason\":\"Pulling\"}";
        assertThat(mask("", "events", event)).doesNotContain("ghp_a1B2").contains("\"reason\":\"Pulling\"");
        assertThat(mask("example.com", "widgets", "{\"spec\":{\"url\":\"https://u:hunter2pw@db.example.com/x\"}}"))
                .doesNotContain("hunter2pw").contains("https://u:" + marker("hunter2pw") + "@db.example.com/x");
    }

    @Test
    void leavesCertificatesAndOrdinaryValuesOfConfigMapsAlone() throws Exception {
        String cert = new String(getClass().getResourceAsStream("/detect/ca.crt").readAllBytes(),
                StandardCharsets.US_ASCII);
        String body = "{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"kube-root-ca.crt\",\"uid\":"
                + "\"6f1e0f3a-9d7b-4c59-8f0e-2b1f3c4d5e6f\"},\"data\":{\"ca.crt\":" + SecretBodies.JSON.valueToTree(cert)
                + "}}";
        assertThat(mask("", "configmaps", body)).isEqualTo(body);
    }

    @Test
    void passesResourcesNoRuleOrDetectorCovers() {
        assertThat(PLANS.planFor(info("", "nodes"))).isNull();
        assertThat(PLANS.detects(info("", "nodes"))).isFalse();
        assertThat(PLANS.detects(info("coordination.k8s.io", "leases"))).isFalse();
        assertThat(PLANS.detects(info("example.com", "widgets"))).isTrue();
        assertThat(PLANS.planFor(info("", "secrets"))).isSameAs(MaskPlan.SECRETS);
    }

    @Test
    void showsValuesInClearWhileTheGrantLastsAndMasksWhatFollowsItsEnd() {
        Instant start = Instant.parse("2026-12-07T12:00:00Z");
        AtomicReference<Instant> now = new AtomicReference<>(start);
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        ClientView view = ClientView.clearUntil(start.plusSeconds(60), "g-1", clock);
        RequestInfo info = info("", "secrets");
        JsonMasker masker = new JsonMasker(Fingerprints.with(SecretBodies.KEY), PLANS.planFor(info), null, view);
        String event = "{\"type\":\"ADDED\",\"object\":{\"stringData\":{\"k\":\"" + CM_VALUE + "\"}}}\n";

        String first = masker.chunk(Buffer.buffer(event)).toString();
        now.set(start.plusSeconds(61));
        String second = masker.chunk(Buffer.buffer(event)).toString() + masker.end();

        assertThat(first).isEqualTo(event);
        assertThat(second).doesNotContain(CM_VALUE).contains(marker(CM_VALUE));
    }

    @Test
    void refusesBodiesThatAreNotJsonOnRulePaths() {
        RequestInfo info = info("", "pods");
        JsonMasker masker = new JsonMasker(Fingerprints.with(SecretBodies.KEY), PLANS.planFor(info), new ValueScanner(),
                ClientView.MASKED);
        assertThatThrownBy(() -> {
            masker.chunk(Buffer.buffer("{\"spec\":{\"containers\":[{\"env\":[{\"value\":\"" + ENV_VALUE + "\""));
            masker.end();
        }).isInstanceOf(MaskingException.class).hasMessageNotContaining(ENV_VALUE);
    }

    @Test
    void compilesOnlyValidRules() {
        assertThatThrownBy(() -> FieldPath.parse("spec..env")).hasMessageContaining("empty field name");
        assertThatThrownBy(() -> FieldPath.parse("spec.env.**")).hasMessageContaining("ends with **");
        assertThatThrownBy(() -> FieldPath.parse("spec.e*v")).hasMessageContaining("stands alone");
        assertThatThrownBy(() -> FieldPath.parse("metadata.annotations[\"x")).hasMessageContaining("bracket");
        assertThat(FieldPath.parse("metadata.annotations[\"example.com/token\"]").segments())
                .containsExactly("metadata", "annotations", "example.com/token");
        assertThat(FieldPath.parse("spec.containers[*].env[*].value").segments())
                .containsExactly("spec", "containers", "env", "value");
        assertThatThrownBy(() -> FieldRule.of("x", List.of("configmaps"), Map.of("a b", "c"), List.of("data")))
                .hasMessageContaining("selector: \"a b\"");
        assertThatThrownBy(() -> new MaskingSettings(List.of(MaskingSettings.DEFAULT_RULES.get(0),
                MaskingSettings.DEFAULT_RULES.get(0)), true, null, null)).hasMessageContaining("named twice");
    }
}
