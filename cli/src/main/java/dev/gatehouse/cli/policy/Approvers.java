package dev.gatehouse.cli.policy;

import java.time.Duration;

import dev.gatehouse.policy.ReviewRequirement;

/** A reviewer set in one line: who may approve, how many must, and the timings. */
final class Approvers {
    private Approvers() {
    }

    static String describe(ReviewRequirement r) {
        StringBuilder b = new StringBuilder();
        b.append(r.approvals()).append(" approval").append(r.approvals() == 1 ? "" : "s").append(" from");
        if (!r.approverGroups().isEmpty()) {
            b.append(" groups ").append(r.approverGroups());
        }
        if (!r.approverUsers().isEmpty()) {
            b.append(r.approverGroups().isEmpty() ? "" : " or").append(" users ").append(r.approverUsers());
        }
        if (r.reasonRequired()) {
            b.append("; reason required");
        }
        if (!r.breakGlassGroups().isEmpty()) {
            b.append("; break-glass groups ").append(r.breakGlassGroups());
        }
        b.append("; held ").append(r.holdTime() == null ? "the gateway's reviews.holdTime" : human(r.holdTime()));
        b.append("; approval valid ").append(r.validity().isZero() ? "once" : "for " + human(r.validity()));
        if (r.pendingExpiry() != null) {
            b.append("; expires after ").append(human(r.pendingExpiry()));
        }
        return b.toString();
    }

    static String human(Duration d) {
        return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
