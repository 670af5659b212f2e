/**
 * Forward: the clusters, the pooled upstream clients, the gateway's credentials, how identity is carried
 * (impersonation), the streaming relay with evidence held before every response's end, and each cluster's
 * Kubernetes version ({@code ClusterVersions}, asked of {@code /version} as the gateway itself).
 */
package dev.gatehouse.forward;
