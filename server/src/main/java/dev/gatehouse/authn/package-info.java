/**
 * Authenticate: turns the client's credential into an {@link dev.gatehouse.identity.Identity}; one
 * sub-package per mechanism. The client's credential never travels past this stage.
 */
package dev.gatehouse.authn;
