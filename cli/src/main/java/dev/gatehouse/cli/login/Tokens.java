package dev.gatehouse.cli.login;

import java.time.Instant;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Tokens from the IdP. The gateway is given the ID token (audience: the client id), as kubelogin does.
 *
 * @param idToken      the ID token
 * @param refreshToken the refresh token, or null
 * @param expiresAt    the ID token's {@code exp}
 */
record Tokens(String idToken, String refreshToken, Instant expiresAt) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads a token endpoint response; keeps {@code previousRefresh} when the IdP does not rotate it. */
    static Tokens fromResponse(JsonNode response, String previousRefresh) {
        String id = response.path("id_token").asText(null);
        if (id == null) {
            throw new LoginException("the identity provider returned no id_token (is the 'openid' scope allowed?)");
        }
        String refresh = response.path("refresh_token").asText(previousRefresh);
        return new Tokens(id, refresh, expiry(id));
    }

    /** The {@code exp} of a JWT, read without verification (the gateway verifies; this only schedules refresh). */
    static Instant expiry(String jwt) {
        try {
            String[] parts = jwt.split("\\.");
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            return Instant.ofEpochSecond(claims.path("exp").asLong());
        } catch (Exception e) {
            throw new LoginException("the identity provider returned an ID token that is not a JWT");
        }
    }

    @Override
    public String toString() {
        return "Tokens[expiresAt=" + expiresAt + ", refresh=" + (refreshToken != null) + "]";
    }
}
