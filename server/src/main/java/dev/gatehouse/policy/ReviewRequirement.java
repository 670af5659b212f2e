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
}
