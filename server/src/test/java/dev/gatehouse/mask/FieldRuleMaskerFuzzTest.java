package dev.gatehouse.mask;

import static dev.gatehouse.mask.JsonMaskerFuzzTest.quote;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.mask.detect.ValueScanner;
import io.vertx.core.buffer.Buffer;

/**
 * The field-rule masker with the shipped rules and the detectors: pods (env values), labelled ConfigMaps (with the
 * label before or after the data, or none) and SealedSecrets, as objects, lists, watch events, Table rows and inside
 * the last-applied annotation, with fuzzer-chosen values, extra strings, key case and cuts. Valid JSON in gives valid
 * JSON out, and no value a rule covers ever comes out (in clear or escaped).
 */
class FieldRuleMaskerFuzzTest {
    private static final MaskingSettings.Plans PLANS = MaskingSettings.defaults().plans();

    @FuzzTest(maxDuration = "20s")
    void neverEmitsACoveredValueAndKeepsJsonValid(FuzzedDataProvider data) {
        int kind = data.consumeInt(0, 2);
        String space = data.pickValue(new String[] {"", " ", "\n  "});
        List<String> covered = new ArrayList<>();
        String extra = quote(free(data, 60));
        String object = switch (kind) {
            case 0 -> pod(data, covered, space, extra);
            case 1 -> configMap(data, covered, space, extra);
            default -> sealed(data, covered, space, extra);
        };
        String body = switch (data.consumeInt(0, 4)) {
            case 0 -> object;
            case 1 -> "{\"kind\":\"List\"," + space + "\"items\":[" + object + "," + object + "]}";
            case 2 -> "{\"type\":\"ADDED\",\"object\":" + object + "}\n{\"type\":\"MODIFIED\",\"object\":" + object
                    + "}\n";
            case 3 -> "{\"kind\":\"Table\",\"rows\":[{\"cells\":[" + extra + "]," + space + "\"object\":" + object
                    + "}]}";
            default -> "{\"metadata\":{\"labels\":{\"gatehouse.dev/mask\":\"true\"},\"annotations\":{\""
                    + JsonMasker.LAST_APPLIED + "\":" + quote(object) + "}}," + space + "\"data\":{}}";
        };
        String resource = kind == 0 ? "pods" : kind == 1 ? "configmaps" : "sealedsecrets";
        RequestInfo info = new RequestInfo("c", "/x", true, "list", kind == 2 ? "apis" : "api",
                kind == 2 ? "bitnami.com" : "", "v1", "n", resource, "", "");
        byte[] out = maskAt(info, body.getBytes(StandardCharsets.UTF_8), JsonMaskerFuzzTest.cuts(data));
        if (!JsonMaskerFuzzTest.validJson(out)) {
            throw new IllegalStateException("the masker emitted invalid JSON for a valid body");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        for (String value : covered) {
            String escaped = quote(value);
            if (text.contains("s3cr3t") || text.contains(escaped.substring(1, escaped.length() - 1))) {
                throw new IllegalStateException("a value a rule covers came out unmasked");
            }
        }
    }

    /** A string that is not a covered value (it never holds the values' prefix). */
    private static String free(FuzzedDataProvider data, int length) {
        return data.consumeString(length).replace("s3cr3t", "s3cr3-");
    }

    private static String value(FuzzedDataProvider data, List<String> covered) {
        String v = "s3cr3t" + data.consumeString(30);
        covered.add(v);
        return quote(v);
    }

    private static String name(FuzzedDataProvider data, String name) {
        return data.consumeBoolean() ? name : name.toUpperCase(java.util.Locale.ROOT);
    }

    private static String pod(FuzzedDataProvider data, List<String> covered, String space, String extra) {
        String env = "{\"name\":\"A\"," + space + "\"" + name(data, "value") + "\":" + value(data, covered) + "}";
        String container = "{\"name\":\"c\",\"args\":[" + extra + "],\"" + name(data, "env") + "\":[" + env + ","
                + env + "]}";
        String spec = "{\"containers\":[" + container + "]," + space + "\"initContainers\":[" + container + "]}";
        return data.consumeBoolean() ? "{\"metadata\":{\"name\":\"p\"}," + space + "\"spec\":" + spec + "}"
                : "{\"spec\":{\"template\":{\"spec\":" + spec + "}}," + space + "\"metadata\":{\"name\":\"d\"}}";
    }

    private static String configMap(FuzzedDataProvider data, List<String> covered, String space, String extra) {
        boolean labelled = data.consumeBoolean();
        String labels = labelled ? "{\"gatehouse.dev/mask\":\"true\",\"x\":" + extra + "}" : "{\"x\":\"y\"}";
        String metadata = "\"metadata\":{\"name\":\"cm\"," + space + "\"labels\":" + labels + "}";
        boolean dataFirst = data.consumeBoolean();
        String d = "\"data\":{\"k\":" + (labelled || dataFirst ? value(data, covered) : quote(free(data, 20)))
                + ",\"e\":" + extra + "}";
        return "{" + (dataFirst ? d + "," + space + metadata : metadata + "," + space + d) + "}";
    }

    private static String sealed(FuzzedDataProvider data, List<String> covered, String space, String extra) {
        return "{\"spec\":{\"encryptedData\":{\"k\":" + value(data, covered) + "}," + space + "\"template\":{\"data\":"
                + "{\"u\":" + value(data, covered) + "},\"metadata\":{\"name\":" + extra + "}}}}";
    }

    private static byte[] maskAt(RequestInfo info, byte[] body, List<Integer> cuts) {
        JsonMasker masker = new JsonMasker(Fingerprints.with(SecretBodies.KEY), PLANS.planFor(info), new ValueScanner(),
                ClientView.MASKED);
        Buffer out = Buffer.buffer();
        int at = 0;
        int i = 0;
        while (at < body.length) {
            int size = cuts.isEmpty() ? body.length : cuts.get(i++ % cuts.size());
            int to = Math.min(body.length, at + size);
            out.appendBuffer(masker.chunk(Buffer.buffer(Arrays.copyOfRange(body, at, to))));
            at = to;
        }
        return out.appendBuffer(masker.end()).getBytes();
    }
}
