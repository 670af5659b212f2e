/**
 * Forward: the clusters, the pooled upstream clients, the gateway's credentials, how identity is carried
 * (impersonation), and the streaming relay with evidence held before every response's end.
 */
package dev.gatehouse.forward;
