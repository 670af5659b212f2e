package dev.gatehouse.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.audit.query.AuditQuery;
import dev.gatehouse.session.RecordingStore;
import dev.gatehouse.status.GatewayException;
import io.vertx.core.MultiMap;

/**
 * One read of the evidence, parsed from the path after {@code /gatehouse/v1/audit/} and the query. Each read
 * names its operation and what it asked for ({@link #details()}), which is what its evidence-read event records.
 */
public sealed interface EvidenceRead {
    /** Most events one page of {@code events} returns; larger {@code limit}s are capped to it. */
    int MAX_PAGE = 500;
    int DEFAULT_PAGE = 100;

    /** query, verify, prove, export, keys or rotate-key: the same words as the CLI's subcommands. */
    String operation();

    /** {@code gatehouse.type} of the call's event. */
    default String eventType() {
        return EvidenceReadAudit.TYPE;
    }

    /** {@code objectRef.resource} of the call's event: what it is about. */
    default String resource() {
        return EvidenceReadAudit.RESOURCE;
    }

    /** What the caller asked for, as flat strings (filters, event id, range). */
    Map<String, String> details();

    /** {@code GET events?...}: a page of matching events; {@code skip} events were returned by earlier pages. */
    record Query(AuditQuery query, long skip, Map<String, String> details) implements EvidenceRead {
        @Override
        public String operation() {
            return "query";
        }
    }

    /** {@code GET verify}: the whole log against its signed checkpoints. */
    record Verify() implements EvidenceRead {
        @Override
        public String operation() {
            return "verify";
        }

        @Override
        public Map<String, String> details() {
            return Map.of();
        }
    }

    /** {@code GET proofs/<auditID>}: the inclusion proof of one event. */
    record Prove(String auditId) implements EvidenceRead {
        @Override
        public String operation() {
            return "prove";
        }

        @Override
        public Map<String, String> details() {
            return Map.of("auditID", auditId);
        }
    }

    /** {@code GET export?from=&to=&shape=}: positions {@code from..to} (inclusive) as JSON lines. */
    record Export(long from, long to, String shape) implements EvidenceRead {
        @Override
        public String operation() {
            return "export";
        }

        @Override
        public Map<String, String> details() {
            return Map.of("fromPosition", Long.toString(from), "toPosition", Long.toString(to), "shape", shape);
        }
    }

    /** {@code GET keys}: the public keys that sign the checkpoints. */
    record Keys() implements EvidenceRead {
        @Override
        public String operation() {
            return "keys";
        }

        @Override
        public Map<String, String> details() {
            return Map.of();
        }
    }

    /**
     * {@code POST keys/rotate}: a new checkpoint signing key. Not a read; its event ({@value #KEY_ROTATION}) is the
     * record of the rotation, written before the new key signs anything. {@code done} is null until it happened.
     */
    record RotateKey(AuditLog.KeyRotation done) implements EvidenceRead {
        public static final String KEY_ROTATION = dev.gatehouse.audit.SystemEvents.KEY_ROTATION;

        @Override
        public String operation() {
            return "rotate-key";
        }

        @Override
        public String eventType() {
            return KEY_ROTATION;
        }

        @Override
        public String resource() {
            return "auditkeys";
        }

        @Override
        public Map<String, String> details() {
            return done == null ? Map.of() : Map.of("previousKeyId", done.previousKeyId(), "keyId", done.keyId(),
                    "publicKey", done.publicKeyPem());
        }
    }

    /** The path of {@link RotateKey}, answered to {@code POST} like a session's {@code kill}; every other to GET. */
    String ROTATE = "keys/rotate";

    /**
     * {@code POST mask-keys/rotate}: a new key for the masks' fingerprints. Its event ({@value #MASK_KEY_ROTATION})
     * is durable before the key makes any marker; the old keys stay for {@code gatehouse audit fingerprint}.
     * {@code keyId} is null until it happened.
     */
    record RotateMaskKey(String previousKeyId, String keyId) implements EvidenceRead {
        public static final String MASK_KEY_ROTATION = "mask-key-rotation";

        @Override
        public String operation() {
            return "rotate-mask-key";
        }

        @Override
        public String eventType() {
            return MASK_KEY_ROTATION;
        }

        @Override
        public String resource() {
            return "maskkeys";
        }

        @Override
        public Map<String, String> details() {
            return keyId == null ? Map.of() : Map.of("previousKeyId", previousKeyId, "keyId", keyId);
        }
    }

