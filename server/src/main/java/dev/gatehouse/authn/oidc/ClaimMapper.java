package dev.gatehouse.authn.oidc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jwt.JWTClaimsSet;

import dev.gatehouse.authn.TokenFingerprint;
import dev.gatehouse.identity.AuthenticationMethod;
import dev.gatehouse.identity.Identity;

/** Turns the verified claims of an issuer's token into an {@link Identity}, refusing values unfit for headers. */
final class ClaimMapper {
    private final OidcIssuerConfig config;

    ClaimMapper(OidcIssuerConfig config) {
        this.config = config;
    }

    /** Thrown with a reason for the client; the reason names the claim, never the token. */
    static final class ClaimException extends Exception {
        ClaimException(String message) {
            super(message, null, false, false);
        }
    }

    Identity identity(JWTClaimsSet claims, String token) throws ClaimException {
        for (Map.Entry<String, String> required : config.requiredClaims().entrySet()) {
            Object value = claims.getClaim(required.getKey());
            if (!(value instanceof String s) || !s.equals(required.getValue())) {
                throw new ClaimException("required claim '" + required.getKey() + "' is missing or has another value");
            }
        }
        if (config.usernameClaim().equals("email") && claims.getClaim("email_verified") != null
                && !Boolean.TRUE.equals(claims.getClaim("email_verified"))) {
            throw new ClaimException("the email claim is not verified (email_verified is not true)");
        }
        String user = config.usernamePrefix() + string(claims, config.usernameClaim(), true);
        String uid = config.uidClaim() == null ? "" : string(claims, config.uidClaim(), false);
        List<String> groups = new ArrayList<>();
        if (config.groupsClaim() != null) {
            for (String g : strings(claims, config.groupsClaim())) {
                groups.add(config.groupsPrefix() + g);
            }
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, String> a : config.attributeClaims().entrySet()) {
            String value = scalar(claims, a.getValue());
            if (value != null) {
                attributes.put(a.getKey(), value);
            }
        }
        String jti = claims.getJWTID();
        String credentialId = jti != null && HeaderValues.safe(jti) ? "jti:" + jti : TokenFingerprint.of(token);
        Instant exp = claims.getExpirationTime().toInstant();
        return new Identity(user, uid, groups, config.issuerUrl(), AuthenticationMethod.OIDC, List.of(), attributes,
                credentialId, exp);
    }

    private static String string(JWTClaimsSet claims, String name, boolean required) throws ClaimException {
        Object value = claims.getClaim(name);
        if (value == null) {
            if (required) {
                throw new ClaimException("claim '" + name + "' is missing");
            }
            return "";
        }
        if (!(value instanceof String s)) {
            throw new ClaimException("claim '" + name + "' is not a string");
        }
        return checked(name, s);
    }

    private static List<String> strings(JWTClaimsSet claims, String name) throws ClaimException {
        Object value = claims.getClaim(name);
        if (value == null) {
            return List.of();
        }
        if (value instanceof String s) {
            return List.of(checked(name, s));
        }
        if (value instanceof List<?> list) {
            List<String> out = new ArrayList<>(list.size());
            for (Object o : list) {
                if (!(o instanceof String s)) {
                    throw new ClaimException("claim '" + name + "' has a value that is not a string");
                }
                out.add(checked(name, s));
            }
            return out;
        }
        throw new ClaimException("claim '" + name + "' is neither a string nor a list of strings");
    }

    private static String scalar(JWTClaimsSet claims, String name) throws ClaimException {
        Object value = claims.getClaim(name);
        if (value == null) {
            return null;
        }
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return checked(name, String.valueOf(value));
        }
        throw new ClaimException("claim '" + name + "' is not a string, number or boolean");
    }

    private static String checked(String name, String value) throws ClaimException {
        if (!HeaderValues.safe(value)) {
            throw new ClaimException("claim '" + name + "' is empty or contains characters that cannot be carried "
                    + "in a header (control characters, non-ASCII, leading or trailing space)");
        }
        return value;
    }
}
