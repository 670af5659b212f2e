/**
 * The demo's built-in identity provider: a real OIDC provider in-process (mock-oauth2-server) with a few
 * demo users and groups, so {@code gatehouse login} works end to end on a fresh machine.
 */
package dev.gatehouse.sandbox.idp;