    /**
     * A page of the reviewers' web UI ({@code /ui}), viewed by a signed-in person: not an audit API call, but a read
     * of the evidence all the same, recorded with the page's name before the page is sent.
     */
    record PageView(String page) implements EvidenceRead {
        @Override
        public String operation() {
            return "ui-view";
        }

        @Override
        public Map<String, String> details() {
            return Map.of("page", page);
        }
    }

    /** The path of {@link RotateMaskKey}. */
    String ROTATE_MASK = "mask-keys/rotate";

    /** Reads of exec, attach and port-forward sessions under {@code sessions}: their events are about them. */
    sealed interface SessionRead extends EvidenceRead {
        @Override
        default String resource() {
            return "sessions";
        }
    }

    /** {@code GET sessions}: the finished sessions' summaries and the live ones. */
    record SessionList() implements SessionRead {
        @Override
        public String operation() {
            return "sessions-list";
        }

        @Override
        public Map<String, String> details() {
            return Map.of();
        }
    }

    /**
     * {@code GET sessions/<id>} (what: summary), {@code sessions/<id>/cast} or {@code sessions/<id>/raw} (a part of the
     * recording), {@code sessions/<id>/watch} (the cast as it is recorded, until the session ends), or
     * {@code POST sessions/<id>/kill} (an operator ends it).
     */
    record Session(String id, String what) implements SessionRead {
        @Override
        public String operation() {
            return "sessions-" + what;
        }

        @Override
        public Map<String, String> details() {
            return Map.of("session", id);
        }
    }

    /**
     * Reads of the reports under {@code /gatehouse/v1/reports} ({@link ReportApi}): the catalogue, or one answer.
     * Their events are about {@code reports}.
     */
    sealed interface ReportRead extends EvidenceRead {
        @Override
        default String resource() {
            return "reports";
        }
    }

    /** {@code GET /gatehouse/v1/reports}: the catalogue. */
    record ReportList() implements ReportRead {
        @Override
        public String operation() {
            return "reports-list";
        }

        @Override
        public Map<String, String> details() {
            return Map.of();
        }
    }

    /** {@code GET /gatehouse/v1/reports/<name>?from=&to=&format=&...}: one answer. */
    record Report(dev.gatehouse.report.ReportQuery query, dev.gatehouse.report.ReportFormat format)
            implements ReportRead {
        @Override
        public String operation() {
            return "report";
        }

        @Override
        public Map<String, String> details() {
            Map<String, String> details = new LinkedHashMap<>();
            details.put("report", query.name());
            details.put("from", query.from().toString());
            details.put("to", query.to().toString());
            details.put("format", format.fileSuffix());
            query.parameters().forEach((k, v) -> details.put("parameter." + k, v));
            return details;
        }
    }

    /**
     * {@code POST /gatehouse/v1/reports/recertification/sign-off?campaign=&principal=&resource=&decision=&justification=}:
     * a reviewer's decision on one row of a recertification campaign. Not a read: its event (type
     * {@value dev.gatehouse.report.answers.Recertification#SIGN_OFF}) is the sign-off, durable before the answer.
     */
    record SignOff(String campaign, String principal, String resource, String decision, String justification)
            implements ReportRead {
        @Override
        public String operation() {
            return "sign-off";
        }

        @Override
        public String eventType() {
            return dev.gatehouse.report.answers.Recertification.SIGN_OFF;
        }

        @Override
        public String resource() {
            return "recertifications";
        }

        @Override
        public Map<String, String> details() {
            Map<String, String> details = new LinkedHashMap<>();
            details.put("campaign", campaign);
            details.put("principal", principal);
            details.put("resource", resource);
            details.put("decision", decision);
            details.put("justification", justification);
            return details;
        }
    }

    /** True for the calls answered to {@code POST}. */
    static boolean post(String resource) {
        return resource.equals(ROTATE) || resource.equals(ROTATE_MASK)
                || resource.startsWith("sessions/") && resource.endsWith("/kill");
    }

