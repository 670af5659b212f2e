package dev.gatehouse.authn.serviceaccount;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One cluster whose service-account tokens the gateway accepts, validated at construction; errors name the key
 * (e.g. {@code authentication.serviceAccounts[0].apiServerUrl: … (expected: https URL)}).
 *
 * @param key            where this entry sits in the configuration
 * @param cluster        the cluster's name; identities carry {@code cluster:<name>} as issuer
 * @param apiServerUrl   the cluster's API server, https (http on loopback only, for tests)
 * @param caFile         PEM CA for the API server's TLS, or null for the JVM's default trust
 * @param tokenFile      the gateway's bearer token for the TokenReview call (re-read every minute, so
 *                       projected tokens may rotate), or null when a client certificate is used
 * @param clientCertFile the gateway's client certificate (PEM), or null
 * @param clientKeyFile  its private key (PEM), or null
 * @param audiences      audiences the token must be valid for (sent in the review and checked in the answer);
 *                       empty means the API server's own audiences
 * @param issuers        the {@code iss} values of this cluster's service-account tokens, used only to route a
 *                       token here (default: {@code https://kubernetes.default.svc.cluster.local} and the legacy
 *                       {@code kubernetes/serviceaccount})
 * @param usernamePrefix put before the service account's user name, e.g. {@code prod:}; may be empty
 * @param cacheTtl       how long a successful review is reused, 0 to 5 minutes
 */
public record ServiceAccountConfig(String key, String cluster, String apiServerUrl, Path caFile, Path tokenFile,
                                   Path clientCertFile, Path clientKeyFile, List<String> audiences,
                                   List<String> issuers, String usernamePrefix, Duration cacheTtl) {

    /** The issuers of service-account tokens in a default cluster set-up. */
    public static final List<String> DEFAULT_ISSUERS = List.of("https://kubernetes.default.svc.cluster.local",
            "kubernetes/serviceaccount");

    public ServiceAccountConfig {
        Objects.requireNonNull(key, "key");
        if (cluster == null || cluster.isBlank()) {
            throw new IllegalArgumentException(key + ".cluster: missing (expected: the cluster's name)");
        }
        Objects.requireNonNull(apiServerUrl, key + ".apiServerUrl");
        URI uri = URI.create(apiServerUrl);
        boolean loopbackHttp = "http".equals(uri.getScheme())
                && dev.gatehouse.config.LoopbackHosts.isLoopback(uri.getHost());
        if (!("https".equals(uri.getScheme()) || loopbackHttp) || uri.getHost() == null) {
            throw new IllegalArgumentException(key + ".apiServerUrl: " + apiServerUrl + " (expected: https URL)");
        }
        readable(key + ".caFile", caFile);
        readable(key + ".tokenFile", tokenFile);
        readable(key + ".clientCertFile", clientCertFile);
        readable(key + ".clientKeyFile", clientKeyFile);
        if (tokenFile == null && clientCertFile == null) {
            throw new IllegalArgumentException(key + ": no credential (expected: tokenFile, or clientCertFile and clientKeyFile)");
        }
        if ((clientCertFile == null) != (clientKeyFile == null)) {
            throw new IllegalArgumentException(key + ".clientKeyFile: clientCertFile and clientKeyFile go together");
        }
        audiences = List.copyOf(audiences == null ? List.of() : audiences);
        issuers = List.copyOf(issuers == null || issuers.isEmpty() ? DEFAULT_ISSUERS : issuers);
        usernamePrefix = usernamePrefix == null ? "" : usernamePrefix;
        Objects.requireNonNull(cacheTtl, key + ".cacheTtl");
        if (cacheTtl.isNegative() || cacheTtl.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException(key + ".cacheTtl: " + cacheTtl + " (expected: 0s to 5m)");
        }
    }

    /** With a token file, the default issuers, no prefix and a 10-second cache. */
    public static ServiceAccountConfig withToken(String key, String cluster, String apiServerUrl, Path caFile,
                                                 Path tokenFile, List<String> audiences) {
        return new ServiceAccountConfig(key, cluster, apiServerUrl, caFile, tokenFile, null, null, audiences, null,
                "", Duration.ofSeconds(10));
    }

    private static void readable(String key, Path file) {
        if (file != null && !Files.isReadable(file)) {
            throw new IllegalArgumentException(key + ": " + file + " (expected: a readable file)");
        }
    }
}
