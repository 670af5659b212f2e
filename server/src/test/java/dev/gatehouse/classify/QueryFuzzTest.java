package dev.gatehouse.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.gatehouse.status.GatewayException;

/**
 * The query parser under hostile query strings: it throws nothing but its 400 refusal; what it accepts, Go's
 * {@code url.ParseQuery} reads as the same parameters with the same values, and {@code watch} and the field
 * selector's name read as the apiserver reads them ({@link ApiServerReading}); a repeated {@code watch},
 * {@code follow} or {@code fieldSelector} is refused; any value, percent-encoded, comes back unchanged. Jazzer fuzzes
 * one target per JVM, so each target has its own class; the suite runs every class in fuzzing mode for a few seconds
 * ({@code fuzz} execution in server/pom.xml), {@code scripts/fuzz.sh} for longer. Inputs that broke a target are kept
 * under src/test/resources and replayed in every run.
 */
class QueryFuzzTest {
    private static final List<String> PIECES = List.of("watch", "follow", "fieldSelector", "=", "&", ";", "%", "%3D",
            "%26", "%2C", "%5C", "+", "%+1", "%-0", "%FF", "%C3%A9", "%ED%A0%80", "metadata.name", "==", "!=", ",",
            "\\", " ", "true", "false", "0", "f", "F", "");
    private static final List<String> SINGLE = List.of("watch", "follow", "fieldSelector");

    @FuzzTest(maxDuration = "5s")
    void parsesAsGoDoesOrRefuses(FuzzedDataProvider data) {
        switch (data.consumeInt(0, 2)) {
            case 0 -> readsAsGo(randomQuery(data));
            case 1 -> refusesRepeats(data);
            default -> roundTrips(data);
        }
    }

    private static void readsAsGo(String raw) {
        Query query;
        try {
            query = Query.parse(raw);
        } catch (GatewayException refused) {
            assertThat(refused.status().code()).isEqualTo(400);
            return;
        }
        Map<String, List<String>> go = ApiServerReading.parseQuery(raw);
        for (Map.Entry<String, List<String>> e : go.entrySet()) {
            String key = new String(e.getKey().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            assertThat(query.all(key).stream().map(ApiServerReading::bytes).toList()).as(raw).isEqualTo(e.getValue());
        }
        try {
            assertThat(query.flag("watch")).as(raw).isEqualTo(ApiServerReading.bool(go.get("watch")));
        } catch (GatewayException refused) {
            assertThat(refused.status().code()).isEqualTo(400);
        }
        String name;
        try {
            name = query.fieldSelectorName();
        } catch (GatewayException refused) {
            assertThat(refused.status().code()).isEqualTo(400);
            return;
        }
        List<String> selectors = go.get("fieldSelector");
        String expected = selectors == null ? "" : ApiServerReading.exactName(selectors.get(0));
        assertThat(expected).as("the gateway read a selector the apiserver cannot parse: %s", raw).isNotNull();
        if (expected.equals(".") || expected.equals("..") || expected.contains("/") || expected.contains("%")) {
            expected = "";
        }
        assertThat(ApiServerReading.bytes(name)).as(raw).isEqualTo(expected);
    }

    private static void refusesRepeats(FuzzedDataProvider data) {
        String key = data.pickValue(SINGLE);
        String raw = randomQuery(data) + "&" + key + "=" + encode(data.consumeString(8)) + "&" + randomQuery(data)
                + "&" + key + (data.consumeBoolean() ? "" : "=" + encode(data.consumeString(8)));
        assertThatThrownBy(() -> Query.parse(raw)).as(raw).isInstanceOf(GatewayException.class)
                .satisfies(e -> assertThat(((GatewayException) e).status().code()).isEqualTo(400));
    }

    private static void roundTrips(FuzzedDataProvider data) {
        String value = data.consumeString(64);
        if (!value.equals(new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))) {
            return; // a lone surrogate has no UTF-8 form to send
        }
        String raw = "limit=5&labelSelector=" + encode(value) + "&x";
        assertThat(Query.parse(raw).first("labelSelector")).isEqualTo(value);
        assertThat(Query.parse(raw).raw()).isEqualTo(raw);
    }

    private static String randomQuery(FuzzedDataProvider data) {
        StringBuilder b = new StringBuilder();
        int n = data.consumeInt(0, 12);
        for (int i = 0; i < n; i++) {
            b.append(data.consumeBoolean() ? data.pickValue(PIECES) : data.consumeString(4));
        }
        return b.toString();
    }

    private static String encode(String value) {
        StringBuilder b = new StringBuilder();
        for (byte x : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (x & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
                b.append(c);
            } else if (c == ' ') {
                b.append('+');
            } else {
                b.append('%').append(String.format("%02X", (int) c));
            }
        }
        return b.toString();
    }
}
