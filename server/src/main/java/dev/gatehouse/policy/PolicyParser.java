package dev.gatehouse.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads one policy document into its parts: the default, named reviewer sets and rules, each rule's match and
 * condition compiled. Reviewer names are resolved by {@link PolicyLoader} once every file is read, since a rule may
 * name a set from another file of the same directory.
 */
final class PolicyParser {
    static final String API_VERSION = "gatehouse.dev/v1";
    static final String[] TOP = {"apiVersion", "kind", "default", "defaultReviewers", "reviewers", "rules"};
    /** The masking profiles a rule may name ({@code mask.ProfileStage}): masked (the default) or clear. */
    static final java.util.List<String> MASK_PROFILES = java.util.List.of("masked", "clear");
    static final String[] RULE = {"name", "match", "when", "decision", "message", "reviewers", "mask"};
    static final List<String> DECISIONS = List.of("allow", "deny", "review");

    /** A rule before its reviewers are resolved. */
    record RuleDraft(String name, String source, int line, RuleMatch match, Condition when, String decision,
                     String message, String mask, ReviewerRef reviewers) {
    }

    /** A reviewer set named by a rule (or by {@code defaultReviewers}), or given inline. */
    record ReviewerRef(String name, ReviewRequirement inline, PolicyNode at, String key) {
    }

    /** What one file says. */
    record PolicyPart(String source, String defaultDecision, int defaultLine, ReviewerRef defaultReviewers,
                      Map<String, ReviewRequirement> reviewerSets, Map<String, Integer> reviewerLines,
                      List<RuleDraft> rules) {
    }

    private PolicyParser() {
    }

    static PolicyPart parse(String source, Node root) {
        PolicyNode doc = new PolicyNode(source, null, "", root).allow(TOP);
        String apiVersion = doc.text("apiVersion", null);
        if (!API_VERSION.equals(apiVersion)) {
            throw doc.error("apiVersion", describe(apiVersion) + " (expected: " + API_VERSION + ")");
        }
        String kind = doc.text("kind", null);
        if (!"Policy".equals(kind)) {
            throw doc.error("kind", describe(kind) + " (expected: Policy)");
        }
        String defaultDecision = doc.text("default", null);
        if (defaultDecision != null && !DECISIONS.contains(defaultDecision)) {
            throw doc.error("default", describe(defaultDecision) + " (expected: allow, deny or review)");
        }
        int defaultLine = doc.has("default") ? PolicyYaml.line(doc.value("default")) : 0;
        ReviewerRef defaultReviewers = doc.has("defaultReviewers") ? reviewerRef(doc, "defaultReviewers") : null;
        Map<String, ReviewRequirement> sets = new LinkedHashMap<>();
        Map<String, Integer> lines = new LinkedHashMap<>();
        if (doc.has("reviewers")) {
            PolicyNode reviewers = doc.child("reviewers");
            for (Map.Entry<String, NodeTuple> e : reviewers.entries()) {
                if (!PolicyNames.rule(e.getKey())) {
                    throw reviewers.error(e.getValue().getKeyNode(), "reviewers: \"" + PolicyYaml.printable(e.getKey())
                            + "\" (expected: a name of letters, digits, '-', '_', '.', ':')");
                }
                sets.put(e.getKey(), ReviewerSets.parse(reviewers.child(e.getKey(), e.getValue().getValueNode())));
                lines.put(e.getKey(), PolicyYaml.line(e.getValue().getKeyNode()));
            }
        }
        List<RuleDraft> rules = new ArrayList<>();
        for (Node item : doc.list("rules")) {
            if (!(item instanceof org.yaml.snakeyaml.nodes.MappingNode)) {
                throw doc.error(item, "rules: an item that is " + PolicyNode.describe(item)
                        + " (expected: a rule: a mapping with name, match, decision, ...)");
            }
            rules.add(rule(new PolicyNode(source, null, "", item)));
        }
        return new PolicyPart(source, defaultDecision, defaultLine, defaultReviewers, sets, lines, rules);
    }

    private static RuleDraft rule(PolicyNode raw) {
        String name = raw.text("name", null);
        if (name == null || name.isBlank()) {
            throw raw.error((Node) null, "name: missing (expected: every rule has a unique name)");
        }
        if (!PolicyNames.rule(name)) {
            throw raw.error("name", "\"" + PolicyYaml.printable(name) + "\" (expected: letters, digits, '-', '_', "
                    + "'.', ':', at most 100)");
        }
        PolicyNode r = raw.inRule(name).allow(RULE);
        RuleMatch match = r.has("match") ? RuleMatch.parse(r.child("match")) : RuleMatch.all();
        Condition when = null;
        if (r.has("when")) {
            String expression = r.text("when", null);
            try {
                when = ConditionCompiler.compile(expression);
            } catch (IllegalArgumentException e) {
                throw r.error("when", e.getMessage());
            }
        }
        String decision = r.text("decision", null);
        if (decision == null) {
            throw r.error((Node) null, "decision: missing (expected: allow, deny or review)");
        }
        if (!DECISIONS.contains(decision)) {
            throw r.error("decision", describe(decision) + " (expected: allow, deny or review)");
        }
        String message = r.text("message", null);
        if (message != null && !decision.equals("deny")) {
            throw r.error("message", "given for a " + decision + " rule (expected: a message only on deny rules)");
        }
        if (message != null && (message.isBlank() || message.length() > 1024)) {
            throw r.error("message", "of " + message.length() + " characters (expected: 1 to 1024)");
        }
        ReviewerRef reviewers = null;
        if (decision.equals("review")) {
            if (!r.has("reviewers")) {
                throw r.error((Node) null, "reviewers: missing (expected: a review rule names who may approve: a "
                        + "reviewer set's name, or groups/users inline)");
            }
            reviewers = reviewerRef(r, "reviewers");
        } else if (r.has("reviewers")) {
            throw r.error("reviewers", "given for a " + decision + " rule (expected: reviewers only on review rules)");
        }
        String mask = r.text("mask", "");
        if (!mask.isEmpty() && !MASK_PROFILES.contains(mask)) {
            throw r.error("mask", "\"" + PolicyYaml.printable(mask) + "\" (expected: a masking profile: "
                    + String.join(" or ", MASK_PROFILES) + ")");
        }
        return new RuleDraft(name, raw.source(), raw.line(), match, when, decision, message, mask, reviewers);
    }

    private static ReviewerRef reviewerRef(PolicyNode n, String key) {
        Node v = n.value(key);
        if (v instanceof ScalarNode) {
            return new ReviewerRef(n.text(key, ""), null, n, key);
        }
        return new ReviewerRef(null, ReviewerSets.parse(n.child(key)), n, key);
    }

    private static String describe(String v) {
        return v == null ? "missing" : "\"" + PolicyYaml.printable(v) + "\"";
    }
}
