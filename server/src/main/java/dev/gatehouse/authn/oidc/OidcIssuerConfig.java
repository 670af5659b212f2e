package dev.gatehouse.authn.oidc;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One trusted OIDC issuer, validated at construction; every error names the key, e.g.
 * {@code authentication.oidc[1].issuerUrl: http://idp (expected: https URL)}. Build with
 * {@link #builder(String)}, which fills the defaults.
 *
 * @param key              where this issuer sits in the configuration, e.g. {@code authentication.oidc[1]}
 * @param kind             people or a CI flavour; sets claim defaults
 * @param issuerUrl        the exact {@code iss} value; discovery is fetched from
 *                         {@code <issuerUrl>/.well-known/openid-configuration}. https, or http on a loopback
 *                         address only (tests and the demo's built-in IdP)
 * @param audiences        accepted {@code aud} values (client ids); a token must carry at least one
 * @param usernameClaim    the claim whose string value is the user name
 * @param usernamePrefix   put before the user name so names from two issuers cannot collide
 *                         (default {@code <issuerUrl>#}; {@code ""} only with {@code email} as username claim)
 * @param uidClaim         the claim for the stable user id, or null for none
 * @param groupsClaim      the claim with the groups (string or array of strings), or null for none
 * @param groupsPrefix     put before each group name (default: the username prefix)
 * @param requiredClaims   claim → value the token must carry exactly (e.g. {@code repository_owner: acme})
 * @param attributeClaims  attribute name → claim name, mapped into {@code Identity.attributes}
 * @param allowedAlgorithms JWS algorithms accepted: asymmetric only, never {@code none} or HMAC
 * @param clockSkew        tolerance for {@code exp}/{@code nbf}/{@code iat}, 0 to 5 minutes
 * @param caFile           PEM file of CAs trusted for the IdP's TLS, or null for the system's
 */
public record OidcIssuerConfig(String key, OidcIssuerKind kind, String issuerUrl, List<String> audiences,
                               String usernameClaim, String usernamePrefix, String uidClaim, String groupsClaim,
                               String groupsPrefix, Map<String, String> requiredClaims,
                               Map<String, String> attributeClaims, Set<String> allowedAlgorithms,
                               Duration clockSkew, Path caFile) {

    /** Asymmetric JWS algorithms that may be configured. */
    public static final Set<String> ASYMMETRIC = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "ES512", "EdDSA", "Ed25519");
    private static final Duration MAX_SKEW = Duration.ofMinutes(5);

    public OidcIssuerConfig {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, key + ".kind");
        issuerUrl = checkUrl(key + ".issuerUrl", issuerUrl);
        audiences = List.copyOf(require(key + ".audiences", audiences, "at least one audience"));
        if (audiences.isEmpty() || audiences.stream().anyMatch(a -> a == null || a.isBlank())) {
            throw new IllegalArgumentException(key + ".audiences: " + audiences + " (expected: at least one non-blank audience)");
        }
        usernameClaim = nonBlank(key + ".usernameClaim", usernameClaim);
        Objects.requireNonNull(usernamePrefix, key + ".usernamePrefix");
        if (usernamePrefix.isEmpty() && !usernameClaim.equals("email")) {
            throw new IllegalArgumentException(key + ".usernamePrefix: \"\" (expected: a prefix such as \"corp:\"; "
                    + "only an email username may go unprefixed)");
        }
        checkPrintable(key + ".usernamePrefix", usernamePrefix);
        groupsPrefix = groupsPrefix == null ? usernamePrefix : groupsPrefix;
        checkPrintable(key + ".groupsPrefix", groupsPrefix);
        requiredClaims = Map.copyOf(requiredClaims == null ? Map.of() : requiredClaims);
        attributeClaims = Map.copyOf(attributeClaims == null ? Map.of() : attributeClaims);
        attributeClaims.forEach((name, claim) -> {
            checkPrintable(key + ".attributeClaims", name);
            nonBlank(key + ".attributeClaims." + name, claim);
        });
        allowedAlgorithms = Set.copyOf(require(key + ".allowedAlgorithms", allowedAlgorithms, "RS256, ES256, …"));
        if (allowedAlgorithms.isEmpty()) {
            throw new IllegalArgumentException(key + ".allowedAlgorithms: [] (expected: at least one of " + sorted(ASYMMETRIC) + ")");
        }
        for (String alg : allowedAlgorithms) {
            if (!ASYMMETRIC.contains(alg)) {
                throw new IllegalArgumentException(key + ".allowedAlgorithms: " + alg + " (expected: one of "
                        + sorted(ASYMMETRIC) + "; never none or HMAC)");
            }
        }
        Objects.requireNonNull(clockSkew, key + ".clockSkew");
        if (clockSkew.isNegative() || clockSkew.compareTo(MAX_SKEW) > 0) {
            throw new IllegalArgumentException(key + ".clockSkew: " + clockSkew + " (expected: 0s to 5m)");
        }
        if (caFile != null && !Files.isReadable(caFile)) {
            throw new IllegalArgumentException(key + ".caFile: " + caFile + " (expected: a readable PEM file)");
        }
    }

    /** A builder with the defaults of {@link OidcIssuerKind#PEOPLE}. */
    public static Builder builder(String key) {
        return new Builder(key);
    }

    /**
     * Checks that no two issuers share an issuer URL or a username prefix, so their names cannot collide.
     *
     * @throws IllegalArgumentException naming the second of two clashing issuers
     */
    public static void checkDistinct(List<OidcIssuerConfig> issuers) {
        Set<String> urls = new HashSet<>();
        Set<String> prefixes = new HashSet<>();
        for (OidcIssuerConfig c : issuers) {
            if (!urls.add(c.issuerUrl())) {
                throw new IllegalArgumentException(c.key() + ".issuerUrl: " + c.issuerUrl() + " (expected: each issuer once)");
            }
            if (!prefixes.add(c.usernamePrefix())) {
                throw new IllegalArgumentException(c.key() + ".usernamePrefix: \"" + c.usernamePrefix()
                        + "\" (expected: a prefix no other issuer uses, so user names cannot collide)");
            }
        }
    }

    private static String checkUrl(String key, String url) {
        Objects.requireNonNull(url, key);
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + url + " (expected: https URL)");
        }
        boolean https = "https".equals(uri.getScheme());
        boolean loopbackHttp = "http".equals(uri.getScheme()) && isLoopback(uri.getHost());
        if (!(https || loopbackHttp) || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(key + ": " + url + " (expected: https URL without query or fragment)");
        }
        return url;
    }

    /** True for hosts that cannot leave the machine: http is tolerated only there. */
    static boolean isLoopback(String host) {
        return dev.gatehouse.config.LoopbackHosts.isLoopback(host);
    }

    private static <T> T require(String key, T value, String expected) {
        if (value == null) {
            throw new IllegalArgumentException(key + ": missing (expected: " + expected + ")");
        }
        return value;
    }

    private static String nonBlank(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + ": \"" + (value == null ? "" : value) + "\" (expected: a claim name)");
        }
        return value;
    }

    private static void checkPrintable(String key, String value) {
        if (!HeaderValues.safe(value) && !value.isEmpty()) {
            throw new IllegalArgumentException(key + ": contains characters that cannot be carried in a header "
                    + "(expected: printable ASCII)");
        }
    }

    private static String sorted(Set<String> s) {
        return String.join(", ", s.stream().sorted().toList());
    }

    /** Fills the defaults of the chosen kind; {@link #build()} validates. */
    public static final class Builder {
        private final String key;
        private OidcIssuerKind kind = OidcIssuerKind.PEOPLE;
        private String issuerUrl;
        private List<String> audiences = List.of();
        private String usernameClaim;
        private String usernamePrefix;
        private String uidClaim = "sub";
        private String groupsClaim;
        private boolean groupsClaimSet;
        private String groupsPrefix;
        private Map<String, String> requiredClaims = Map.of();
        private final Map<String, String> attributeClaims = new LinkedHashMap<>();
        private Set<String> allowedAlgorithms = new LinkedHashSet<>(List.of("RS256", "ES256"));
        private Duration clockSkew = Duration.ofSeconds(30);
        private Path caFile;

        private Builder(String key) {
            this.key = key;
        }

        public Builder kind(OidcIssuerKind kind) {
            this.kind = kind;
            return this;
        }

        public Builder issuerUrl(String issuerUrl) {
            this.issuerUrl = issuerUrl;
            return this;
        }

        public Builder audiences(List<String> audiences) {
            this.audiences = audiences;
            return this;
        }

        public Builder usernameClaim(String usernameClaim) {
            this.usernameClaim = usernameClaim;
            return this;
        }

        public Builder usernamePrefix(String usernamePrefix) {
            this.usernamePrefix = usernamePrefix;
            return this;
        }

        public Builder uidClaim(String uidClaim) {
            this.uidClaim = uidClaim;
            return this;
        }

        /** The groups claim; null for none. */
        public Builder groupsClaim(String groupsClaim) {
            this.groupsClaim = groupsClaim;
            this.groupsClaimSet = true;
            return this;
        }

        public Builder groupsPrefix(String groupsPrefix) {
            this.groupsPrefix = groupsPrefix;
            return this;
        }

        public Builder requiredClaims(Map<String, String> requiredClaims) {
            this.requiredClaims = requiredClaims;
            return this;
        }

        /** Adds attribute mappings on top of the kind's defaults (same name: this one wins). */
        public Builder attributeClaims(Map<String, String> attributeClaims) {
            this.attributeClaims.putAll(attributeClaims);
            return this;
        }

        public Builder allowedAlgorithms(Set<String> allowedAlgorithms) {
            this.allowedAlgorithms = allowedAlgorithms;
            return this;
        }

        public Builder clockSkew(Duration clockSkew) {
            this.clockSkew = clockSkew;
            return this;
        }

        public Builder caFile(Path caFile) {
            this.caFile = caFile;
            return this;
        }

        public OidcIssuerConfig build() {
            String userClaim = usernameClaim != null ? usernameClaim : kind.defaultUsernameClaim();
            String prefix = usernamePrefix;
            if (prefix == null) {
                prefix = "email".equals(userClaim) ? "" : (issuerUrl == null ? "" : issuerUrl + "#");
            }
            Map<String, String> attributes = new LinkedHashMap<>(kind.defaultAttributeClaims());
            attributes.putAll(attributeClaims);
            return new OidcIssuerConfig(key, kind, issuerUrl, audiences, userClaim, prefix, uidClaim,
                    groupsClaimSet ? groupsClaim : kind.defaultGroupsClaim(), groupsPrefix, requiredClaims,
                    attributes, allowedAlgorithms, clockSkew, caFile);
        }
    }
}
