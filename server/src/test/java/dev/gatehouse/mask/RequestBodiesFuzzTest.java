package dev.gatehouse.mask;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditEventJson;
import dev.gatehouse.chain.BodyCapture;
import dev.gatehouse.classify.Query;
import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.classify.RequestInfoParser;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.V1;
import io.vertx.core.buffer.Buffer;

/**
 * The request-body record under hostile writes: a Secret with fuzzer-chosen values, in a fuzzer-chosen
 * representation (JSON, YAML, merge / JSON patch, apply, protobuf; gzip or not; on the secrets path or hidden in a
 * List elsewhere), then with fuzzer-chosen bytes spliced in (on the secrets path), never shows a value, in clear or base64; and any bytes
 * under any media type never make it throw, and always give a record that writes as an audit event.
 */
class RequestBodiesFuzzTest {
    private static final String[] TYPES = {"application/json", "application/yaml", "application/merge-patch+json",
        "application/strategic-merge-patch+json", "application/json-patch+json", "application/apply-patch+yaml",
        ProtobufBodies.MEDIA_TYPE, "application/cbor", "", "text/plain"};
    private static final byte[] JUNK = {' ', '\t', 'A', 'z', '0', '=', 0, (byte) 0xff, (byte) 0xc3, '.'};
    private static final RequestBodies BODIES = new RequestBodies(MaskRules.SECRETS, () -> SecretBodies.KEY);

    @FuzzTest(maxDuration = "15s")
    void neverShowsASecretValueNorThrows(FuzzedDataProvider data) {
        boolean secretPath = data.consumeBoolean();
        boolean gzip = data.consumeBoolean();
        int form = data.consumeInt(0, 6);
        List<String> values = new ArrayList<>();
        for (int i = data.consumeInt(1, 3); i > 0; i--) {
            values.add("s3cr3t" + data.consumeAsciiString(24).replaceAll("[^A-Za-z0-9]", "x"));
        }
        String type = TYPES[form == 6 ? 6 : data.consumeInt(0, TYPES.length - 1)];
        byte[] body = form == 6 ? protobuf(values) : text(form, values, secretPath).getBytes(StandardCharsets.UTF_8);
        if (form < 6) {
            type = form == 1 ? "application/yaml" : form == 4 ? "application/json-patch+json" : "application/json";
        }
        int splice = data.consumeInt(0, body.length);
        // junk that cannot move a value out of its place (no quotes, colons, brackets, escapes, newlines): bytes
        // that break the body or sit inside a value, never ones that reshape it into another, value-free object
        byte[] junk = new byte[data.consumeInt(0, 8)];
        for (int i = 0; i < junk.length; i++) {
            junk[i] = JUNK[data.consumeInt(0, JUNK.length - 1)];
        }
        boolean keepOrder = data.consumeBoolean();
        byte[] spliced = new byte[body.length + junk.length];
        System.arraycopy(body, 0, spliced, 0, splice);
        System.arraycopy(junk, 0, spliced, splice, junk.length);
        System.arraycopy(body, splice, spliced, splice + junk.length, body.length - splice);
        // off the secrets path the Secret is found by its kind, which junk may legitimately break
        byte[] sent = keepOrder || !secretPath ? body : spliced;
        check(secretPath, type, gzip ? RequestBodyCases.gzip(new String(sent, StandardCharsets.ISO_8859_1))
                : sent, gzip, values);
        // and arbitrary bytes under an arbitrary media type: never a throw
        record(data.consumeBoolean(), TYPES[data.consumeInt(0, TYPES.length - 1)], data.consumeRemainingAsBytes(),
                false);
    }

