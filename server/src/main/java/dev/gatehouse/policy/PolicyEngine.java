package dev.gatehouse.policy;

import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.identity.Identity;

/**
 * Decides requests. Implementations are thread-safe and never block: conditions are compiled once, evaluation
 * is in memory.
 */
public interface PolicyEngine {

    /**
     * True when some rule that could match this request has a condition over {@code object}, so the body must be
     * read (bounded) before {@link #decide}. False for everything else, which streams as it comes.
     */
    boolean needsObject(Identity identity, RequestInfo request);

    /** The decision for one request: the first matching rule's, else the configured default. */
    Decision decide(PolicyRequest request);

    /** Allows every request (a gateway that only records: tests and benchmarks of the rest of the path). */
    static PolicyEngine allowAll() {
        Decision allow = new Decision.Allow(new MatchedRule("allow-all", "", 0), "");
        return new PolicyEngine() {
            @Override
            public boolean needsObject(Identity identity, RequestInfo request) {
                return false;
            }

            @Override
            public Decision decide(PolicyRequest request) {
                return allow;
            }
        };
    }
}
