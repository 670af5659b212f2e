package dev.gatehouse.policy;

import java.util.List;

/**
 * Finds rules that can never match: an earlier rule without a condition matches every request they match, so
 * first-match-wins never reaches them. Such a rule is almost always a mistake of order (a narrow exception written
 * after the broad rule), so the policy is refused rather than silently ignoring it.
 */
final class Shadowing {
    private Shadowing() {
    }

    static void check(List<Rule> rules) {
        for (int later = 1; later < rules.size(); later++) {
            Rule shadowed = rules.get(later);
            for (int earlier = 0; earlier < later; earlier++) {
                Rule first = rules.get(earlier);
                if (first.when() == null && first.match().covers(shadowed.match())) {
                    MatchedRule at = shadowed.id();
                    throw PolicyException.at(at.source(), at.line(), at.name(), "never matches: rule \""
                            + first.id().name() + "\" (" + first.id().source() + ":" + first.id().line()
                            + ") comes first, has no condition and matches every request this rule matches "
                            + "(expected: put the narrower rule first, or narrow the earlier one)");
                }
            }
        }
    }
}