    /**
     * No value of the Secret in any value of the record, in clear or base64. Field names are not searched: keys stay
     * visible by design (docs/MASKING.md), and junk spliced into a YAML body can turn a value's text into part of a
     * key — as the apiserver would read it too.
     */
    private static void check(boolean secretPath, String type, byte[] body, boolean gzip, List<String> values) {
        JsonNode recorded = record(secretPath, type, body, gzip);
        String text = new String(AuditEventJson.toBytes(AuditEvent.builder().auditID("f")
                .requestObject(recorded).build()), StandardCharsets.UTF_8);
        List<String> scalars = new ArrayList<>();
        scalars(recorded, scalars);
        for (String value : values) {
            String b64 = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
            for (String scalar : scalars) {
                if (scalar.contains(value) || scalar.contains(b64) || scalar.contains(b64.replace("=", ""))) {
                    throw new IllegalStateException("a Secret value came out in the record: " + text);
                }
            }
        }
    }

    /** Every scalar below {@code node} as text (field names left out). */
    private static void scalars(JsonNode node, List<String> out) {
        if (node == null) {
            return;
        }
        if (node.isContainerNode()) {
            node.forEach(child -> scalars(child, out));
        } else {
            out.add(node.asText());
        }
    }

    private static JsonNode record(boolean secretPath, String type, byte[] body, boolean gzip) {
        RequestInfo info = new RequestInfoParser().parse("c1", "POST",
                secretPath ? "/api/v1/namespaces/a/secrets" : "/api/v1/namespaces/a/configmaps", Query.parse(""));
        JsonNode recorded = BODIES.requestObject(info, type, gzip ? "gzip" : null,
                BodyCapture.of(Buffer.buffer(body), Integer.MAX_VALUE));
        if (body.length > 0 && recorded == null) {
            throw new IllegalStateException("no record for a body");
        }
        return recorded;
    }

    /** The Secret (or, off the secrets path, a List hiding it) in a text form; {@code form} 0-5. */
    private static String text(int form, List<String> values, boolean secretPath) {
        StringBuilder data = new StringBuilder();
        StringBuilder stringData = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            String sep = i == 0 ? "" : ",";
            data.append(sep).append("\"k").append(i).append("\":\"").append(RequestBodyCases.base64(values.get(i)))
                    .append('"');
            stringData.append(sep).append("\"s").append(i).append("\":\"").append(values.get(i)).append('"');
        }
        String secret = "{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"x\"},\"data\":{" + data
                + "},\"stringData\":{" + stringData + "}}";
        String object = secretPath ? secret : "{\"kind\":\"List\",\"items\":[" + secret + "]}";
        if (!secretPath && (form == 2 || form == 4)) {
            // off the secrets path, data in a patch is another kind's (a ConfigMap's): only the hidden Secret counts
            return form == 2 ? object : "[{\"op\":\"add\",\"path\":\"\",\"value\":" + object + "}]";
        }
        return switch (form) {
            case 1 -> "kind: " + (secretPath ? "Secret" : "List\nitems:\n- kind: Secret") + "\n"
                    + (secretPath ? "" : "  ") + "data: {" + data + "}\n" + (secretPath ? "" : "  ")
                    + "stringData: {" + stringData + "}\n";
            case 2 -> "{\"data\":{" + data + "},\"stringData\":{" + stringData + "}}";
            case 3 -> "{\"metadata\":{\"annotations\":{\"" + JsonMasker.LAST_APPLIED + "\":"
                    + RequestBodyCases.quote(object) + "}}}";
            case 4 -> "[{\"op\":\"add\",\"path\":\"/data\",\"value\":{" + data + "}},{\"op\":\"add\",\"path\":"
                    + "\"/stringData/s0\",\"value\":\"" + values.get(0) + "\"},{\"op\":\"add\",\"path\":\"\","
                    + "\"value\":" + object + "}]";
            default -> object;
        };
    }

    private static byte[] protobuf(List<String> values) {
        V1.Secret.Builder secret = V1.Secret.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("x"));
        for (int i = 0; i < values.size(); i++) {
            secret.putData("k" + i, ByteString.copyFromUtf8(values.get(i))).putStringData("s" + i, values.get(i));
        }
        return RequestBodyCases.envelope("v1", "Secret", secret.build().toByteString());
    }
}
