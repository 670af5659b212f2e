package dev.gatehouse.policy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Who may release a held request, and how.
 *
 * @param approverGroups   groups whose members may approve (as the identity carries them, issuer prefix included)
 * @param approverUsers    users who may approve
 * @param approvals        how many distinct approvers are needed (N of M), at least 1
 * @param reasonRequired   the requester must give a reason, and every approval and denial must carry one
 * @param breakGlassGroups groups whose members may approve their own request, only with a reason; flagged in the
 *                         audit and notified
 * @param holdTime         how long the request itself waits for a decision before the client gets 403 with the
 *                         review id (null: the gateway's {@code reviews.holdTime})
 * @param validity         after approval, how long a retry of the same request is let through: {@link Duration#ZERO}
 *                         means once (the first retry consumes it), otherwise any number of retries in the window
 * @param pendingExpiry    how long a review stays pending before it expires (null: the gateway's default)
 */
public record ReviewRequirement(List<String> approverGroups, List<String> approverUsers, int approvals,
                                boolean reasonRequired, List<String> breakGlassGroups, Duration holdTime,
                                Duration validity, Duration pendingExpiry) {
    public ReviewRequirement {
        approverGroups = List.copyOf(approverGroups == null ? List.of() : approverGroups);
        approverUsers = List.copyOf(approverUsers == null ? List.of() : approverUsers);
        breakGlassGroups = List.copyOf(breakGlassGroups == null ? List.of() : breakGlassGroups);
        if (approvals < 1) {
            throw new IllegalArgumentException("approvals: " + approvals + " (expected: >= 1)");
        }
        validity = validity == null ? Duration.ZERO : validity;
        Objects.requireNonNull(validity);
    }

    /**
     * Who may approve, in the words every notice uses (the 403 kubectl prints, the session notice, webhooks and the
     * API's refusals): "groups sre, platform or users dana", "nobody (the rule names no approvers)", with
     * " (2 approvals)" when more than one is needed.
     */
    public String approversInWords() {
        String groups = approverGroups.isEmpty() ? ""
                : (approverGroups.size() == 1 ? "group " : "groups ") + String.join(", ", approverGroups);
        String users = approverUsers.isEmpty() ? ""
                : (approverUsers.size() == 1 ? "user " : "users ") + String.join(", ", approverUsers);
        String who = groups.isEmpty() || users.isEmpty() ? groups + users : groups + " or " + users;
        return (who.isEmpty() ? "nobody (the rule names no approvers)" : who)
                + (approvals > 1 ? " (" + approvals + " approvals)" : "");
    }
}
