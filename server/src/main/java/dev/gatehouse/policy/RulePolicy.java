package dev.gatehouse.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.identity.Identity;

/**
 * A loaded policy: rules in order, the first that matches decides, else the default. Immutable and thread-safe.
 *
 * <p>Matching is in memory and cheap: the rules that could apply are looked up by verb (an array per verb, in rule
 * order), each field is a hash-set lookup, and nothing is allocated until a rule with a condition is reached.
 *
 * <p><b>Conditions fail closed.</b> When a matching rule's {@code when} cannot be evaluated for a request (a key
 * missing from the object, a wrong type, a result that is not a boolean, the iteration budget spent), the request is
 * denied, whatever the rule's decision: the message names the rule and the error. Guard optional fields with
 * {@code has(...)} and {@code object != null} to avoid it.
 */
public final class RulePolicy implements PolicyEngine {
    private static final Set<String> OBJECT_VERBS = Set.of("create", "update", "patch");
    private final PolicySummary summary;
    private final Rule[] rules;
    private final Decision fallback;
    private final Map<String, Rule[]> byVerb = new HashMap<>();
    private final Rule[] anyVerb;

    RulePolicy(PolicySummary summary, List<Rule> rules, Decision fallback) {
        this.summary = summary;
        this.rules = rules.toArray(Rule[]::new);
        this.fallback = fallback;
        Set<String> verbs = new HashSet<>();
        for (Rule r : rules) {
            if (r.match().verbs() != null) {
                verbs.addAll(r.match().verbs());
            }
        }
        for (String verb : verbs) {
            byVerb.put(verb, rules.stream().filter(r -> r.match().allowsVerb(verb)).toArray(Rule[]::new));
        }
        anyVerb = rules.stream().filter(r -> r.match().verbs() == null).toArray(Rule[]::new);
    }

    /** What this policy is: source, digest, rule count, default. */
    public PolicySummary summary() {
        return summary;
    }

    /** The decision when no rule matches. */
    public Decision fallback() {
        return fallback;
    }

    /** The rules, in order, as the decisions they give (a deny without a message shows its generic one). */
    public List<Decision> rules() {
        List<Decision> out = new ArrayList<>(rules.length);
        for (Rule r : rules) {
            out.add(r.decision());
        }
        return out;
    }

    @Override
    public boolean needsObject(Identity identity, RequestInfo request) {
        return ruleNeedingObject(identity, request) != null;
    }

    /**
     * The first rule that could match {@code request} (its condition aside) before any unconditional match and whose
     * condition reads {@code object}, for a create, update or patch; else null. {@link #needsObject} is this != null.
     */
    public MatchedRule ruleNeedingObject(Identity identity, RequestInfo request) {
        if (!request.resourceRequest() || !OBJECT_VERBS.contains(request.verb())) {
            return null;
        }
        for (Rule r : candidates(request.verb())) {
            if (r.match().matches(identity, request)) {
                if (r.usesObject()) {
                    return r.id();
                }
                if (r.when() == null) {
                    return null;
                }
            }
        }
        return null;
    }

    @Override
    public Decision decide(PolicyRequest request) {
        ConditionInputs inputs = null;
        for (Rule r : candidates(request.request().verb())) {
            if (!r.match().matches(request.identity(), request.request())) {
                continue;
            }
            if (r.when() == null) {
                return r.decide(request);
            }
            if (inputs == null) {
                inputs = new ConditionInputs(request);
            }
            try {
                if (r.when().test(inputs)) {
                    return r.decide(request);
                }
            } catch (Condition.ConditionError e) {
                return failClosed(r, e);
            }
        }
        return fallback;
    }

    private Rule[] candidates(String verb) {
        Rule[] list = byVerb.get(verb);
        return list != null ? list : anyVerb;
    }

    private static Decision failClosed(Rule r, Condition.ConditionError e) {
        return new Decision.Deny(r.id(), r.decision().maskProfile(), "Gatehouse policy rule \"" + r.id().name()
                + "\" could not evaluate its condition for this request (" + e.getMessage()
                + "), so the request is denied");
    }

    @Override
    public String toString() {
        return summary.toString();
    }
}
