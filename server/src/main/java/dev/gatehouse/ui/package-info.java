/**
 * The reviewers' web UI at {@code /ui}: sign-in through the configured OIDC issuer (authorization code with PKCE),
 * a server-side session behind a {@code __Host-} cookie, CSRF tokens on every state change, strict security headers,
 * and pages whose data comes from the gateway's own APIs called as the signed-in person (the reviews API, the audit
 * API, the reports API), so that the rules and the evidence-read events are exactly theirs. Each page viewed is an
 * evidence-read event itself.
 */
package dev.gatehouse.ui;
