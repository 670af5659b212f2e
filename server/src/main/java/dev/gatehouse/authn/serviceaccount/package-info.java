/**
 * Kubernetes service-account tokens, verified by the cluster that issued them through the TokenReview API
 * ({@code POST /apis/authentication.k8s.io/v1/tokenreviews}) with the gateway's own credential. The client's
 * token goes only to its own issuer, in the review; results are cached briefly.
 */
package dev.gatehouse.authn.serviceaccount;
