package dev.gatehouse.audit.query;

import java.time.Instant;

/**
 * Filters for {@code gatehouse audit query}; null means "any". All given filters must match.
 *
 * @param from      events at or after this time (stage timestamp)
 * @param to        events before this time
 * @param cluster   the target cluster
 * @param user      the username
 * @param group     one of the user's groups
 * @param actor     one of the delegation actors (RFC 8693 {@code act} chain)
 * @param verb      the Kubernetes verb
 * @param resource  the resource (pods, secrets, reviews, ...)
 * @param namespace the namespace
 * @param name      the object's name
 * @param decision  allow, deny, review or refused
 * @param reviewId  the review the event belongs to ({@code gatehouse.details.reviewId})
 * @param code      the response status code
 * @param limit     most events returned (latest first when {@code newestFirst})
 * @param newestFirst order by position descending
 */
public record AuditQuery(Instant from, Instant to, String cluster, String user, String group, String actor,
                         String verb, String resource, String namespace, String name, String decision,
                         String reviewId, Integer code, int limit, boolean newestFirst) {
    public AuditQuery {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: > 0)");
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("from: " + from + " (expected: before to: " + to + ")");
        }
    }

    /** Every event, oldest first, up to {@code limit}. */
    public static AuditQuery all(int limit) {
        return new AuditQuery(null, null, null, null, null, null, null, null, null, null, null, null, null, limit,
                false);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a query filter by filter; unset filters match anything. */
    public static final class Builder {
        private Instant from;
        private Instant to;
        private String cluster;
        private String user;
        private String group;
        private String actor;
        private String verb;
        private String resource;
        private String namespace;
        private String name;
        private String decision;
        private String reviewId;
        private Integer code;
        private int limit = 1000;
        private boolean newestFirst;

        public Builder from(Instant v) { from = v; return this; }
        public Builder to(Instant v) { to = v; return this; }
        public Builder cluster(String v) { cluster = v; return this; }
        public Builder user(String v) { user = v; return this; }
        public Builder group(String v) { group = v; return this; }
        public Builder actor(String v) { actor = v; return this; }
        public Builder verb(String v) { verb = v; return this; }
        public Builder resource(String v) { resource = v; return this; }
        public Builder namespace(String v) { namespace = v; return this; }
        public Builder name(String v) { name = v; return this; }
        public Builder decision(String v) { decision = v; return this; }
        public Builder reviewId(String v) { reviewId = v; return this; }
        public Builder code(Integer v) { code = v; return this; }
        public Builder limit(int v) { limit = v; return this; }
        public Builder newestFirst() { newestFirst = true; return this; }

        public AuditQuery build() {
            return new AuditQuery(from, to, cluster, user, group, actor, verb, resource, namespace, name, decision,
                    reviewId, code, limit, newestFirst);
        }
    }
}
