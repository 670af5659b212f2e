/**
 * Policy: Kubernetes-aware rules (RBAC's vocabulary plus CEL conditions) that decide each request —
 * {@link dev.gatehouse.policy.Decision.Allow allow}, {@link dev.gatehouse.policy.Decision.Deny deny} with a
 * message, or {@link dev.gatehouse.policy.Decision.Review review} by authorized people.
 *
 * <ul>
 *   <li>{@link dev.gatehouse.policy.PolicyLoader} reads a policy file or directory (or a shipped one,
 *       {@code policy/default.yaml}, {@code policy/demo.yaml}) strictly: every error is a
 *       {@link dev.gatehouse.policy.PolicyException} naming file, line and rule;</li>
 *   <li>{@link dev.gatehouse.policy.RulePolicy} is a loaded policy, the {@link dev.gatehouse.policy.PolicyEngine}:
 *       first matching rule wins, else the default; conditions that cannot be evaluated deny (fail closed);</li>
 *   <li>{@link dev.gatehouse.policy.ReloadingPolicyEngine} holds the policy in force and swaps in good edits,
 *       reporting good and bad ones to a {@link dev.gatehouse.policy.PolicyReloadListener}.</li>
 * </ul>
 * The file format is documented in {@code docs/POLICY.md}.
 */
package dev.gatehouse.policy;
