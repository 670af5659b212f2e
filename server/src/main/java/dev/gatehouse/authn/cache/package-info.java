/**
 * A bounded cache of verified tokens, so that a token seen again costs a hash and a map lookup instead of a
 * signature check. Keys are SHA-256 digests of tokens, never the tokens; an entry never outlives its token.
 */
package dev.gatehouse.authn.cache;
