package dev.gatehouse.authn.delegation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jwt.JWTClaimsSet;

import dev.gatehouse.identity.AuthenticationMethod;
import dev.gatehouse.identity.Identity;

/**
 * How a delegated token carries the subject's identity and the actor chain. {@code sub} is the subject's user
 * name; {@code act} nests RFC 8693 style, the current actor outermost: {@code {"sub":"agent-2","iss":…,
 * "act":{"sub":"agent-1","iss":…}}}; the subject's uid, groups, attributes and original issuer and method
 * travel in {@code uid}, {@code groups}, {@code attributes}, {@code src_iss}, {@code src_method}.
 */
final class DelegatedClaims {
    static final String UID = "uid";
    static final String GROUPS = "groups";
    static final String ATTRIBUTES = "attributes";
    static final String SOURCE_ISSUER = "src_iss";
    static final String SOURCE_METHOD = "src_method";
    static final String ACT = "act";

    private DelegatedClaims() {
    }

    /** Writes the subject and the chain into {@code claims}. */
    static JWTClaimsSet.Builder write(JWTClaimsSet.Builder claims, Identity subject, List<Identity.Actor> chain) {
        claims.subject(subject.user())
                .claim(UID, subject.uid())
                .claim(GROUPS, subject.groups())
                .claim(ATTRIBUTES, subject.attributes())
                .claim(SOURCE_ISSUER, subject.issuer())
                .claim(SOURCE_METHOD, subject.method().wireName());
        Map<String, Object> act = null;
        for (int i = chain.size() - 1; i >= 0; i--) {
            Map<String, Object> level = new LinkedHashMap<>();
            level.put("sub", chain.get(i).subject());
            level.put("iss", chain.get(i).issuer());
            if (act != null) {
                level.put(ACT, act);
            }
            act = level;
        }
        return act == null ? claims : claims.claim(ACT, act);
    }

    /** The actor chain, outermost (current) actor first; refuses malformed or deeper-than-allowed chains. */
    static List<Identity.Actor> chain(JWTClaimsSet claims, int maxDepth) {
        List<Identity.Actor> chain = new ArrayList<>();
        Object act = claims.getClaim(ACT);
        while (act != null) {
            if (!(act instanceof Map<?, ?> level) || !(level.get("sub") instanceof String sub) || chain.size() >= maxDepth) {
                throw new IllegalArgumentException("malformed or too deep act claim");
            }
            Object iss = level.get("iss");
            chain.add(new Identity.Actor(sub, iss instanceof String s ? s : ""));
            act = level.get(ACT);
        }
        return chain;
    }

    static AuthenticationMethod method(String wireName) {
        for (AuthenticationMethod m : AuthenticationMethod.values()) {
            if (m.wireName().equals(wireName)) {
                return m;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> attributes(JWTClaimsSet claims) {
        Object value = claims.getClaim(ATTRIBUTES);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map) || !map.values().stream().allMatch(v -> v instanceof String)) {
            throw new IllegalArgumentException("malformed attributes claim");
        }
        return (Map<String, String>) map;
    }
}
