/**
 * Policy: Kubernetes-aware rules (RBAC's vocabulary plus CEL conditions) that decide each request —
 * {@link dev.gatehouse.policy.Decision.Allow allow}, {@link dev.gatehouse.policy.Decision.Deny deny} with a
 * message, or {@link dev.gatehouse.policy.Decision.Review review} by authorized people.
 */
package dev.gatehouse.policy;
