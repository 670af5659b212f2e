package dev.gatehouse.authn;

/**
 * What a client presented. Its {@code toString} never shows the secret.
 *
 * @param bearerToken the bearer token from the Authorization header, or null
 */
public record Credential(String bearerToken) {
    @Override
    public String toString() {
        return bearerToken == null ? "Credential[none]" : "Credential[bearer, " + bearerToken.length() + " chars]";
    }
}
