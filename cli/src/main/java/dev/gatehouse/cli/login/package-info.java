/**
 * {@code gatehouse login} and {@code gatehouse credential}: people log in with the IdP the gateway names
 * (authorization code + PKCE on a loopback redirect, or the device-code flow), tokens are cached with
 * refresh in the user's config dir, and kubeconfig gets a context per cluster with the gateway's CA and a
 * client-go exec credential plugin that refreshes silently.
 */
package dev.gatehouse.cli.login;
