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

    /**
     * The parsed token, or null when the string is not a JWT in compact form: three (a JWS) or five (a JWE)
     * dot-separated parts, each canonical unpadded base64url. Nimbus's decoder skips characters outside the alphabet
     * and ignores trailing bits, so without this check {@code token + "\n"} or a signature with junk in it would
     * verify as the token itself: one signed token, many accepted spellings (Go's decoder, the apiserver's, refuses
     * them).
     */
    public static JwtPeek of(String token) {
        if (token == null || token.length() < 10 || token.charAt(0) != 'e' || !compact(token)) {
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

    /** Three or five parts of canonical unpadded base64url (the last part of a JWS may be empty). */
    static boolean compact(String token) {
        int parts = 1;
        int partLength = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                if (!canonicalEnd(token, i, partLength)) {
                    return false;
                }
                parts++;
                partLength = 0;
            } else if (value(c) < 0) {
                return false;
            } else {
                partLength++;
            }
        }
        return (parts == 3 || parts == 5) && canonicalEnd(token, token.length(), partLength);
    }

    /** A part of {@code length} characters ending before {@code end} is a whole number of bytes, no bits left over. */
    private static boolean canonicalEnd(String token, int end, int length) {
        return switch (length % 4) {
            case 0 -> true;
            case 2 -> (value(token.charAt(end - 1)) & 0x0f) == 0;
            case 3 -> (value(token.charAt(end - 1)) & 0x03) == 0;
            default -> false;
        };
    }

    private static int value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '-' ? 62 : c == '_' ? 63 : -1;
    }
}
