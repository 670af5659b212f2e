package dev.gatehouse.mask;

import static dev.gatehouse.mask.SecretBodies.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.vertx.core.buffer.Buffer;

class JsonMaskerTest {
    static final String PLAIN = "hunter2-plain-s3cret";
    static final String UNICODE = "pässwörd-☃-\uD834\uDD1E-s3cret";
    static final String ESCAPES = "line\nbreak\t\"quoted\"\\ \u0000 nul </script> s3cret";
    static final String LONG = "L".repeat(40_000) + "-end-s3cret";
    static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.token-s3cret";
    static final List<String> VALUES = List.of(PLAIN, UNICODE, ESCAPES, LONG, TOKEN);

    static ObjectNode fullSecret(String name) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("password", PLAIN);
        data.put("unicode", UNICODE);
        data.put("escapes", ESCAPES);
        data.put("long", LONG);
        data.put("same", PLAIN);
        return SecretBodies.secret(name, data, Map.of("token", TOKEN, "also-plain", PLAIN));
    }

    static List<ObjectNode> someSecrets() {
        ObjectNode empty = SecretBodies.secret("empty", Map.of(), null);
        ObjectNode nullData = SecretBodies.secret("null-data", null, null);
        nullData.putNull("data");
        return List.of(fullSecret("one"), empty, SecretBodies.withLastApplied(fullSecret("applied")), nullData);
    }

    static Stream<Arguments> representations() {
        Map<String, Supplier<String>> bodies = new LinkedHashMap<>();
        bodies.put("single Secret, compact", () -> fullSecret("one").toString());
        bodies.put("single Secret, pretty", () -> pretty(fullSecret("one")));
        bodies.put("Secret with last-applied annotation", () -> SecretBodies.withLastApplied(fullSecret("a")).toString());
        bodies.put("Secret with empty data", () -> SecretBodies.secret("e", Map.of(), Map.of()).toString());
        bodies.put("Secret with data: null", () -> SecretBodies.secret("n", null, null).putNull("data").toString());
        bodies.put("SecretList, compact", () -> SecretBodies.list(someSecrets()).toString());
        bodies.put("SecretList, pretty", () -> pretty(SecretBodies.list(someSecrets())));
        bodies.put("watch stream", () -> SecretBodies.watch(someSecrets()));
        bodies.put("Table, includeObject=Object", () -> SecretBodies.table(someSecrets(), true).toString());
        bodies.put("Table, includeObject=Metadata", () -> SecretBodies.table(someSecrets(), false).toString());
        bodies.put("watch of Tables", () -> {
            ObjectNode event = JSON.createObjectNode().put("type", "ADDED");
            event.set("object", SecretBodies.table(someSecrets(), true));
            return event + "\n" + event + "\n";
        });
        List<Arguments> cases = new ArrayList<>();
        for (Map.Entry<String, Supplier<String>> body : bodies.entrySet()) {
            for (int chunk : new int[] {1, 7, 4096, Integer.MAX_VALUE}) {
                cases.add(Arguments.of(body.getKey(), chunk, body.getValue().get()));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} in chunks of {1}")
    @MethodSource("representations")
    void masksEveryValueInEveryRepresentationAtAnyChunking(String representation, int chunk, String body) {
        byte[] in = body.getBytes(StandardCharsets.UTF_8);
        byte[] out = SecretBodies.mask(in, chunk);

        assertNoLeak(out);
        List<JsonNode> expected = SecretBodies.roots(in).stream().map(SecretBodies::expected)
                .map(JsonMaskerTest::normalized).toList();
        assertThat(SecretBodies.roots(out).stream().map(JsonMaskerTest::normalized).toList()).isEqualTo(expected);
    }

    @Test
    void keepsEveryByteButTheMaskedValues() {
        String body = pretty(SecretBodies.secret("s", Map.of("a", "x-s3cret"), Map.of("b", "y-s3cret")))
                .replace("\"Opaque\"", "1.0e0");
        String out = new String(SecretBodies.mask(body.getBytes(StandardCharsets.UTF_8), 5), StandardCharsets.UTF_8);

        Fingerprints fp = Fingerprints.with(SecretBodies.KEY);
        assertThat(out).isEqualTo(body
                .replace(SecretBodies.base64("x-s3cret"), fp.dataMarker("x-s3cret".getBytes(StandardCharsets.UTF_8)))
                .replace("y-s3cret", fp.marker("y-s3cret".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void sendsEachWatchEventWithTheChunkThatCompletesIt() {
        JsonMasker masker = new JsonMasker(Fingerprints.with(SecretBodies.KEY));
        String first = "{\"type\":\"ADDED\",\"object\":{\"data\":{\"k\":\"" + SecretBodies.base64(PLAIN) + "\"}}}\n";

        Buffer out = masker.chunk(Buffer.buffer(first + "{\"type\":\"MODI"));

        String marker = Fingerprints.with(SecretBodies.KEY).dataMarker(PLAIN.getBytes(StandardCharsets.UTF_8));
        assertThat(out.toString()).startsWith(first.replace(SecretBodies.base64(PLAIN), marker))
                .doesNotContain(SecretBodies.base64(PLAIN));
        assertThat(masker.chunk(Buffer.buffer("FIED\"")).toString()).isEqualTo("FIED\"");
    }

    @Test
    void holdsBackOnlyAValueThatMayBeMasked() {
        JsonMasker masker = new JsonMasker(Fingerprints.with(SecretBodies.KEY));
        String b64 = SecretBodies.base64(PLAIN);

        Buffer out = masker.chunk(Buffer.buffer("{\"data\":{\"k\":\"" + b64.substring(0, 6)));

        assertThat(out.toString()).isEqualTo("{\"data\":{\"k\"");
        assertThat(masker.chunk(Buffer.buffer(b64.substring(6) + "\"}}")).toString())
                .startsWith(":\"").doesNotContain(b64.substring(6));
    }

    @Test
    void givesEqualValuesEqualMarkersAndDifferentValuesDifferentOnes() {
        String body = SecretBodies.secret("s", Map.of("a", PLAIN, "b", PLAIN, "c", TOKEN), Map.of("d", PLAIN))
                .toString();
        JsonNode out = SecretBodies.roots(SecretBodies.mask(body.getBytes(StandardCharsets.UTF_8), 3)).get(0);

        JsonNode data = out.get("data");
        assertThat(data.get("a")).isEqualTo(data.get("b")).isNotEqualTo(data.get("c"));
        String decoded = new String(Base64.getDecoder().decode(data.get("a").asText()), StandardCharsets.US_ASCII);
        assertThat(decoded).isEqualTo(out.get("stringData").get("d").asText())
                .startsWith(Fingerprints.PREFIX + SecretBodies.KEY.id() + ":").hasSize(Fingerprints.MARKER_LENGTH);
    }

    @Test
    void leaksNoLengthInTheMarker() {
        Fingerprints fp = Fingerprints.with(SecretBodies.KEY);
        assertThat(fp.marker(new byte[0])).hasSameSizeAs(fp.marker(new byte[1_000_000]));
        assertThat(fp.dataMarker(new byte[1])).hasSameSizeAs(fp.dataMarker(new byte[70_000]));
    }

    static Stream<Arguments> hostileBodies() {
        String b64 = SecretBodies.base64(PLAIN);
        return Stream.of(
                Arguments.of("field name escaped", "{\"d\\u0061ta\":{\"k\":\"" + b64 + "\"}}"),
                Arguments.of("field name in upper case", "{\"DATA\":{\"k\":\"" + b64 + "\"}}"),
                Arguments.of("stringData in mixed case", "{\"StringDATA\":{\"k\":\"" + PLAIN + "\"}}"),
                Arguments.of("stringData with a long s, as Go's decoder folds it",
                        "{\"\u017ftringData\":{\"k\":\"" + PLAIN + "\"}}"),
                Arguments.of("duplicate data keys", "{\"data\":{\"k\":\"x\"},\"data\":{\"k\":\"" + b64 + "\"}}"),
                Arguments.of("data value not base64", "{\"data\":{\"k\":\"" + PLAIN + "\"}}"),
                Arguments.of("data as a string", "{\"data\":\"" + PLAIN + "\"}"),
                Arguments.of("data nested and in arrays",
                        "{\"data\":{\"k\":[{\"x\":\"" + PLAIN + "\"},[\"" + b64 + "\"]]}}"),
                Arguments.of("data value a number", "{\"data\":{\"k\":31415926535897}}"),
                Arguments.of("kind after data", "{\"items\":[{\"data\":{\"k\":\"" + b64 + "\"},\"kind\":\"Secret\"}]}"),
                Arguments.of("a value that looks like a marker",
                        "{\"stringData\":{\"k\":\"" + Fingerprints.PREFIX + "00000000:" + PLAIN + "\"}}"),
                Arguments.of("last-applied not JSON", "{\"metadata\":{\"annotations\":{\""
                        + JsonMasker.LAST_APPLIED + "\":\"{not json " + PLAIN + "\"}}}"),
                Arguments.of("last-applied an object", "{\"metadata\":{\"annotations\":{\""
                        + JsonMasker.LAST_APPLIED + "\":{\"data\":\"" + PLAIN + "\"}}}}"),
                Arguments.of("last-applied nested in last-applied", "{\"metadata\":{\"annotations\":{\""
                        + JsonMasker.LAST_APPLIED + "\":" + quote("{\"metadata\":{\"annotations\":{\""
                        + JsonMasker.LAST_APPLIED + "\":" + quote("{\"stringData\":{\"k\":\"" + PLAIN + "\"}}")
                        + "}}}") + "}}}"),
                Arguments.of("whitespace everywhere", " \n{ \"data\" :\t{ \"k\" :\r\n \"" + b64 + "\" } } \n "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileBodies")
    void masksValuesInHostileShapes(String name, String body) {
        for (int chunk : new int[] {1, 2, 3, 1000}) {
            byte[] out = SecretBodies.mask(body.getBytes(StandardCharsets.UTF_8), chunk);
            assertNoLeak(out);
            assertThat(new String(out, StandardCharsets.UTF_8)).doesNotContain("s3cret");
        }
    }

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                Arguments.of("YAML", "apiVersion: v1\nkind: Secret\ndata:\n  k: aHVudGVyMg==\n"),
                Arguments.of("protobuf", "k8s\u0000\n\u000f\n\u0002v1\u0012\u0006Secret"),
                Arguments.of("cut off inside a value", "{\"data\":{\"k\":\"aHVudGVy"),
                Arguments.of("cut off between values", "{\"data\":{\"k\":\"aHVudGVy\"}"),
                Arguments.of("garbage after a value", "{\"data\":{}} ]"),
                Arguments.of("unquoted field name", "{data:{\"k\":\"aHVudGVy\"}}"),
                Arguments.of("single quotes", "{'data':{'k':'aHVudGVy'}}"),
                Arguments.of("a comment", "{/*x*/\"data\":{}}"),
                Arguments.of("too deep", "[".repeat(2000) + "]".repeat(2000)),
                Arguments.of("invalid UTF-8", "{\"data\":{\"k\":\"\u00ff\"}}"),
                Arguments.of("a root number run into the next value", "{\"data\":{}}7{\"data\":{}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBodies")
    void refusesABodyThatIsNotJson(String name, String body) {
        byte[] in = name.equals("invalid UTF-8")
                ? new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'}
                : body.getBytes(StandardCharsets.UTF_8);
        JsonMasker masker = new JsonMasker(Fingerprints.with(SecretBodies.KEY));

        assertThatThrownBy(() -> {
            masker.chunk(Buffer.buffer(in));
            masker.end();
        }).isInstanceOf(MaskingException.class).hasMessageNotContaining("aHVudGVy").hasMessageNotContaining("Secret");
        assertThatThrownBy(() -> masker.chunk(Buffer.buffer("{}"))).isInstanceOf(MaskingException.class);
    }

    @Test
    void passesAnEmptyBody() {
        assertThat(SecretBodies.mask(new byte[0], 1)).isEmpty();
    }

    @Test
    void keepsMemoryFlatWhileMaskingFiftyMegabytes() {
        StringBuilder items = new StringBuilder("{\"kind\":\"SecretList\",\"apiVersion\":\"v1\",\"items\":[");
        byte[] item = SecretBodies.secret("x", Map.of("password", PLAIN, "token", TOKEN), Map.of("u", UNICODE))
                .toString().getBytes(StandardCharsets.UTF_8);
        JsonMasker masker = new JsonMasker(Fingerprints.with(SecretBodies.KEY));
        long in = 0;
        long out = masker.chunk(Buffer.buffer(items.toString())).length();
        int maxRetained = 0;
        Buffer chunk = Buffer.buffer();
        while (in < 50L * 1024 * 1024) {
            chunk.appendBytes(item).appendString(",");
            if (chunk.length() >= 64 * 1024) {
                in += chunk.length();
                out += masker.chunk(chunk).length();
                maxRetained = Math.max(maxRetained, masker.retainedBytes());
                chunk = Buffer.buffer();
            }
        }
        out += masker.chunk(chunk.appendBytes(item).appendString("]}")).length() + masker.end().length();

        assertThat(maxRetained).isLessThan(1024 * 1024);
        assertThat(out).isGreaterThan(in / 2);
    }

    static void assertNoLeak(byte[] out) {
        String text = new String(out, StandardCharsets.UTF_8);
        for (String value : VALUES) {
            String escaped = new String(JsonStringEncoder.getInstance().quoteAsString(value));
            String twice = new String(JsonStringEncoder.getInstance().quoteAsString(escaped));
            assertThat(text).doesNotContain(value).doesNotContain(escaped).doesNotContain(twice)
                    .doesNotContain(SecretBodies.base64(value));
        }
        assertThat(text).doesNotContain("s3cret");
        Set<String> texts = new HashSet<>();
        SecretBodies.roots(out).forEach(root -> collectTexts(root, texts));
        for (String t : texts) {
            assertThat(t).doesNotContain("s3cret");
            try {
                assertThat(new String(Base64.getDecoder().decode(t), StandardCharsets.UTF_8)).doesNotContain("s3cret");
            } catch (IllegalArgumentException notBase64) {
                // not a base64 value
            }
        }
    }

    private static void collectTexts(JsonNode node, Set<String> texts) {
        if (node.isTextual()) {
            texts.add(node.asText());
            try {
                collectTexts(JSON.readTree(node.asText()), texts);
            } catch (Exception notJson) {
                // an ordinary string
            }
        }
        node.forEach(child -> collectTexts(child, texts));
        node.fieldNames().forEachRemaining(texts::add);
    }

    /** The tree with every last-applied annotation parsed, so formatting inside it does not matter. */
    static JsonNode normalized(JsonNode node) {
        JsonNode copy = node.deepCopy();
        copy.findParents(JsonMasker.LAST_APPLIED).forEach(parent -> {
            JsonNode value = parent.get(JsonMasker.LAST_APPLIED);
            if (value.isTextual()) {
                try {
                    ((ObjectNode) parent).set(JsonMasker.LAST_APPLIED, normalized(JSON.readTree(value.asText())));
                } catch (Exception notJson) {
                    ((ObjectNode) parent).set(JsonMasker.LAST_APPLIED, TextNode.valueOf(value.asText()));
                }
            }
        });
        return copy;
    }

    static String pretty(JsonNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String quote(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }
}
