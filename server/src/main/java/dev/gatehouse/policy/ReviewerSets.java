package dev.gatehouse.policy;

import java.time.Duration;
import java.util.List;

import dev.gatehouse.config.Durations;

/**
 * Reads a reviewer set, named under {@code reviewers:} or inline in a rule: who may approve a held request and how.
 *
 * <pre>
 * groups: [sre]              # members may approve
 * users: [bob]
 * approvals: 1               # N distinct approvers of M
 * reasonRequired: false
 * breakGlassGroups: [oncall] # may approve their own request, with a reason
 * holdTime: 60s              # how long the request itself waits (default: the gateway's reviews.holdTime)
 * validity: once             # once, or a duration in which retries pass after approval
 * pendingExpiry: 1h          # how long the review stays open (default: the gateway's)
 * </pre>
 */
final class ReviewerSets {
    static final String[] FIELDS = {"groups", "users", "approvals", "reasonRequired", "breakGlassGroups", "holdTime",
            "validity", "pendingExpiry"};

    private ReviewerSets() {
    }

    static ReviewRequirement parse(PolicyNode n) {
        n.allow(FIELDS);
        List<String> groups = nonEmpty(n, "groups");
        List<String> users = nonEmpty(n, "users");
        if (groups.isEmpty() && users.isEmpty()) {
            throw n.error((org.yaml.snakeyaml.nodes.Node) null, n.key("groups") + ": missing (expected: groups or "
                    + "users who may approve)");
        }
        int approvals = n.integer("approvals", 1, 1, 100);
        if (groups.isEmpty() && approvals > users.size()) {
            throw n.error("approvals", approvals + " (expected: at most " + users.size()
                    + ", the number of users, when no group is named)");
        }
        boolean reasonRequired = n.bool("reasonRequired", false);
        List<String> breakGlass = nonEmpty(n, "breakGlassGroups");
        Duration holdTime = duration(n, "holdTime");
        Duration validity = "once".equals(n.text("validity", "once")) ? Duration.ZERO : duration(n, "validity");
        Duration pendingExpiry = duration(n, "pendingExpiry");
        return new ReviewRequirement(groups, users, approvals, reasonRequired, breakGlass, holdTime, validity,
                pendingExpiry);
    }

    private static List<String> nonEmpty(PolicyNode n, String key) {
        List<String> values = n.strings(key);
        for (String v : values) {
            if (v.isBlank() || v.equals("*")) {
                throw n.error(key, "\"" + PolicyYaml.printable(v) + "\" (expected: a name; reviewers are never "
                        + "\"any\")");
            }
        }
        return values;
    }

    /** The longest duration a policy may name (a year): a typo in units should not hold a review for ever. */
    static final Duration MAX_DURATION = Duration.ofDays(366);

    private static Duration duration(PolicyNode n, String key) {
        String text = n.text(key, null);
        if (text == null) {
            return null;
        }
        Duration d = Durations.parse(text);
        if (d == null || d.compareTo(MAX_DURATION) > 0) {
            throw n.error(key, "\"" + PolicyYaml.printable(text) + "\" (expected: a duration such as 60s, 10m or 2h"
                    + (key.equals("validity") ? ", or once" : "") + ", at most " + MAX_DURATION.toDays()
                    + "d)");
        }
        return d;
    }
}
