package dev.gatehouse.report.answers;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.report.Parameter;
import dev.gatehouse.report.ReportQuery;
import dev.gatehouse.report.Row;

/**
 * 8. Which pipeline or agent acted, on whose behalf: every request whose identity came with an actor chain (an
 * RFC 8693 delegation: {@code user} is on whose behalf, {@code actors} who acted, outermost first) or with CI
 * attributes ({@code ci.*}: a pipeline's identity token).
 */
public final class ActorChains extends EventReport {
    @Override
    public String name() {
        return "actor-chains";
    }

    @Override
    public String title() {
        return "Pipelines and agents, and on whose behalf they acted";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(Parameter.optional("actor", "only chains that include this actor"));
    }

    @Override
    public List<String> columns() {
        return List.of("seq", "time", "onBehalfOf", "actors", "method", "issuer", "ciAttributes", "cluster",
                "action", "resource", "outcome", "code", "auditID");
    }

    @Override
    Row row(ReportQuery query, long seq, AuditEvent e) {
        if (!Events.completedRequest(e)) {
            return null;
        }
        List<String> actors = Events.actors(e);
        Map<String, String> ci = new TreeMap<>();
        AuditEvent.Authn authn = Events.authn(e);
        if (authn != null && authn.attributes() != null) {
            authn.attributes().forEach((k, v) -> {
                if (k.startsWith("ci.")) {
                    ci.put(k, v);
                }
            });
        }
        if (actors.isEmpty() && ci.isEmpty()) {
            return null;
        }
        String actor = query.parameter("actor");
        if (actor != null && !actors.contains(actor)) {
            return null;
        }
        StringBuilder attrs = new StringBuilder();
        ci.forEach((k, v) -> attrs.append(attrs.isEmpty() ? "" : " ").append(k).append('=').append(v));
        return Row.of(seq, seq, Events.time(e), Events.user(e), String.join(" > ", actors), Events.method(e),
                authn == null ? "" : authn.issuer(), attrs, Events.cluster(e), Events.verb(e), Events.object(e),
                Events.outcome(e), Events.code(e), e.auditID());
    }
}
