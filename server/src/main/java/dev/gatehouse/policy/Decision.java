package dev.gatehouse.policy;

import java.util.Objects;

/**
 * What policy says of one request: a closed set of outcomes, each naming the rule that produced it and the
 * masking profile that applies to what the request reads.
 */
public sealed interface Decision permits Decision.Allow, Decision.Deny, Decision.Review {

    /** The rule that matched, or {@link MatchedRule#DEFAULT} when none did and the configured default applied. */
    MatchedRule rule();

    /** The masking profile for the response (and request body), "" for none. */
    String maskProfile();

    /** The wire word recorded in the audit event's {@code gatehouse.decision}: allow, deny or review. */
    String word();

    /** Forward the request. */
    record Allow(MatchedRule rule, String maskProfile) implements Decision {
        public Allow {
            Objects.requireNonNull(rule, "rule");
            maskProfile = maskProfile == null ? "" : maskProfile;
        }

        @Override
        public String word() {
            return "allow";
        }
    }

    /** Refuse with a 403 Status whose message kubectl prints. */
    record Deny(MatchedRule rule, String maskProfile, String message) implements Decision {
        public Deny {
            Objects.requireNonNull(rule, "rule");
            maskProfile = maskProfile == null ? "" : maskProfile;
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String word() {
            return "deny";
        }
    }

    /** Hold the request until reviewers approve it (or a grant or an earlier approval covers it). */
    record Review(MatchedRule rule, String maskProfile, ReviewRequirement requirement) implements Decision {
        public Review {
            Objects.requireNonNull(rule, "rule");
            maskProfile = maskProfile == null ? "" : maskProfile;
            Objects.requireNonNull(requirement, "requirement");
        }

        @Override
        public String word() {
            return "review";
        }
    }
}
