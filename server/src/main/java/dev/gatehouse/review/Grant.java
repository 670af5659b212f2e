package dev.gatehouse.review;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import dev.gatehouse.policy.ReviewRequirement;

/**
 * A time-boxed access request: asked ahead of time for a scope; once approved, requests by the requester that
 * policy would hold and that fall in the scope pass until it expires or is revoked, each recorded with the grant.
 *
 * @param id          {@code g-} + 26 base32 characters
 * @param scope       what it covers
 * @param duration    how long it lasts once approved
 * @param validUntil  approval time + duration; null before approval
 * @param revokedBy   who revoked it ("" unless REVOKED)
 */
public record Grant(String id, ReviewState state, Requester requester, Scope scope, Duration duration,
                    String reason, ReviewRequirement requirement, List<Verdict> verdicts, Instant created,
                    Instant expires, Instant validUntil, String revokedBy, long version) {
    public Grant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(duration, "duration");
        reason = reason == null ? "" : reason;
        Objects.requireNonNull(requirement, "requirement");
        verdicts = List.copyOf(verdicts == null ? List.of() : verdicts);
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(expires, "expires");
        revokedBy = revokedBy == null ? "" : revokedBy;
    }

    /**
     * What a grant covers. Empty lists mean "any" only for {@code namespaces} of cluster-scoped requests; verbs
     * and resources must be named ({@code "*"} allowed). Resources may carry a subresource ({@code pods/exec}).
     */
    public record Scope(String cluster, List<String> namespaces, List<String> verbs, List<String> resources) {
        public Scope {
            Objects.requireNonNull(cluster, "cluster");
            namespaces = List.copyOf(namespaces == null ? List.of() : namespaces);
            verbs = List.copyOf(verbs == null ? List.of() : verbs);
            resources = List.copyOf(resources == null ? List.of() : resources);
        }
    }
}
