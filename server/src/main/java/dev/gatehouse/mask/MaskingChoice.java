package dev.gatehouse.mask;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import dev.gatehouse.chain.Exchange;
import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.forward.BodyTransform;
import dev.gatehouse.mask.detect.DetectionSettings;
import dev.gatehouse.mask.detect.TextMasker;
import dev.gatehouse.mask.detect.ValueScanner;
import dev.gatehouse.status.GatewayException;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

/**
 * Chooses each response's transform from the request and the response's headers, before any byte of the body goes
 * out: the identity (the same buffers passed on, no cost) for every request {@link MaskRules} does not name and for
 * bodiless answers; a {@link JsonMasker} for JSON (and responses without a {@code Content-Type}), behind a
 * {@link GzipJsonMasker} for {@code Content-Encoding: gzip}; a 502 {@code Status} for any other media type or encoding
 * on a masked path (protobuf, YAML, CBOR, ...), so nothing unmasked is ever relayed. Error responses on masked paths
 * go through the masker too (they are JSON Status bodies; masking them is harmless).
 *
 * <p>{@code pods/log} responses ({@code kubectl logs}, followed or not) pass a {@link TextMasker}: the built-in
 * detectors (private keys, cloud keys, tokens, passwords in URLs, high-entropy values) in plain text, whatever the
 * {@code Content-Type}; a {@code Content-Encoding} other than identity is refused as above.
 * {@link #sessionMasker()} gives session recordings the same masker.
 *
 * <p>On the request side, {@link #upstreamAccept} asks the cluster for JSON, identity-encoded, on masked paths, and
 * for identity encoding on {@code pods/log}.
 */
public final class MaskingChoice implements BodyTransform.Choice {
    private static final ValueScanner SCANNER = new ValueScanner();

    private final MaskRules rules;
    private final Supplier<MaskKey> key;
    private final DetectionSettings detection;
    private final MaskingSettings.Plans plans;

    /**
     * @param key       the key markers are made with, read once per masked response (so a rotation applies at once)
     * @param detection where the built-in detectors apply
     */
    public MaskingChoice(MaskRules rules, Supplier<MaskKey> key, DetectionSettings detection) {
        this.rules = rules;
        this.key = key;
        this.detection = detection;
        this.plans = null;
    }

    /**
     * Secrets, the configured field rules, and the built-in detectors where {@code settings} say.
     *
     * @param key the key markers are made with, read once per masked response
     */
    public MaskingChoice(MaskingSettings settings, Supplier<MaskKey> key) {
        this.rules = MaskRules.SECRETS;
        this.key = key;
        this.detection = settings.text();
        this.plans = settings.plans();
    }

    /** Secrets under {@code rules}, and the built-in detectors in pod logs and session recordings. */
    public MaskingChoice(MaskRules rules, Supplier<MaskKey> key) {
        this(rules, key, DetectionSettings.defaults());
    }

    /** Masks Secrets, pod logs and session recordings with the current key of {@code keys}. */
    public MaskingChoice(MaskKeys keys) {
        this(MaskRules.SECRETS, keys::current);
    }

    /**
     * A new masker for one stream of a session recording (stdout or stderr), or null when recordings are not
     * masked.
     */
    public TextMasker sessionMasker() {
        return detection.sessionRecordings() ? new TextMasker(Fingerprints.with(key.get())) : null;
    }

    @Override
    public BodyTransform of(Exchange exchange, int status, MultiMap headers) {
        if (detection.podLogs() && podLog(exchange.info()) && !bodiless(exchange, status)) {
            return textMasker(headers);
        }
        RequestInfo info = exchange.info();
        MaskPlan plan = plans == null ? (rules.masks(info) ? MaskPlan.SECRETS : null) : plans.planFor(info);
        boolean detect = plans != null && plans.detects(info);
        if ((plan == null && !detect) || bodiless(exchange, status)) {
            return BodyTransform.IDENTITY;
        }
        String type = headers.get(HttpHeaders.CONTENT_TYPE);
        if (type != null && !isJson(type)) {
            throw refused(type, info);
        }
        String encoding = headers.get(HttpHeaders.CONTENT_ENCODING);
        JsonMasker masker = new JsonMasker(Fingerprints.with(key.get()), plan == null ? MaskPlan.NOTHING : plan,
                detect ? SCANNER : null, ClientView.of(exchange));
        headers.remove(HttpHeaders.CONTENT_LENGTH);
        if (encoding == null || encoding.isBlank() || encoding.trim().equalsIgnoreCase("identity")) {
            return masker;
        }
        String coding = encoding.trim().toLowerCase(Locale.ROOT);
        if (coding.equals("gzip") || coding.equals("x-gzip")) {
            headers.remove(HttpHeaders.CONTENT_ENCODING);
            return new GzipJsonMasker(masker);
        }
        throw refused(type + " with Content-Encoding " + encoding, info);
    }

