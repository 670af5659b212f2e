package dev.gatehouse.api;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.gatehouse.chain.Exchange;
import dev.gatehouse.report.Parameter;
import dev.gatehouse.report.Report;
import dev.gatehouse.report.ReportAnswer;
import dev.gatehouse.report.ReportFormat;
import dev.gatehouse.report.ReportQuery;
import dev.gatehouse.report.ReportRunner;
import dev.gatehouse.report.Reports;
import dev.gatehouse.status.GatewayException;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * The reports API: {@code GET /gatehouse/v1/reports} (the catalogue: name, title, parameters) and
 * {@code GET /gatehouse/v1/reports/<name>?from=&to=&format=json|csv|html&<parameters>} (one answer). Served by
 * {@link AuditApi}'s machinery: the same authentication (401), {@code audit.readers} (403), Status errors (400 for a
 * bad parameter, 404 for an unknown report) and an evidence-read event durable before any answer (else 503).
 * Without {@code from}, an answer covers the 90 days before {@code to}; without {@code to}, up to now.
 */
public final class ReportApi {
    /** Where the API lives. */
    public static final String PATH = "/gatehouse/v1/reports";
    /** The period when {@code from} is not given. */
    static final Duration DEFAULT_PERIOD = Duration.ofDays(90);
    private static final Set<String> RESERVED = Set.of("from", "to", "format");

    private final AuditApi audit;
    private final ReportRunner runner;
    private final Clock clock;

    public ReportApi(AuditApi audit, ReportRunner runner, Clock clock) {
        this.audit = audit;
        this.runner = runner;
        this.clock = clock;
    }

    /** Answers requests for {@link #PATH} and below; false for other paths. */
    public boolean handle(HttpServerRequest request) {
        String path = request.path();
        if (!path.equals(PATH) && !path.startsWith(PATH + "/")) {
            return false;
        }
        String name = path.length() <= PATH.length() + 1 ? "" : path.substring(PATH.length() + 1);
        if (name.equals(SIGN_OFF)) {
            audit.serve(request, () -> signOff(request.params()), HttpMethod.POST, this::answer);
        } else {
            audit.serve(request, () -> parse(name, request.params()), HttpMethod.GET, this::answer);
        }
        return true;
    }

    /** The path, under {@link #PATH}, of a recertification sign-off. */
    static final String SIGN_OFF = "recertification/sign-off";
    private static final Set<String> SIGN_OFF_PARAMS = Set.of("campaign", "principal", "resource", "decision",
            "justification");

    static EvidenceRead signOff(MultiMap params) {
        for (String key : params.names()) {
            if (!SIGN_OFF_PARAMS.contains(key)) {
                throw GatewayException.badRequest("sign-off: unknown parameter \"" + Replies.shorten(key)
                        + "\" (expected " + new java.util.TreeSet<>(SIGN_OFF_PARAMS) + ")");
            }
            if (params.getAll(key).size() > 1) {
                throw GatewayException.badRequest("sign-off: parameter \"" + key + "\" given more than once");
            }
        }
        for (String key : SIGN_OFF_PARAMS) {
            String value = params.get(key);
            if (value == null || value.isBlank() || value.length() > 256) {
                throw GatewayException.badRequest("sign-off: " + key + " (expected: 1 to 256 characters)");
            }
        }
        String decision = params.get("decision");
        if (!decision.equals("keep") && !decision.equals("revoke")) {
            throw GatewayException.badRequest("sign-off: decision=" + Replies.shorten(decision)
                    + " (expected: keep or revoke)");
        }
        return new EvidenceRead.SignOff(params.get("campaign"), params.get("principal"), params.get("resource"),
                decision, params.get("justification"));
    }

    EvidenceRead parse(String name, MultiMap params) {
        if (name.isEmpty()) {
            if (!params.isEmpty()) {
                throw GatewayException.badRequest("reports: the catalogue takes no parameters");
            }
            return new EvidenceRead.ReportList();
        }
        Report report;
        try {
            report = runner.reports().named(name);
        } catch (Reports.NoSuchReportException e) {
            throw GatewayException.notFound(e.getMessage());
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String key : params.names()) {
            if (params.getAll(key).size() > 1) {
                throw GatewayException.badRequest("report " + report.name() + ": parameter \"" + Replies.shorten(key)
                        + "\" given more than once");
            }
            if (!RESERVED.contains(key)) {
                parameters.put(key, params.get(key));
            }
        }
        try {
            Instant to = time(params, "to");
            // the period is [from, to) in whole seconds: "now" ends at the next second, so what is recorded is in
            to = to != null ? to : clock.instant().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
            Instant from = time(params, "from");
            from = from != null ? from : to.minus(DEFAULT_PERIOD);
            ReportQuery query = new ReportQuery(report.name(), from, to, parameters);
            ReportFormat format = ReportFormat.named(params.get("format"));
            runner.reports().check(query);
            return new EvidenceRead.Report(query, format);
        } catch (IllegalArgumentException e) {
            throw GatewayException.badRequest(e.getMessage());
        }
    }

    private static Instant time(MultiMap params, String name) {
        String value = params.get(name);
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + "=" + Replies.shorten(value) + " (expected: an RFC 3339 time "
                    + "such as 2026-01-01T00:00:00Z)");
        }
    }

    private AuditApi.Answer answer(Exchange exchange, EvidenceRead read) throws IOException {
        if (read instanceof EvidenceRead.SignOff s) {
            String who = exchange.identity().user();
            if (who.equals(s.principal())) {
                throw GatewayException.forbidden("User \"" + who + "\" cannot sign off their own access: another "
                        + "reviewer must");
            }
            Map<String, Object> body = new LinkedHashMap<>(s.details());
            body.put("kind", "RecertificationSignOff");
            body.put("reviewedBy", who);
            return new AuditApi.Body("application/json", Replies.json(body), 1);
        }
        if (read instanceof EvidenceRead.Report r) {
            ReportAnswer answer;
            try {
                answer = runner.run(r.query());
            } catch (IllegalArgumentException e) {
                throw GatewayException.badRequest(e.getMessage());
            }
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("X-Content-Type-Options", "nosniff");
            headers.put("Cache-Control", "no-store");
            headers.put("Gatehouse-Report-Sha256", answer.rowsSha256());
            headers.put("Gatehouse-Report-Count", Long.toString(answer.count()));
            if (r.format() == ReportFormat.HTML) {
                headers.put("Content-Security-Policy", ReportFormat.HTML_POLICY);
            }
            if (r.format() == ReportFormat.CSV) {
                headers.put("Content-Disposition", "attachment; filename=\"" + answer.query().name() + "."
                        + r.format().fileSuffix() + "\"");
            }
            return new AuditApi.Body(r.format().contentType(), r.format().write(answer), answer.count(), headers);
        }
        List<Map<String, Object>> items = runner.reports().all().stream().map(ReportApi::describe).toList();
        return new AuditApi.Body("application/json", Replies.json(items), items.size(),
                Map.of("Cache-Control", "no-store"));
    }

    private static Map<String, Object> describe(Report report) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("name", report.name());
        item.put("title", report.title());
        List<Map<String, Object>> parameters = new java.util.ArrayList<>();
        for (Parameter p : report.parameters()) {
            Map<String, Object> param = new LinkedHashMap<>();
            param.put("name", p.name());
            param.put("required", p.required());
            param.put("description", p.description());
            parameters.add(param);
        }
        item.put("parameters", parameters);
        return item;
    }
}
