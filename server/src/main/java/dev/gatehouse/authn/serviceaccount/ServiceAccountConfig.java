package dev.gatehouse.authn.serviceaccount;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One cluster whose service-account tokens the gateway accepts, validated at construction; errors name the key
 * (e.g. {@code authentication.serviceAccounts[0].cacheTtl: … (expected: 0s to 5m)}). The cluster is reached as
 * every gateway call to it is, through its upstream with the cluster's own credential ({@link TokenReviewer}).
 *
 * @param key            where this entry sits in the configuration
 * @param cluster        the cluster's name; identities carry {@code cluster:<name>} as issuer
 * @param audiences      audiences the token must be valid for (sent in the review and checked in the answer);
 *                       empty means the API server's own audiences
 * @param issuers        the {@code iss} values of this cluster's service-account tokens, used only to route a
 *                       token here (default: {@code https://kubernetes.default.svc.cluster.local} and the legacy
 *                       {@code kubernetes/serviceaccount})
 * @param usernamePrefix put before the service account's user name, e.g. {@code prod:}; may be empty
 * @param cacheTtl       how long a successful review is reused, 0 to 5 minutes
 */
public record ServiceAccountConfig(String key, String cluster, List<String> audiences, List<String> issuers,
                                   String usernamePrefix, Duration cacheTtl) {

    /** The issuers of service-account tokens in a default cluster set-up. */
    public static final List<String> DEFAULT_ISSUERS = List.of("https://kubernetes.default.svc.cluster.local",
            "kubernetes/serviceaccount");

    public ServiceAccountConfig {
        Objects.requireNonNull(key, "key");
        if (cluster == null || cluster.isBlank()) {
            throw new IllegalArgumentException(key + ".cluster: missing (expected: the cluster's name)");
        }
        audiences = List.copyOf(audiences == null ? List.of() : audiences);
        issuers = List.copyOf(issuers == null || issuers.isEmpty() ? DEFAULT_ISSUERS : issuers);
        usernamePrefix = usernamePrefix == null ? "" : usernamePrefix;
        Objects.requireNonNull(cacheTtl, key + ".cacheTtl");
        if (cacheTtl.isNegative() || cacheTtl.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException(key + ".cacheTtl: " + cacheTtl + " (expected: 0s to 5m)");
        }
    }
}
