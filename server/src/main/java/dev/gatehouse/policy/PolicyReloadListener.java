package dev.gatehouse.policy;

/**
 * Told what a {@link ReloadingPolicyEngine} did with a changed policy. Called on the reload thread, never on an
 * event loop; implementations return quickly (record an audit event, count a metric, log a line).
 */
public interface PolicyReloadListener {
    /** A listener that ignores everything. */
    PolicyReloadListener NONE = new PolicyReloadListener() {
        @Override
        public void reloaded(PolicySummary policy) {
        }

        @Override
        public void rejected(PolicyException error, PolicySummary kept) {
        }
    };

    /** The changed policy loaded and now decides every new request. */
    void reloaded(PolicySummary policy);

    /** The changed policy is wrong; {@code kept} goes on deciding. Said once per distinct bad content. */
    void rejected(PolicyException error, PolicySummary kept);
}
