package dev.gatehouse.policy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.yaml.snakeyaml.nodes.Node;

import dev.gatehouse.policy.PolicyParser.PolicyPart;
import dev.gatehouse.policy.PolicyParser.ReviewerRef;
import dev.gatehouse.policy.PolicyParser.RuleDraft;

/**
 * Loads a policy strictly: any unknown field, wrong type or value, duplicate rule, unresolvable reviewer set, bad CEL
 * or rule that can never match is a {@link PolicyException} naming the file, the line and the rule. Nothing is
 * guessed and nothing is skipped: a policy either loads whole or not at all.
 *
 * <ul>
 *   <li>{@link #load(Path)}: a file, or a directory of {@code *.yaml} / {@code *.yml} files in file-name order;</li>
 *   <li>{@link #builtIn(String)}: a policy shipped with the gateway ({@code default}, {@code demo});</li>
 *   <li>{@link #parse(String, byte[])}: bytes in memory.</li>
 * </ul>
 */
public final class PolicyLoader {
    /** The most rules a policy may have. */
    static final int MAX_RULES = 10_000;
    private static final Set<String> OBJECT_VERBS = Set.of("create", "update", "patch");

    private PolicyLoader() {
    }

    /** The policy in {@code path} (a file or a directory). */
    public static RulePolicy load(Path path) {
        return load(PolicyFiles.read(path));
    }

    /** A policy shipped on the classpath under {@code policy/<name>.yaml}: {@code default} or {@code demo}. */
    public static RulePolicy builtIn(String name) {
        if (!name.matches("[a-z0-9-]{1,40}")) {
            throw new PolicyException("built-in policy \"" + PolicyYaml.printable(name)
                    + "\" (expected: default or demo)");
        }
        return load(PolicyFiles.resource("policy/" + name + ".yaml"));
    }

    /** One policy document held in memory, named {@code source} in errors. */
    public static RulePolicy parse(String source, byte[] yaml) {
        return load(PolicyFiles.of(source, List.of(new PolicyFiles.PolicyFile(source, yaml))));
    }

    static RulePolicy load(PolicyFiles files) {
        List<PolicyPart> parts = new ArrayList<>();
        for (PolicyFiles.PolicyFile f : files.files()) {
            Node root = PolicyYaml.read(f.name(), f.bytes());
            parts.add(PolicyParser.parse(f.name(), root));
        }
        PolicyPart defaults = defaults(files.source(), parts);
        Map<String, ReviewRequirement> sets = reviewerSets(parts);
        List<Rule> rules = new ArrayList<>();
        Map<String, RuleDraft> byName = new HashMap<>();
        for (PolicyPart part : parts) {
            for (RuleDraft d : part.rules()) {
                RuleDraft before = byName.putIfAbsent(d.name(), d);
                if (before != null) {
                    throw PolicyException.at(d.source(), d.line(), d.name(), "name: duplicate (expected: unique; "
                            + "rule \"" + d.name() + "\" is already at " + before.source() + ":" + before.line() + ")");
                }
                checkObjectUse(d);
                rules.add(compile(d, sets));
            }
        }
        if (rules.size() > MAX_RULES) {
            throw PolicyException.at(files.source(), 0, null, rules.size() + " rules (expected: at most " + MAX_RULES
                    + ")");
        }
        Shadowing.check(rules);
        Decision fallback = fallback(defaults, sets);
        PolicySummary summary = new PolicySummary(files.source(), files.sha256(), rules.size(), fallback.word());
        return new RulePolicy(summary, rules, fallback);
    }

    private static PolicyPart defaults(String source, List<PolicyPart> parts) {
        PolicyPart found = null;
        for (PolicyPart p : parts) {
            if (p.defaultDecision() == null) {
                if (p.defaultReviewers() != null) {
                    throw p.defaultReviewers().at().error(p.defaultReviewers().key(), "given without default: review"
                            + " in the same file (expected: defaultReviewers beside default: review)");
                }
                continue;
            }
            if (found != null) {
                throw PolicyException.at(p.source(), p.defaultLine(), null, "default: set again (expected: one file "
                        + "sets the default; " + found.source() + ":" + found.defaultLine() + " already does)");
            }
            found = p;
        }
        if (found == null) {
            throw PolicyException.at(source, 0, null, "default: missing (expected: default: allow, deny or review)");
        }
        return found;
    }

    private static Map<String, ReviewRequirement> reviewerSets(List<PolicyPart> parts) {
        Map<String, ReviewRequirement> sets = new LinkedHashMap<>();
        Map<String, String> where = new HashMap<>();
        for (PolicyPart p : parts) {
            for (Map.Entry<String, ReviewRequirement> e : p.reviewerSets().entrySet()) {
                int line = p.reviewerLines().get(e.getKey());
                String before = where.putIfAbsent(e.getKey(), p.source() + ":" + line);
                if (before != null) {
                    throw PolicyException.at(p.source(), line, null, "reviewers: \"" + e.getKey() + "\" defined again"
                            + " (expected: unique names; it is already defined at " + before + ")");
                }
                sets.put(e.getKey(), e.getValue());
            }
        }
        return sets;
    }

    private static ReviewRequirement resolve(ReviewerRef ref, Map<String, ReviewRequirement> sets) {
        if (ref.inline() != null) {
            return ref.inline();
        }
        ReviewRequirement set = sets.get(ref.name());
        if (set == null) {
            throw ref.at().error(ref.key(), "\"" + PolicyYaml.printable(ref.name()) + "\" is not a reviewer set "
                    + "(expected one of " + sets.keySet() + ", or groups/users inline)");
        }
        return set;
    }

    private static Rule compile(RuleDraft d, Map<String, ReviewRequirement> sets) {
        MatchedRule id = new MatchedRule(d.name(), d.source(), d.line());
        Decision decision = switch (d.decision()) {
            case "allow" -> new Decision.Allow(id, d.mask());
            case "deny" -> new Decision.Deny(id, d.mask(), d.message() != null ? d.message()
                    : "denied by Gatehouse policy rule \"" + d.name() + "\"");
            default -> new Decision.Review(id, d.mask(), resolve(d.reviewers(), sets));
        };
        return new Rule(id, d.match(), d.when(), decision, d.decision().equals("deny") && d.message() == null);
    }

    private static Decision fallback(PolicyPart p, Map<String, ReviewRequirement> sets) {
        return switch (p.defaultDecision()) {
            case "allow" -> new Decision.Allow(MatchedRule.DEFAULT, "");
            case "deny" -> new Decision.Deny(MatchedRule.DEFAULT, "", "denied by Gatehouse policy: no rule allows this "
                    + "request and the default is deny");
            default -> {
                if (p.defaultReviewers() == null) {
                    throw PolicyException.at(p.source(), p.defaultLine(), null, "default: review without "
                            + "defaultReviewers (expected: defaultReviewers naming who may approve)");
                }
                yield new Decision.Review(MatchedRule.DEFAULT, "", resolve(p.defaultReviewers(), sets));
            }
        };
    }

    /** A condition over {@code object} on a rule that matches only requests whose object is never read is a mistake. */
    private static void checkObjectUse(RuleDraft d) {
        if (d.when() == null || !d.when().usesObject() || d.match().verbs() == null) {
            return;
        }
        if (d.match().verbs().stream().noneMatch(OBJECT_VERBS::contains)) {
            throw PolicyException.at(d.source(), d.line(), d.name(), "when: refers to object, but the rule matches "
                    + "only " + d.match().describeVerbs() + " requests, whose object is never read (expected: verbs "
                    + "create, update or patch, or a condition without object)");
        }
    }
}