    private BodyTransform textMasker(MultiMap headers) {
        String encoding = headers.get(HttpHeaders.CONTENT_ENCODING);
        if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
            throw GatewayException.badGateway("the gateway cannot mask pod logs with Content-Encoding "
                    + printable(encoding) + " (expected: identity), so it does not relay them");
        }
        headers.remove(HttpHeaders.CONTENT_LENGTH);
        return new TextMasker(Fingerprints.with(key.get()));
    }

    /** True for {@code pods/log} in the core group. */
    static boolean podLog(RequestInfo info) {
        return info != null && info.resourceRequest() && info.apiPrefix().equals("api") && info.apiGroup().isEmpty()
                && info.resource().equals("pods") && info.subresource().equals("log");
    }

    /**
     * For a masked path, rewrites the request's {@code Accept} to JSON only (keeping the JSON alternatives with
     * parameters, such as {@code application/json;as=Table;v=v1;g=meta.k8s.io}, and dropping protobuf, YAML, CBOR and
     * wildcards) and its {@code Accept-Encoding} to {@code identity}. Other requests are left alone.
     */
    public static void upstreamAccept(Exchange exchange, MultiMap headers) {
        upstreamAccept(MaskRules.SECRETS, exchange.info(), headers);
    }

    /**
     * As {@link #upstreamAccept(Exchange, MultiMap)}, for every path this choice masks: Secrets, the resources of the
     * configured field rules, and those the detectors search.
     */
    public void requestHeaders(Exchange exchange, MultiMap headers) {
        RequestInfo info = exchange.info();
        if (plans == null) {
            upstreamAccept(rules, info, headers);
        } else if (info != null && !podLog(info) && (plans.planFor(info) != null || plans.detects(info))) {
            acceptJson(headers);
        }
    }

    static void upstreamAccept(MaskRules rules, RequestInfo info, MultiMap headers) {
        if (podLog(info)) {
            headers.set(HttpHeaders.ACCEPT_ENCODING, "identity");
            return;
        }
        if (info == null || !rules.masks(info)) {
            return;
        }
        acceptJson(headers);
    }

    private static void acceptJson(MultiMap headers) {
        List<String> accepted = new ArrayList<>();
        for (String value : headers.getAll(HttpHeaders.ACCEPT)) {
            for (String range : value.split(",")) {
                String trimmed = range.trim();
                if (trimmed.indexOf(';') > 0 && isJson(trimmed) && !accepted.contains(trimmed)) {
                    accepted.add(trimmed);
                }
            }
        }
        accepted.add("application/json");
        headers.set(HttpHeaders.ACCEPT, String.join(",", accepted));
        headers.set(HttpHeaders.ACCEPT_ENCODING, "identity");
    }

    private static boolean bodiless(Exchange exchange, int status) {
        return exchange.head().method().equals("HEAD") || status == 204 || status == 304 || status < 200;
    }

    static boolean isJson(String mediaType) {
        int semicolon = mediaType.indexOf(';');
        String base = (semicolon < 0 ? mediaType : mediaType.substring(0, semicolon)).trim();
        return base.equalsIgnoreCase("application/json");
    }

    private static GatewayException refused(String what, RequestInfo info) {
        String resource = info == null || info.resource().isEmpty() ? "secrets" : info.resource();
        return GatewayException.badGateway("the gateway cannot mask " + printable(what)
                + " responses for " + printable(resource) + " (expected: application/json), so it does not relay"
                + " this one");
    }

    private static String printable(String s) {
        String shown = s == null ? "untyped" : s.replaceAll("[^\\x20-\\x7e]", "?");
        return shown.length() > 100 ? shown.substring(0, 100) + "..." : shown;
    }
}
