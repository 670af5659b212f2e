/**
 * The {@code issued-token} upstream credential mode: instead of its own credential plus impersonation
 * headers, the gateway sends each request with a JWT it mints for that request alone (audience the cluster,
 * lifetime of seconds, {@code jti} the request id), which the cluster's JWT authenticator trusts
 * (see {@code docs/issued-token.md}).
 */
package dev.gatehouse.forward.issued;
