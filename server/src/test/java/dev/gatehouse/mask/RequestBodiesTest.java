package dev.gatehouse.mask;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gatehouse.export.setup.EventShapes;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditEventJson;
import dev.gatehouse.chain.BodyCapture;
import dev.gatehouse.classify.Query;
import dev.gatehouse.classify.RequestInfoParser;
import dev.gatehouse.export.EventShape;
import dev.gatehouse.mask.RequestBodyCases.Case;
import io.vertx.core.buffer.Buffer;

class RequestBodiesTest {
    static List<Case> cases() {
        return RequestBodyCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void recordsNoSecretValueInTheEventOrAnyExportShape(Case c) {
        byte[] line = c.line();
        List<byte[]> shapes = List.of(line, EventShape.KUBERNETES.shape(c.event(), line),
                EventShapes.named("ocsf").shape(c.event(), line));
        for (byte[] shaped : shapes) {
            String text = new String(shaped, StandardCharsets.UTF_8);
            for (String needle : RequestBodyCases.needles()) {
                assertThat(text).as("%s: no value in %s", c, text).doesNotContain(needle);
            }
        }
        assertThat(AuditEventJson.parse(new String(line, StandardCharsets.UTF_8)).requestObject().toString())
                .as("the record reads back").isEqualTo(c.recorded().toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void recordsTheObjectMaskedOrOnlyAMarker(Case c) {
        JsonNode recorded = c.recorded();
        String text = recorded.toString();
        if (c.outcome() == RequestBodyCases.Outcome.MASKED) {
            assertThat(recorded.has(RequestBodies.UNRECORDED)).as("%s recorded as %s", c, text).isFalse();
            for (String marker : c.markers()) {
                assertThat(text).as("%s holds the response's marker", c).contains(marker);
            }
        } else {
            JsonNode about = recorded.get(RequestBodies.UNRECORDED);
            assertThat(about).as("%s recorded as %s", c, text).isNotNull();
            assertThat(recorded.size()).isEqualTo(1);
            assertThat(about.get("bytes").asLong()).isEqualTo(c.body().length);
            assertThat(about.get("reason").asText()).isNotBlank();
            boolean secretPath = MaskRules.SECRETS.masks(c.info());
            assertThat(about.has("fingerprint")).as("keyed fingerprint on a Secret path").isEqualTo(secretPath);
            assertThat(about.has("sha256")).as("plain SHA-256 elsewhere").isEqualTo(!secretPath);
            if (secretPath) {
                assertThat(about.get("fingerprint").asText()).isEqualTo(Fingerprints.with(RequestBodyCases.KEY)
                        .marker(c.body()));
            }
        }
    }

    @Test
    void setsLevelRequestOnlyWhenABodyIsRecorded() {
        Case c = RequestBodyCases.all().get(0);
        assertThat(c.event().level()).isEqualTo("Request");
        assertThat(AuditEvent.builder().auditID("x").build().level()).isEqualTo("Metadata");
    }

    @Test
    void recordsOtherResourcesUnchangedButNeverRaw() {
        String configMap = "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"cm\"},"
                + "\"data\":{\"color\":\"blue\"}}";
        JsonNode recorded = record("POST", "/api/v1/namespaces/a/configmaps", "application/json", configMap);
        assertThat(recorded.path("data").path("color").asText()).isEqualTo("blue");
        JsonNode yaml = record("PUT", "/api/v1/namespaces/a/configmaps/cm", "application/yaml",
                "kind: ConfigMap\ndata:\n  color: blue\n");
        assertThat(yaml.path("data").path("color").asText()).isEqualTo("blue");
    }

    @Test
    void appliesTheFieldRulesAndDetectorsOfResponsesToWhatIsWritten() {
        RequestBodies rules = new RequestBodies(MaskingSettings.defaults(), () -> RequestBodyCases.KEY);
        String deployment = "{\"kind\":\"Deployment\",\"apiVersion\":\"apps/v1\",\"metadata\":{\"name\":\"web\"},"
                + "\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"nginx\","
                + "\"env\":[{\"name\":\"DB_PASSWORD\",\"value\":\"hunter2-in-env\"}]}]}}}}";
        JsonNode created = record(rules, "POST", "/apis/apps/v1/namespaces/a/deployments", "application/json",
                deployment);
        String env = created.path("spec").path("template").path("spec").path("containers").get(0).path("env").get(0)
                .path("value").asText();
        assertThat(env).isNotEqualTo("hunter2-in-env").startsWith("gatehouse:masked:");
        assertThat(created.path("spec").path("template").path("spec").path("containers").get(0).path("image")
                .asText()).as("what no rule covers is kept").isEqualTo("nginx");

        JsonNode patched = record(rules, "PATCH", "/apis/apps/v1/namespaces/a/deployments/web",
                "application/json-patch+json", "[{\"op\":\"replace\",\"path\":"
                        + "\"/spec/template/spec/containers/0/env/0/value\",\"value\":\"hunter2-in-patch\"}]");
        assertThat(patched.toString()).doesNotContain("hunter2-in-patch");

        String labelled = "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"cm\","
                + "\"labels\":{\"gatehouse.dev/mask\":\"true\"}},\"data\":{\"token\":\"plain-but-labelled\"}}";
        assertThat(record(rules, "POST", "/api/v1/namespaces/a/configmaps", "application/json", labelled).toString())
                .doesNotContain("plain-but-labelled");
        String key = "AKIA" + "IOSFODNN7EXAMPLE";
        String unlabelled = "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"cm\"},"
                + "\"data\":{\"color\":\"blue\",\"aws\":\"" + key + "\"}}";
        JsonNode detected = record(rules, "POST", "/api/v1/namespaces/a/configmaps", "application/json", unlabelled);
        assertThat(detected.path("data").path("color").asText()).isEqualTo("blue");
        assertThat(detected.toString()).as("the detectors run on writes as on reads").doesNotContain(key);
    }

    @Test
    void keepsANullThatDeletesAKeyAndMasksAScalarSecretBody() {
        JsonNode patch = record("PATCH", "/api/v1/namespaces/a/secrets/s", "application/merge-patch+json",
                "{\"data\":{\"gone\":null}}");
        assertThat(patch.path("data").get("gone").isNull()).isTrue();
        JsonNode scalar = record("POST", "/api/v1/namespaces/a/secrets", "application/json",
                "\"" + RequestBodyCases.STRING_VALUE + "\"");
        assertThat(scalar.asText()).isEqualTo(RequestBodyCases.stringMarker());
    }

    @Test
    void recordsNothingForReadsAndAnUnfinishedBodyAsAMarker() {
        assertThat(RequestBodies.recorded(new RequestInfoParser().parse("c1", "GET",
                "/api/v1/namespaces/a/secrets/s", Query.parse("")))).isFalse();
        assertThat(RequestBodies.recorded(new RequestInfoParser().parse("c1", "DELETE",
                "/api/v1/namespaces/a/secrets/s", Query.parse("")))).isFalse();
        BodyCapture partial = new BodyCapture(RequestBodies.MAX_RECORDED_BYTES);
        partial.add(Buffer.buffer("{\"data\":{\"p\":\"" + RequestBodyCases.base64(RequestBodyCases.DATA_VALUE)));
        JsonNode recorded = bodies().requestObject(new RequestInfoParser().parse("c1", "POST",
                "/api/v1/namespaces/a/secrets", Query.parse("")), "application/json", null, partial);
        assertThat(recorded.path(RequestBodies.UNRECORDED).path("reason").asText()).contains("had not ended");
        assertThat(recorded.toString()).doesNotContain(RequestBodyCases.base64(RequestBodyCases.DATA_VALUE));
        assertThat(recorded.path(RequestBodies.UNRECORDED).has("sha256")).isFalse();
    }

    @Test
    void capturesTheFirstBytesTheLengthAndTheHashOfALongStream() {
        BodyCapture capture = new BodyCapture(10);
        capture.add(Buffer.buffer("0123456"));
        capture.add(Buffer.buffer("789abcdef"));
        assertThat(new String(capture.bytes(), StandardCharsets.US_ASCII)).isEqualTo("0123456789");
        assertThat(capture.totalBytes()).isEqualTo(16);
        assertThat(capture.complete()).isFalse();
        assertThat(capture.sha256()).isEqualTo(sha256("0123456789abcdef"));
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RequestBodies bodies() {
        return new RequestBodies(MaskRules.SECRETS, () -> RequestBodyCases.KEY);
    }

    private static JsonNode record(String method, String path, String type, String body) {
        return record(bodies(), method, path, type, body);
    }

    private static JsonNode record(RequestBodies bodies, String method, String path, String type, String body) {
        return bodies.requestObject(new RequestInfoParser().parse("c1", method, path, Query.parse("")), type,
                null, BodyCapture.of(Buffer.buffer(body), Integer.MAX_VALUE));
    }
}
