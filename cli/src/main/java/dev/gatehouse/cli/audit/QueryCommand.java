package dev.gatehouse.cli.audit;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gatehouse.cli.Rfc3339;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditEventJson;
import dev.gatehouse.audit.query.AuditQuery;
import dev.gatehouse.audit.query.QueryIndex;

/** {@code gatehouse audit query}: filters the log through its SQLite index; table, JSON lines or CSV. */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = "Find events by time, cluster, user, group, actor, verb, resource, namespace, name, decision, "
                + "review or status code. The index is brought up to date (or rebuilt) from the log first.")
final class QueryCommand extends AuditSubcommand {
    /** Output shapes. */
    enum Format { table, jsonl, csv }

    /** The gateway's largest page. */
    private static final int MAX_PAGE = 500;

    @Option(names = "--from", paramLabel = "TIME", converter = Rfc3339.class,
            description = "At or after (RFC 3339, e.g. 2026-01-01T00:00:00Z).")
    Instant from;
    @Option(names = "--to", paramLabel = "TIME", converter = Rfc3339.class, description = "Before (RFC 3339).")
    Instant to;
    @Option(names = "--cluster") String cluster;
    @Option(names = "--user") String user;
    @Option(names = "--group") String group;
    @Option(names = "--actor") String actor;
    @Option(names = "--verb") String verb;
    @Option(names = "--resource") String resource;
    @Option(names = {"-n", "--namespace"}) String namespace;
    @Option(names = "--name") String name;
    @Option(names = "--decision", description = "allow, deny, review or refused.") String decision;
    @Option(names = "--review", paramLabel = "ID") String reviewId;
    @Option(names = "--code", paramLabel = "STATUS") Integer code;
    @Option(names = "--limit", defaultValue = "1000", description = "Most events shown (default: ${DEFAULT-VALUE}).")
    int limit;
    @Option(names = "--newest-first") boolean newestFirst;
    @Option(names = {"-o", "--output"}, defaultValue = "table",
            description = "table, jsonl or csv (default: ${DEFAULT-VALUE}).")
    Format format;
    @Option(names = "--index", paramLabel = "FILE", description = "The index file (default: <log-dir>/query-index.sqlite).")
    Path indexFile;

    @Mixin
    GatewayOptions gateway;

    @Override
    int run() throws IOException {
        AuditQuery query = new AuditQuery(from, to, cluster, user, group, actor, verb, resource, namespace, name,
                decision, reviewId, code, limit, newestFirst);
        if (gateway.remote()) {
            EventFormats.print(queryGateway(), format.name(), out());
            out().flush();
            return OK;
        }
        Path dir = requireLogDir();
        List<AuditEvent> events;
        try (QueryIndex index = QueryIndex.open(dir, indexFile != null ? indexFile : QueryIndex.defaultFile(dir))) {
            index.catchUp();
            events = index.query(query);
        }
        EventFormats.print(events, format.name(), out());
        out().flush();
        return OK;
    }

    /** Asks the gateway page by page (each page one recorded read) until {@code limit} events or the end. */
    private List<AuditEvent> queryGateway() throws IOException {
        GatewayClient client = gateway.client();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("from", from == null ? null : from.toString());
        params.put("to", to == null ? null : to.toString());
        params.put("cluster", cluster);
        params.put("user", user);
        params.put("group", group);
        params.put("actor", actor);
        params.put("verb", verb);
        params.put("resource", resource);
        params.put("namespace", namespace);
        params.put("name", name);
        params.put("decision", decision);
        params.put("review", reviewId);
        params.put("code", code == null ? null : code.toString());
        params.put("newestFirst", newestFirst ? "true" : null);
        List<AuditEvent> events = new ArrayList<>();
        String next = null;
        do {
            params.put("limit", Integer.toString(Math.min(limit - events.size(), MAX_PAGE)));
            params.put("continue", next);
            JsonNode page = AuditEventJson.mapper().readTree(client.text("events", params));
            for (JsonNode item : page.path("items")) {
                events.add(AuditEventJson.mapper().treeToValue(item, AuditEvent.class));
            }
            next = page.path("metadata").path("continue").asText(null);
        } while (next != null && events.size() < limit);
        return events;
    }

    /** Prints events in the chosen shape. */
    static final class EventFormats {
        private static final String[] COLUMNS = {"seq", "time", "cluster", "user", "verb", "resource", "namespace",
                "name", "decision", "code", "auditID"};

        private EventFormats() {
        }

        static void print(List<AuditEvent> events, String format, PrintWriter out) {
            switch (format) {
                case "jsonl" -> events.forEach(e -> out.println(AuditEventJson.toJson(e)));
                case "csv" -> {
                    out.println(String.join(",", COLUMNS));
                    events.forEach(e -> out.println(String.join(",", row(e).stream().map(EventFormats::csv).toList())));
                }
                default -> {
                    String fmt = "%-7s %-27s %-10s %-24s %-8s %-14s %-14s %-24s %-8s %-5s %s%n";
                    out.printf(fmt, (Object[]) java.util.Arrays.stream(COLUMNS).map(String::toUpperCase)
                            .toArray(String[]::new));
                    events.forEach(e -> out.printf(fmt, row(e).toArray()));
                }
            }
        }

        static List<String> row(AuditEvent e) {
            AuditEvent.Gatehouse g = e.gatehouse();
            AuditEvent.ObjectRef o = e.objectRef();
            return List.of(s(g == null ? null : g.seq()), s(e.stageTimestamp()), s(g == null ? null : g.cluster()),
                    s(e.user() == null ? null : e.user().username()), s(e.verb()), s(o == null ? null : o.resource()),
                    s(o == null ? null : o.namespace()), s(o == null ? null : o.name()),
                    s(g == null ? null : g.decision()),
                    s(e.responseStatus() == null ? null : e.responseStatus().code()), s(e.auditID()));
        }

        private static String s(Object v) {
            return v == null ? "" : v.toString();
        }

        private static String csv(String v) {
            return v.contains(",") || v.contains("\"") || v.contains("\n")
                    ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
        }
    }
}
