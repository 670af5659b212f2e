package dev.gatehouse.mask;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditEventJson;
import dev.gatehouse.chain.BodyCapture;
import dev.gatehouse.classify.Query;
import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.classify.RequestInfoParser;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.vertx.core.buffer.Buffer;

/**
 * Write bodies carrying Secret values in every representation and on every write path, for the tests of the request
 * body record (here and in the exporters' packages): each case names what it must come out as.
 */
public final class RequestBodyCases {
    /** A {@code data} value (decoded). */
    public static final String DATA_VALUE = "hunter2-D4ta-Value-9f3k";
    /** A {@code stringData} value. */
    public static final String STRING_VALUE = "s7r1ngD4ta-Token-q8Zx";
    /** A value only inside a last-applied annotation. */
    public static final String APPLIED_VALUE = "L4st-Applied-Pw-77ab";
    /** Every value. */
    public static final List<String> VALUES = List.of(DATA_VALUE, STRING_VALUE, APPLIED_VALUE);
    public static final MaskKey KEY = SecretBodies.KEY;

    private static final String SECRETS = "/api/v1/namespaces/payments/secrets";
    private static final String CONFIGMAPS = "/api/v1/namespaces/payments/configmaps";
    private static final String LA = JsonMasker.LAST_APPLIED;

    /** How a case must be recorded. */
    public enum Outcome {
        /** The object, values masked; the {@link #DATA_VALUE} data marker and/or {@link #STRING_VALUE} marker in it. */
        MASKED,
        /** Only the marker object {@value RequestBodies#UNRECORDED}. */
        UNRECORDED
    }

