package dev.gatehouse.policy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Policy changes as evidence: the policy in force at start, every reload, and every rejected edit (which keeps the
 * previous policy deciding) is an audit event of {@code gatehouse.type=policy} — verb {@code load} or
 * {@code reload}, decision {@code loaded}, {@code reloaded} or {@code rejected}, the error as the reason — and a count
 * in {@code gatehouse_policy_reloads_total{outcome}}.
 */
public final class PolicyAudit implements PolicyReloadListener {
    /** {@code gatehouse.type} of policy events. */
    public static final String TYPE = "policy";
    private static final Logger LOG = LoggerFactory.getLogger(PolicyAudit.class);

    private final AuditLog log;
    private final Counter reloaded;
    private final Counter rejected;

    public PolicyAudit(AuditLog log, MeterRegistry registry) {
        this.log = log;
        this.reloaded = Counter.builder("gatehouse_policy_reloads").description("policy reloads by outcome")
                .tag("outcome", "reloaded").register(registry);
        this.rejected = Counter.builder("gatehouse_policy_reloads").description("policy reloads by outcome")
                .tag("outcome", "rejected").register(registry);
    }

    /** Records the policy the gateway starts with; durable before the gateway serves. */
    public void started(PolicySummary policy) {
        append("load", "loaded", policy.toString(), details(policy, null)).join();
    }

    @Override
    public void reloaded(PolicySummary policy) {
        reloaded.increment();
        append("reload", "reloaded", policy.toString(), details(policy, null));
    }

    @Override
    public void rejected(PolicyException error, PolicySummary kept) {
        rejected.increment();
        append("reload", "rejected", error.getMessage() + "; still in force: " + kept, details(kept, error));
    }

    private static Map<String, String> details(PolicySummary policy, PolicyException error) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("source", policy.source());
        details.put(error == null ? "sha256" : "keptSha256", policy.sha256());
        details.put("rules", Integer.toString(policy.rules()));
        details.put("default", policy.defaultDecision());
        return details;
    }

    private CompletableFuture<?> append(String verb, String decision, String reason, Map<String, String> details) {
        AuditEvent.Gatehouse gatehouse = new AuditEvent.Gatehouse(TYPE, null, null, decision, reason, null, null, null,
                null, null, Map.copyOf(details));
        AuditEvent event = AuditEvent.builder().auditID(UUID.randomUUID().toString()).requestURI("").verb(verb)
                .user(new AuditEvent.UserInfo("system:gatehouse", null, java.util.List.of(), null))
                .userAgent("gatehouse").receivedAt(Instant.now()).stageAt(Instant.now()).gatehouse(gatehouse).build();
        return log.append(event).toCompletableFuture().whenComplete((ok, error) -> {
            if (error != null) {
                LOG.error("cannot record the policy {} in the audit log: {}", decision, error.getMessage());
            }
        });
    }
}
