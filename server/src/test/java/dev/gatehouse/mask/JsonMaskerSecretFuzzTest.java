package dev.gatehouse.mask;

import static dev.gatehouse.mask.JsonMaskerFuzzTest.base64;
import static dev.gatehouse.mask.JsonMaskerFuzzTest.quote;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Secrets in every shape the masker knows (object, list, watch event, Table row, last-applied annotation), pretty or
 * compact, with fuzzer-chosen values and cuts: no value may appear in the output, in clear, escaped or base64.
 */
class JsonMaskerSecretFuzzTest {
    @FuzzTest(maxDuration = "15s")
    void noSecretValueEverComesOut(FuzzedDataProvider data) {
        List<String> values = new ArrayList<>();
        int count = data.consumeInt(1, 4);
        for (int i = 0; i < count; i++) {
            values.add("s3cr3t" + data.consumeString(40));
        }
        int shape = data.consumeInt(0, 4);
        String space = data.pickValue(new String[] {"", " ", "\n  ", "\t"});
        List<Integer> cuts = JsonMaskerFuzzTest.cuts(data);
        String secret = secret(values, space, data.consumeBoolean());
        String body = switch (shape) {
            case 0 -> secret;
            case 1 -> "{\"kind\":\"SecretList\"," + space + "\"items\":[" + secret + "," + secret + "]}";
            case 2 -> "{\"type\":\"ADDED\",\"object\":" + secret + "}\n{\"type\":\"DELETED\",\"object\":" + secret
                    + "}\n";
            case 3 -> "{\"kind\":\"Table\",\"rows\":[{\"cells\":[\"x\"]," + space + "\"object\":" + secret + "}]}";
            default -> "{\"metadata\":{\"annotations\":{\"" + JsonMasker.LAST_APPLIED + "\":" + quote(secret)
                    + "}}," + space + "\"data\":{}}";
        };
        byte[] out = JsonMaskerFuzzTest.maskAt(body.getBytes(StandardCharsets.UTF_8), cuts);
        String text = new String(out, StandardCharsets.UTF_8);
        if (!JsonMaskerFuzzTest.validJson(out)) {
            throw new IllegalStateException("the masker emitted invalid JSON for a valid Secret body");
        }
        for (String value : values) {
            String escaped = quote(value);
            escaped = escaped.substring(1, escaped.length() - 1);
            if (text.contains("s3cr3t") || text.contains(escaped) || text.contains(base64(value))
                    || text.contains(base64(value).replace("=", ""))) {
                throw new IllegalStateException("a Secret value came out unmasked");
            }
        }
    }

    private static String secret(List<String> values, String space, boolean asStringData) {
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            String value = asStringData ? quote(values.get(i))
                    : "\"" + Base64.getEncoder().encodeToString(values.get(i).getBytes(StandardCharsets.UTF_8)) + "\"";
            fields.append(i == 0 ? "" : ",").append(space).append("\"k").append(i).append("\":").append(space)
                    .append(value);
        }
        return "{\"metadata\":{\"name\":\"x\"}," + space + "\"" + (asStringData ? "stringData" : "data") + "\":{"
                + fields + "}," + space + "\"type\":\"Opaque\"}";
    }
}