    /**
     * Parses {@code resource} (the path after the API prefix) and {@code params} (decoded query); fails with a
     * 404 or 400 {@link GatewayException} that names the parameter.
     */
    static EvidenceRead parse(String resource, MultiMap params) {
        if (resource.equals("sessions")) {
            return new SessionList();
        }
        if (resource.startsWith("sessions/")) {
            String[] parts = resource.substring("sessions/".length()).split("/", -1);
            if (!RecordingStore.SESSION_ID.matcher(parts[0]).matches() || parts.length > 2) {
                throw GatewayException.notFound(resource + ": not a session (expected: sessions/<id>[/cast|raw|watch"
                        + "|kill])");
            }
            String what = parts.length == 1 ? "show" : parts[1];
            if (!Set.of("show", "cast", "raw", "watch", "kill").contains(what) || parts.length == 2 && what.equals("show")) {
                throw GatewayException.notFound(resource + ": no such session resource (expected: cast, raw, watch or "
                        + "kill)");
            }
            return new Session(parts[0], what);
        }
        if (resource.startsWith("proofs/")) {
            String id = resource.substring("proofs/".length());
            if (!AUDIT_ID.matcher(id).matches()) {
                throw GatewayException.badRequest("proofs/" + id + ": not an audit ID (expected: letters, digits "
                        + "and '-')");
            }
            return new Prove(id);
        }
        return switch (resource) {
            case ROTATE -> new RotateKey(null);
            case ROTATE_MASK -> new RotateMaskKey(null, null);
            case "events" -> query(params);
            case "verify" -> new Verify();
            case "export" -> export(params);
            case "keys" -> new Keys();
            default -> throw GatewayException.notFound("no audit API resource \"" + resource
                    + "\" (expected: events, verify, proofs/<auditID>, export, keys, keys/rotate, mask-keys/rotate or sessions)");
        };
    }

    Pattern AUDIT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,127}");
    Set<String> QUERY_PARAMS = Set.of("from", "to", "cluster", "user", "group", "actor", "verb", "resource",
            "namespace", "name", "decision", "review", "code", "limit", "newestFirst", "continue");

    private static Query query(MultiMap params) {
        Map<String, String> details = new LinkedHashMap<>();
        for (String name : params.names()) {
            if (!QUERY_PARAMS.contains(name)) {
                throw GatewayException.badRequest("events: unknown parameter \"" + name + "\" (expected one of "
                        + new java.util.TreeSet<>(QUERY_PARAMS) + ")");
            }
            if (params.getAll(name).size() > 1) {
                throw GatewayException.badRequest("events: parameter \"" + name + "\" given more than once");
            }
            details.put(name, params.get(name));
        }
        int limit = (int) Math.min(number(params, "limit", DEFAULT_PAGE, 1), MAX_PAGE);
        long skip = number(params, "continue", 0, 0);
        String code = params.get("code");
        AuditQuery query;
        try {
            query = AuditQuery.builder().from(time(params, "from")).to(time(params, "to"))
                    .cluster(params.get("cluster")).user(params.get("user")).group(params.get("group"))
                    .actor(params.get("actor")).verb(params.get("verb")).resource(params.get("resource"))
                    .namespace(params.get("namespace")).name(params.get("name")).decision(params.get("decision"))
                    .reviewId(params.get("review"))
                    .code(code == null ? null : (int) number(params, "code", 0, 100))
                    // one more than the page: whether a next page exists
                    .limit((int) Math.min(skip + limit + 1, Integer.MAX_VALUE)).build();
            if ("true".equals(params.get("newestFirst"))) {
                query = new AuditQuery(query.from(), query.to(), query.cluster(), query.user(), query.group(),
                        query.actor(), query.verb(), query.resource(), query.namespace(), query.name(),
                        query.decision(), query.reviewId(), query.code(), query.limit(), true);
            }
        } catch (IllegalArgumentException e) {
            throw GatewayException.badRequest("events: " + e.getMessage());
        }
        details.put("limit", Integer.toString(limit));
        return new Query(query, skip, Map.copyOf(details));
    }

    private static Export export(MultiMap params) {
        long from = number(params, "from", 0, 0);
        long to = number(params, "to", Long.MAX_VALUE, 0);
        String shape = params.get("shape") == null ? "kubernetes" : params.get("shape");
        if (!shape.equals("kubernetes") && !shape.equals("ocsf")) {
            throw GatewayException.badRequest("export: shape=" + shape + " (expected: kubernetes or ocsf)");
        }
        if (to < from) {
            throw GatewayException.badRequest("export: to=" + to + " (expected: >= from=" + from + ")");
        }
        return new Export(from, to, shape);
    }

    private static long number(MultiMap params, String name, long fallback, long min) {
        String value = params.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(value);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw GatewayException.badRequest(name + "=" + value + " (expected: a whole number >= " + min + ")");
    }

    private static Instant time(MultiMap params, String name) {
        String value = params.get(name);
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw GatewayException.badRequest(name + "=" + value + " (expected: an RFC 3339 time such as "
                    + "2026-01-01T00:00:00Z)");
        }
    }
}
