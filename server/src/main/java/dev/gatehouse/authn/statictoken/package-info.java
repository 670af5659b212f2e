/** Static bearer tokens from a token file: break-glass and bootstrap authentication. */
package dev.gatehouse.authn.statictoken;
