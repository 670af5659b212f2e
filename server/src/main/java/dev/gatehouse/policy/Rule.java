package dev.gatehouse.policy;

import dev.gatehouse.classify.RequestInfo;

/**
 * One compiled rule: what it matches, its condition (null: none), and the decision it gives. The decision is built
 * at load, except a deny without a message, whose default message names the request like the apiserver's
 * ({@code User "alice" cannot delete resource "namespaces" ...}).
 */
final class Rule {
    private final MatchedRule id;
    private final RuleMatch match;
    private final Condition when;
    private final Decision decision;
    private final boolean defaultMessage;

    Rule(MatchedRule id, RuleMatch match, Condition when, Decision decision, boolean defaultMessage) {
        this.id = id;
        this.match = match;
        this.when = when;
        this.decision = decision;
        this.defaultMessage = defaultMessage;
    }

    MatchedRule id() {
        return id;
    }

    RuleMatch match() {
        return match;
    }

    /** The condition, or null when the rule has none. */
    Condition when() {
        return when;
    }

    Decision decision() {
        return decision;
    }

    /** True when the rule's condition reads {@code object}. */
    boolean usesObject() {
        return when != null && when.usesObject();
    }

    /** The decision for {@code request}, which this rule matched. */
    Decision decide(PolicyRequest request) {
        if (!defaultMessage) {
            return decision;
        }
        return new Decision.Deny(id, decision.maskProfile(), defaultDenyMessage(request, id));
    }

    /** The apiserver's wording for a refusal, naming the rule. */
    static String defaultDenyMessage(PolicyRequest request, MatchedRule rule) {
        RequestInfo r = request.request();
        StringBuilder b = new StringBuilder("User \"").append(request.identity().user()).append("\" cannot ")
                .append(r.verb());
        if (r.resourceRequest()) {
            b.append(" resource \"").append(r.resource()).append(r.subresource().isEmpty() ? "" : "/" + r.subresource())
                    .append('"');
            if (!r.apiGroup().isEmpty()) {
                b.append(" in API group \"").append(r.apiGroup()).append('"');
            }
            if (!r.namespace().isEmpty()) {
                b.append(" in the namespace \"").append(r.namespace()).append('"');
            }
        } else {
            b.append(" path \"").append(r.path()).append('"');
        }
        return b.append(": denied by Gatehouse policy rule \"").append(rule.name()).append('"').toString();
    }
}