    /**
     * One write.
     *
     * @param name            what it is
     * @param method          HTTP method
     * @param path            request path
     * @param contentType     Content-Type
     * @param contentEncoding Content-Encoding, or null
     * @param body            the bytes sent
     * @param outcome         how it must be recorded
     * @param markers         the markers the record must hold (the same as a response shows for the value)
     */
    public record Case(String name, String method, String path, String contentType, String contentEncoding,
                       byte[] body, Outcome outcome, List<String> markers) {
        public RequestInfo info() {
            return new RequestInfoParser().parse("c1", method, path, Query.parse(""));
        }

        /** The requestObject the gateway records for this write, under {@link #KEY}. */
        public com.fasterxml.jackson.databind.JsonNode recorded() {
            return new RequestBodies(MaskRules.SECRETS, () -> KEY).requestObject(info(), contentType,
                    contentEncoding, BodyCapture.of(Buffer.buffer(body), Integer.MAX_VALUE));
        }

        /** The audit event of this write, as the log holds it. */
        public AuditEvent event() {
            RequestInfo info = info();
            return AuditEvent.builder().auditID("a-" + name.hashCode()).verb(info.verb()).requestURI(path)
                    .objectRef(new AuditEvent.ObjectRef(info.resource(), info.namespace(), info.name(),
                            info.apiGroup(), info.apiVersion(), info.subresource()))
                    .user(AuditEvent.UserInfo.ANONYMOUS).requestObject(recorded())
                    .gatehouse(new AuditEvent.Gatehouse("request", 7L, "c1", "allow", null, 10L, (long) body.length,
                            0L, null, null, null))
                    .build();
        }

        /** The event's line in the log. */
        public byte[] line() {
            return AuditEventJson.toBytes(event());
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private RequestBodyCases() {
    }

    /** Every value in the forms it could leak in: clear, base64 (padded or not). */
    public static List<String> needles() {
        List<String> needles = new ArrayList<>();
        for (String value : VALUES) {
            needles.add(value);
            String b64 = base64(value);
            needles.add(b64);
            needles.add(b64.replace("=", ""));
        }
        return needles;
    }

    public static String dataMarker() {
        return Fingerprints.with(KEY).dataMarker(DATA_VALUE.getBytes(StandardCharsets.UTF_8));
    }

    public static String stringMarker() {
        return Fingerprints.with(KEY).marker(STRING_VALUE.getBytes(StandardCharsets.UTF_8));
    }

    public static List<Case> all() {
        List<String> both = List.of(dataMarker(), stringMarker());
        List<String> data = List.of(dataMarker());
        List<String> string = List.of(stringMarker());
        String json = secretJson("Secret", "v1");
        String yaml = secretYaml("Secret", "v1");
        List<Case> cases = new ArrayList<>();
        cases.add(masked("JSON create", "POST", SECRETS, "application/json", json, both));
        cases.add(masked("JSON create, no Content-Type", "POST", SECRETS, null, json, both));
        cases.add(masked("JSON update", "PUT", SECRETS + "/db", "application/json; charset=utf-8", json, both));
        cases.add(masked("JSON create, escaped field names", "POST", SECRETS, "application/json",
                json.replace("\"data\"", "\"d\\u0061ta\"").replace("\"stringData\"", "\"STRINGdata\""), both));
        cases.add(masked("YAML create", "POST", SECRETS, "application/yaml", yaml, both));
        cases.add(masked("YAML update, kind sEcReT apiVersion v99", "PUT", SECRETS + "/db", "application/yaml",
                secretYaml("sEcReT", "v99"), both));
        cases.add(masked("YAML with an alias repeating data as stringData", "POST", SECRETS, "application/yaml",
                "kind: Secret\napiVersion: v1\nmetadata: {name: db}\ndata: &d\n  password: " + base64(DATA_VALUE)
                        + "\nstringData: *d\n", data));
        cases.add(masked("merge patch", "PATCH", SECRETS + "/db", "application/merge-patch+json",
                "{\"data\":{\"password\":\"" + base64(DATA_VALUE) + "\"},\"stringData\":{\"token\":\"" + STRING_VALUE
                        + "\"},\"metadata\":{\"annotations\":{\"" + LA + "\":" + quote(appliedJson()) + "}}}", both));
        cases.add(masked("strategic merge patch", "PATCH", SECRETS + "/db", "application/strategic-merge-patch+json",
                "{\"$setElementOrder/x\":[],\"data\":{\"$patch\":\"replace\",\"password\":\"" + base64(DATA_VALUE)
                        + "\"},\"stringData\":{\"token\":\"" + STRING_VALUE + "\",\"old\":null}}", both));
        cases.add(masked("JSON patch: values, objects, casing, escapes, test ops", "PATCH", SECRETS + "/db",
                "application/json-patch+json", "[{\"op\":\"add\",\"path\":\"/data/password\",\"value\":\""
                        + base64(DATA_VALUE) + "\"},"
                        + "{\"op\":\"test\",\"path\":\"/data/pass~1word\",\"value\":\"" + base64(DATA_VALUE) + "\"},"
                        + "{\"op\":\"replace\",\"path\":\"/STRINGDATA/token\",\"value\":\"" + STRING_VALUE + "\"},"
                        + "{\"op\":\"add\",\"path\":\"/stringData\",\"value\":{\"token\":\"" + STRING_VALUE + "\"}},"
                        + "{\"op\":\"add\",\"path\":\"/metadata/annotations/kubectl.kubernetes.io~1last-applied-"
                        + "configuration\",\"value\":" + quote(appliedJson()) + "},"
                        + "{\"op\":\"add\",\"path\":\"/somewhere/else\",\"value\":[\"" + STRING_VALUE + "\"]},"
                        + "{\"op\":\"add\",\"path\":\"not a pointer\",\"value\":\"" + STRING_VALUE + "\"},"
                        + "{\"op\":\"add\",\"path\":\"/data\",\"valuE\":{\"password\":\"" + base64(DATA_VALUE)
                        + "\"}},\"" + STRING_VALUE + "\"]", both));
        cases.add(masked("JSON patch replacing the whole object", "PATCH", SECRETS + "/db",
                "application/json-patch+json", "[{\"op\":\"replace\",\"path\":\"\",\"value\":" + json + "}]", both));
        cases.add(masked("apply patch (YAML)", "PATCH", SECRETS + "/db?fieldManager=kubectl",
                "application/apply-patch+yaml", yaml, both));
        cases.add(masked("apply patch (JSON syntax)", "PATCH", SECRETS + "/db", "application/apply-patch+yaml", json,
                both));
        cases.add(masked("protobuf create (kubectl create secret)", "POST", SECRETS, ProtobufBodies.MEDIA_TYPE,
                protobufSecret(false), both));
        cases.add(masked("protobuf with an unknown field holding a value", "POST", SECRETS,
                ProtobufBodies.MEDIA_TYPE, protobufSecret(true), both));
        cases.add(masked("protobuf List hiding a Secret, on a configmaps path", "POST", CONFIGMAPS,
                ProtobufBodies.MEDIA_TYPE, protobufList(), both));
        cases.add(masked("gzip JSON", "POST", SECRETS, "application/json", gzip(json), "gzip", both));
        cases.add(masked("gzip YAML", "PUT", SECRETS + "/db", "application/yaml", gzip(yaml), "x-gzip", both));
        cases.add(masked("List hiding a Secret, on a configmaps path", "POST", CONFIGMAPS, "application/json",
                "{\"kind\":\"List\",\"apiVersion\":\"v1\",\"items\":[{\"kind\":\"ConfigMap\",\"data\":{\"a\":\"b\"}},"
                        + json + "]}", both));
        cases.add(masked("Secret nested deep in a custom resource", "POST",
                "/apis/example.com/v1/namespaces/payments/widgets", "application/yaml",
                "kind: Widget\napiVersion: example.com/v1\nspec:\n  template:\n    kind: SECRET\n    data:\n"
                        + "      password: " + base64(DATA_VALUE) + "\n", data));
        cases.add(masked("ConfigMap whose last-applied holds a Secret", "PATCH", CONFIGMAPS + "/cm",
                "application/merge-patch+json", "{\"metadata\":{\"annotations\":{\"" + LA + "\":"
                        + quote("{\"kind\":\"List\",\"items\":[" + json + "]}") + "}}}", both));
        cases.add(masked("a Secret's JSON in another annotation of a Secret", "POST", SECRETS, "application/json",
                "{\"kind\":\"Secret\",\"metadata\":{\"annotations\":{\"ku.  bectl\":" + quote(json)
                        + "}},\"data\":{}}", both));
        cases.add(masked("a ConfigMap value holding a Secret manifest as JSON", "PUT", CONFIGMAPS + "/cm",
                "application/yaml", "kind: ConfigMap\ndata:\n  manifest: '  " + json.replace("'", "''") + "'\n",
                both));
        cases.add(masked("a misspelt stringData field, and one in a hidden Secret", "POST", SECRETS,
                "application/json", "{\"kind\":\"Secret\",\"metadata\":{\"name\":\"db\"},\"string Data\":{\"token\":\""
                        + STRING_VALUE + "\"},\"data\":{\"password\":\"" + base64(DATA_VALUE) + "\"},\"spec\":[{\"x\":\""
                        + APPLIED_VALUE + "\"}]}", both));
        cases.add(masked("a list of Secrets on the secrets path (SecretList)", "POST", SECRETS, "application/json",
                "{\"kind\":\"SecretList\",\"items\":[" + json + "," + json + "]}", both));
        cases.add(masked("kind field in odd casing, on a configmaps path", "POST", CONFIGMAPS, "application/json",
                json.replace("\"kind\":\"Secret\"", "\"KIND\":\" secret \""), both));
        cases.add(unrecorded("invalid JSON", "POST", SECRETS, "application/json",
                json.substring(0, json.length() - 3).getBytes(StandardCharsets.UTF_8), null));
        cases.add(unrecorded("duplicate keys", "POST", SECRETS, "application/json",
                ("{\"data\":{\"password\":\"" + base64(DATA_VALUE) + "\"},\"data\":{}}")
                        .getBytes(StandardCharsets.UTF_8), null));
        cases.add(unrecorded("CBOR (a media type not read)", "POST", SECRETS, "application/cbor",
                json.getBytes(StandardCharsets.UTF_8), null));
        cases.add(unrecorded("invalid JSON on a configmaps path", "POST", CONFIGMAPS, "application/json",
                ("{" + json).getBytes(StandardCharsets.UTF_8), null));
        cases.add(unrecorded("brotli (an encoding not read)", "POST", SECRETS, "application/json",
                json.getBytes(StandardCharsets.UTF_8), "br"));
        cases.add(unrecorded("corrupt gzip", "POST", SECRETS, "application/json",
                java.util.Arrays.copyOf(gzip(json), 20), "gzip"));
        cases.add(unrecorded("protobuf of an unknown kind", "POST", SECRETS, ProtobufBodies.MEDIA_TYPE,
                envelope("v1", "NoSuchKind", ByteString.copyFromUtf8(json)), null));
        cases.add(unrecorded("protobuf without the envelope", "POST", SECRETS, ProtobufBodies.MEDIA_TYPE,
                json.getBytes(StandardCharsets.UTF_8), null));
        cases.add(unrecorded("longer than the bound", "POST", SECRETS, "application/json",
                secretJson("Secret", "v1").replace("\"type\"", "\"padding\":\"" + "x".repeat(
                        RequestBodies.MAX_RECORDED_BYTES) + "\",\"type\"").getBytes(StandardCharsets.UTF_8), null));
        cases.add(unrecorded("gzip inflating past the bound", "POST", SECRETS, "application/json",
                gzip(json.replace("\"type\"", "\"padding\":\"" + "x".repeat(RequestBodies.MAX_RECORDED_BYTES)
                        + "\",\"type\"")), "gzip"));
        return cases;
    }

    private static Case masked(String name, String method, String path, String type, String body, List<String> m) {
        return new Case(name, method, path, type, null, body.getBytes(StandardCharsets.UTF_8), Outcome.MASKED, m);
    }

    private static Case masked(String name, String method, String path, String type, byte[] body, List<String> m) {
        return new Case(name, method, path, type, null, body, Outcome.MASKED, m);
    }

    private static Case masked(String name, String method, String path, String type, byte[] body, String encoding,
                               List<String> m) {
        return new Case(name, method, path, type, encoding, body, Outcome.MASKED, m);
    }

    private static Case unrecorded(String name, String method, String path, String type, byte[] body,
                                   String encoding) {
        return new Case(name, method, path, type, encoding, body, Outcome.UNRECORDED, List.of());
    }

    /** The object a client applied, as its last-applied annotation holds it. */
    static String appliedJson() {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"db\"},\"stringData\":{\"old\":\""
                + APPLIED_VALUE + "\"}}";
    }

    static String secretJson(String kind, String apiVersion) {
        return "{\"kind\":\"" + kind + "\",\"apiVersion\":\"" + apiVersion + "\",\"metadata\":{\"name\":\"db\","
                + "\"namespace\":\"payments\",\"annotations\":{\"" + LA + "\":" + quote(appliedJson()) + "}},"
                + "\"data\":{\"password\":\"" + base64(DATA_VALUE) + "\"},\"stringData\":{\"token\":\""
                + STRING_VALUE + "\"},\"type\":\"Opaque\"}";
    }

    static String secretYaml(String kind, String apiVersion) {
        return "apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata:\n  name: db\n  annotations:\n    "
                + LA + ": '" + appliedJson() + "'\ndata:\n  password: " + base64(DATA_VALUE) + "\nstringData:\n"
                + "  token: \"" + STRING_VALUE + "\"\ntype: Opaque\n";
    }

    static byte[] protobufSecret(boolean unknownField) {
        V1.Secret secret = V1.Secret.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("db").setNamespace("payments")
                        .putAnnotations(LA, appliedJson()))
                .putData("password", ByteString.copyFromUtf8(DATA_VALUE))
                .putStringData("token", STRING_VALUE).setType("Opaque").build();
        ByteString raw = secret.toByteString();
        if (unknownField) {
            ByteArrayOutputStream extra = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(extra);
            try {
                out.writeBytes(99, ByteString.copyFromUtf8(APPLIED_VALUE));
                out.writeString(98, STRING_VALUE);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            raw = raw.concat(ByteString.copyFrom(extra.toByteArray()));
        }
        return envelope("v1", "Secret", raw);
    }

    static byte[] protobufList() {
        V1.List list = V1.List.newBuilder()
                .addItems(Runtime.RawExtension.newBuilder().setRaw(ByteString.copyFrom(protobufSecret(false))))
                .addItems(Runtime.RawExtension.newBuilder().setRaw(ByteString.copyFromUtf8(secretJson("Secret",
                        "v1"))))
                .addItems(Runtime.RawExtension.newBuilder().setRaw(ByteString.copyFromUtf8("not json " + DATA_VALUE)))
                .build();
        return envelope("v1", "List", list.toByteString());
    }

    static byte[] envelope(String apiVersion, String kind, ByteString raw) {
        byte[] unknown = Runtime.Unknown.newBuilder()
                .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
                .setRaw(raw).setContentType(ProtobufBodies.MEDIA_TYPE).build().toByteArray();
        byte[] body = new byte[4 + unknown.length];
        body[0] = 'k';
        body[1] = '8';
        body[2] = 's';
        System.arraycopy(unknown, 0, body, 4, unknown.length);
        return body;
    }

    static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    static String quote(String value) {
        return new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsUTF8(value),
                StandardCharsets.UTF_8).transform(s -> "\"" + s + "\"");
    }
}
