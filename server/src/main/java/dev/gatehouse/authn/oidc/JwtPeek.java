package dev.gatehouse.authn.oidc;

import java.text.ParseException;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;

/**
 * Reads a token's header and claims without verifying anything, only to route it to the authenticator of
 * its issuer. Nothing read here may be trusted until that authenticator has verified the signature.
 *
 * @param jwt    the parsed, unverified token
 * @param issuer its unverified {@code iss}, or "" when absent
 */
public record JwtPeek(JWT jwt, String issuer) {

    /** The parsed token, or null when the string is not a JWT (three dot-separated base64url parts, or a JWE). */
    public static JwtPeek of(String token) {
        if (token == null || token.length() < 10 || token.charAt(0) != 'e') {
            return null; // every JWT starts with base64url("{") = "ey"
        }
        try {
            JWT jwt = JWTParser.parse(token);
            String iss;
            try {
                iss = jwt.getJWTClaimsSet().getIssuer();
            } catch (ParseException e) {
                iss = null; // JWE: claims are encrypted
            }
            return new JwtPeek(jwt, iss == null ? "" : iss);
        } catch (ParseException e) {
            return null;
        }
    }
}
