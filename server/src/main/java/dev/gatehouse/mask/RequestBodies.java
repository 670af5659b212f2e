package dev.gatehouse.mask;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.gatehouse.chain.BodyCapture;
import dev.gatehouse.chain.Exchange;
import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.mask.detect.ValueScanner;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * What the audit record keeps of a write's body (create, update, patch — server-side apply included): the object as
 * JSON, the {@code requestObject} of an {@code audit.k8s.io/v1} Event at level {@code Request}, with every Secret value
 * masked by {@link JsonMasker} (the same markers as responses). Read are JSON, YAML, JSON patch, merge and strategic
 * merge patch, apply patch and Kubernetes protobuf, identity or gzip encoded.
 *
 * <p>Secrets are found by the request path ({@link MaskRules}) and, in any body, by an object whose {@code kind} is
 * {@code Secret} in any casing (a Secret inside a {@code List}, a last-applied annotation, a JSON patch value). A body
 * that cannot be read (another media type or encoding, invalid JSON or YAML, protobuf of an unknown kind) or is longer
 * than {@link #MAX_RECORDED_BYTES} is recorded only as a marker object {@value #UNRECORDED}: why, media type, size,
 * and the SHA-256 of the body — or, on a masked path, its keyed fingerprint (a plain SHA-256 of a small Secret would
 * let a guess be checked). The raw body is never recorded. Never throws.
 */
public final class RequestBodies {
    /** The longest body recorded as an object (as sent, and after inflating gzip); longer ones become a marker. */
    public static final int MAX_RECORDED_BYTES = 256 * 1024;
    /** The field of the marker object that stands for a body not recorded. */
    public static final String UNRECORDED = "gatehouse:unrecorded";
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final ObjectMapper YAML = YAMLMapper.builder(new YAMLFactory())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final ValueScanner DETECTORS = new ValueScanner();

    private final MaskRules rules;
    private final Supplier<MaskKey> key;
    /** The field rules and detectors of responses (null: Secrets only). */
    private final MaskingSettings.Plans plans;

    /**
     * @param rules the paths whose bodies are Secrets
     * @param key   the key markers are made with, read once per body
     */
    public RequestBodies(MaskRules rules, Supplier<MaskKey> key) {
        this(rules, key, null);
    }

    /**
     * Secrets, and the configured field rules and detectors applied to what is written as they are to what is read:
     * the audit log never holds a value a response would have masked.
     */
    public RequestBodies(MaskingSettings settings, Supplier<MaskKey> key) {
        this(MaskRules.SECRETS, key, settings.plans());
    }

    private RequestBodies(MaskRules rules, Supplier<MaskKey> key, MaskingSettings.Plans plans) {
        this.rules = rules;
        this.key = key;
        this.plans = plans;
    }

    /** Core-group Secrets, with the current key of {@code keys}. */
    public RequestBodies(MaskKeys keys) {
        this(MaskRules.SECRETS, keys::current);
    }

    /** Whether a request's body is recorded: a create, update or patch of a resource. */
    public static boolean recorded(RequestInfo info) {
        return info != null && info.resourceRequest() && switch (info.verb()) {
            case "create", "update", "patch" -> true;
            default -> false;
        };
    }

    /**
     * The body stream to forward: for a recorded write, {@code body} with each chunk copied (bounded) into a capture
     * kept on the exchange as it passes — nothing is held back; otherwise {@code body} itself.
     */
    public static ReadStream<Buffer> tap(Exchange exchange, ReadStream<Buffer> body) {
        if (!recorded(exchange.info())) {
            return body;
        }
        BodyCapture capture = new BodyCapture(MAX_RECORDED_BYTES);
        exchange.bodyCapture(capture);
        return capture.tap(body);
    }

    /** The {@code requestObject} of the exchange's record; null when it is not a write or carried no body. */
    public JsonNode requestObject(Exchange exchange) {
        if (!recorded(exchange.info())) {
            return null;
        }
        BodyCapture capture = exchange.body() != null ? BodyCapture.of(exchange.body(), Integer.MAX_VALUE)
                : exchange.bodyCapture();
        if (capture == null || capture.totalBytes() == 0) {
            return null;
        }
        var headers = exchange.head().headers();
        return requestObject(exchange.info(), headers.get("Content-Type"), headers.get("Content-Encoding"), capture);
    }

    /** The {@code requestObject} for a body as captured. */
    public JsonNode requestObject(RequestInfo info, String contentType, String contentEncoding, BodyCapture body) {
        boolean masked = rules.masks(info);
        String mediaType = mediaType(contentType);
        if (!body.complete() || body.totalBytes() > MAX_RECORDED_BYTES) {
            return unrecorded(body.ended() ? "longer than " + MAX_RECORDED_BYTES + " bytes"
                    : "the body had not ended when the request completed", mediaType, contentEncoding, body, masked);
        }
        byte[] bytes = body.bytes();
        try {
            byte[] decoded = decode(contentEncoding, bytes);
            if (decoded == null) {
                return unrecorded("inflated longer than " + MAX_RECORDED_BYTES + " bytes", mediaType, contentEncoding,
                        body, masked);
            }
            JsonNode object = read(mediaType, decoded);
            Fingerprints fingerprints = Fingerprints.with(key.get());
            JsonNode secretsMasked = mediaType.equals("application/json-patch+json") && masked && object.isArray()
                    ? JsonPatches.mask(object, fingerprints)
                    : SecretWalk.mask(object, masked, fingerprints);
            return masked ? secretsMasked : fieldRules(info, mediaType, secretsMasked, fingerprints);
        } catch (Unreadable e) {
            return unrecorded(e.getMessage(), mediaType, contentEncoding, body, masked);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            return unrecorded("not readable as " + (mediaType.isEmpty() ? "JSON" : mediaType), mediaType,
                    contentEncoding, body, masked);
        }
    }

    /**
     * The configured field rules and detectors over a body that is not a Secret's, as over a response of the same
     * resource (a label selector counts as matching until the labels are read: fail closed). A JSON patch names
     * fields by pointer, not by the object's shape, so on a resource with rules every scalar its operations carry is
     * masked ({@link SecretWalk#maskAll}).
     */
    private JsonNode fieldRules(RequestInfo info, String mediaType, JsonNode body, Fingerprints fingerprints)
            throws IOException {
        if (plans == null) {
            return body;
        }
        MaskPlan plan = plans.planFor(info);
        boolean detect = plans.detects(info);
        if (plan == null && !detect) {
            return body;
        }
        if (plan != null && mediaType.equals("application/json-patch+json") && body.isArray()) {
            for (JsonNode op : body) {
                if (op instanceof ObjectNode o && o.has("value")) {
                    o.set("value", SecretWalk.maskAll(o.get("value"), fingerprints));
                }
            }
            return body;
        }
        byte[] masked = JsonMasker.maskWhole(JSON.writeValueAsBytes(body), fingerprints,
                plan == null ? MaskPlan.NOTHING : plan, detect ? DETECTORS : null);
        return JSON.readTree(masked);
    }

    /** The body without its content encoding; null when it inflates past the bound. */
    private static byte[] decode(String contentEncoding, byte[] bytes) throws IOException, Unreadable {
        String encoding = contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        return switch (encoding) {
            case "", "identity" -> bytes;
            case "gzip", "x-gzip" -> inflate(bytes);
            default -> throw new Unreadable("Content-Encoding " + printable(encoding) + " is not read");
        };
    }

    private static byte[] inflate(byte[] bytes) throws IOException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                if (out.size() > MAX_RECORDED_BYTES) {
                    return null;
                }
            }
            return out.toByteArray();
        }
    }

    /** The body as a JSON tree, by its media type. */
    private static JsonNode read(String mediaType, byte[] body) throws IOException, Unreadable {
        JsonNode node = switch (mediaType) {
            case "", "application/json", "application/merge-patch+json", "application/strategic-merge-patch+json",
                 "application/json-patch+json" -> JSON.readTree(body);
            case "application/yaml", "application/apply-patch+yaml", "application/x-yaml", "text/yaml" ->
                    YAML.readTree(body);
            case ProtobufBodies.MEDIA_TYPE -> ProtobufBodies.toJson(body);
            default -> throw new Unreadable("media type " + printable(mediaType) + " is not read");
        };
        if (node == null || node.isMissingNode()) {
            throw new Unreadable("empty " + mediaType + " document");
        }
        return node;
    }

    static String mediaType(String contentType) {
        return contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }

    private JsonNode unrecorded(String reason, String mediaType, String contentEncoding, BodyCapture body,
                                boolean masked) {
        ObjectNode marker = NODES.objectNode();
        ObjectNode about = marker.putObject(UNRECORDED);
        about.put("reason", reason);
        about.put("contentType", printable(mediaType));
        if (contentEncoding != null && !contentEncoding.isBlank()) {
            about.put("contentEncoding", printable(contentEncoding));
        }
        about.put("bytes", body.totalBytes());
        if (!masked) {
            about.put("sha256", body.sha256());
        } else if (body.complete()) {
            about.put("fingerprint", Fingerprints.with(key.get()).marker(body.bytes()));
        }
        return marker;
    }

    /** A header value as a record may show it: printable ASCII, at most 100 characters. */
    private static String printable(String value) {
        String shown = value.length() > 100 ? value.substring(0, 100) + "…" : value;
        return shown.replaceAll("[^\\x20-\\x7e…]", "?");
    }

    /** A body this class does not read; the message says why (never its content). */
    static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

}
