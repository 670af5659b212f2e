package dev.gatehouse.review;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.gatehouse.policy.ReviewRequirement;

/**
 * Who may decide a review or a grant: an approver (by group or by name) who is not the requester. The requester
 * is recognised by user name and through actor chains (an agent acting for the requester, or the agent that made
 * the request, is the requester too), whatever groups they have. Only members of the break-glass groups may
 * approve their own request, acting as themselves (no agent), and only with a reason.
 */
final class ReviewRules {
    private ReviewRules() {
    }

    /** Member of an approver group, or named an approver user. */
    static boolean mayApprove(ReviewRequirement requirement, Requester who) {
        return requirement.approverUsers().contains(who.user())
                || who.groups().stream().anyMatch(requirement.approverGroups()::contains);
    }

    /** The reviewer is the requester, or either acts for (or through) the other. */
    static boolean isSelf(Requester requester, Requester reviewer) {
        Set<String> asked = new HashSet<>(requester.actorChain());
        asked.add(requester.user());
        return asked.contains(reviewer.user()) || reviewer.actorChain().stream().anyMatch(asked::contains);
    }

    /**
     * Checks that {@code reviewer} may approve (or deny) {@code what}; returns true when the approval is a
     * break-glass self-approval.
     *
     * @throws ReviewException 403 not an approver or self-approval, 400 no reason where one is required
     */
    static boolean checkDecider(String what, ReviewRequirement requirement, Requester requester, Requester reviewer,
                                boolean approve, String reason) {
        boolean breakGlass = false;
        if (isSelf(requester, reviewer)) {
            breakGlass = approve && breakGlassMember(requirement, reviewer);
            if (!breakGlass) {
                throw new ReviewException(403, reviewer.user() + (reviewer.actorChain().isEmpty() ? ""
                        : " (through " + String.join(", ", reviewer.actorChain()) + ")")
                        + " may not " + (approve ? "approve" : "deny") + " " + what + " of " + requester.user()
                        + ": a requester never decides their own request"
                        + (approve ? "" : " (cancel it instead)"));
            }
            if (blank(reason)) {
                throw new ReviewException(400, "break-glass self-approval of " + what + " by " + reviewer.user()
                        + " needs a reason (expected: a non-empty reason)");
            }
        } else if (!mayApprove(requirement, reviewer)) {
            throw new ReviewException(403, reviewer.user() + " may not " + (approve ? "approve" : "deny") + " "
                    + what + ": " + whoMay(requirement));
        }
        if (requirement.reasonRequired() && blank(reason)) {
            throw new ReviewException(400, "a reason is required to " + (approve ? "approve" : "deny") + " " + what
                    + " (expected: a non-empty reason)");
        }
        return breakGlass;
    }

    /** "approvers: group sre or user carol (2 approvals)". */
    static String whoMay(ReviewRequirement requirement) {
        return "approvers: " + requirement.approversInWords();
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static boolean breakGlassMember(ReviewRequirement requirement, Requester reviewer) {
        return reviewer.actorChain().isEmpty()
                && reviewer.groups().stream().anyMatch(requirement.breakGlassGroups()::contains);
    }
}
