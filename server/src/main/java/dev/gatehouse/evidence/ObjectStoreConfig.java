package dev.gatehouse.evidence;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * {@code evidence.objectStore}: where sealed audit segments, their signed checkpoints, the public keys and finished
 * session recordings are shipped. Validated on construction; every message names the setting.
 *
 * @param bucket      the bucket of {@code url} ({@code s3://bucket/prefix})
 * @param prefix      the key prefix of {@code url}, without leading or trailing slash (may be empty); each replica
 *                    writes under {@code <prefix>/<replica>/}
 * @param endpoint    an S3-compatible endpoint ({@code http(s)://host:port}, path-style addressing), or null for AWS
 * @param region      the signing region
 * @param credentials how the access key is found
 * @param objectLock  the retention every object is written with, or null to send none
 * @param replica     this replica's name under the prefix, or null for the log's first signing key id
 * @param interval    how often the shipper looks for new evidence
 * @param alertAfter  how old the oldest unshipped evidence may get before {@code /healthz} reports it (503)
 */
public record ObjectStoreConfig(String bucket, String prefix, URI endpoint, String region, Credentials credentials,
                                ObjectLock objectLock, String replica, Duration interval, Duration alertAfter) {
    /** S3's bucket naming rules (lower case, digits, dots, hyphens; 3 to 63 characters). */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    /** A replica name is one safe path segment. */
    static final Pattern REPLICA = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    public ObjectStoreConfig {
        Objects.requireNonNull(credentials, "evidence.objectStore.credentials");
        if (bucket == null || !BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("evidence.objectStore.url: bucket \"" + bucket
                    + "\" (expected: 3-63 lower-case letters, digits, dots and hyphens)");
        }
        prefix = prefix == null ? "" : prefix;
        if (prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains("//") || prefix.contains("..")) {
            throw new IllegalArgumentException("evidence.objectStore.url: prefix \"" + prefix
                    + "\" (expected: path segments without empty or .. parts)");
        }
        boolean web = endpoint != null && ("http".equals(endpoint.getScheme())
                || "https".equals(endpoint.getScheme()));
        if (endpoint != null && (!web || endpoint.getHost() == null || endpoint.getUserInfo() != null || endpoint.getQuery() != null)) {
            throw new IllegalArgumentException("evidence.objectStore.endpoint: \"" + endpoint
                    + "\" (expected: http(s)://host[:port] without credentials or query)");
        }
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("evidence.objectStore.region: required");
        }
        if (replica != null && !REPLICA.matcher(replica).matches()) {
            throw new IllegalArgumentException("evidence.objectStore.replica: \"" + replica
                    + "\" (expected: letters, digits, '.', '_' and '-', at most 63)");
        }
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("evidence.objectStore.interval: " + interval + " (expected: > 0)");
        }
        if (alertAfter == null || alertAfter.isNegative() || alertAfter.isZero()) {
            throw new IllegalArgumentException("evidence.objectStore.alertAfter: " + alertAfter + " (expected: > 0)");
        }
    }

    /** Parses {@code s3://bucket/prefix}. */
    public static String[] parseUrl(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("evidence.objectStore.url: \"" + url + "\" (expected: s3://bucket/prefix)");
        }
        if (!"s3".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() != -1 || uri.getUserInfo() != null
                || uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("evidence.objectStore.url: \"" + url + "\" (expected: s3://bucket/prefix)");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        path = path.startsWith("/") ? path.substring(1) : path;
        path = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return new String[] {uri.getHost(), path};
    }

    /** {@code s3://bucket/prefix} as configured. */
    public String url() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    /** The key prefix every replica's objects share ("" or "prefix/"). */
    public String keyPrefix() {
        return prefix.isEmpty() ? "" : prefix + "/";
    }

    /**
     * {@code evidence.objectStore.credentials}: either both files (a Kubernetes Secret mounted as files) or the
     * environment ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}).
     */
    public record Credentials(Path accessKeyIdFile, Path secretAccessKeyFile, boolean fromEnvironment) {
        public Credentials {
            if (fromEnvironment == (accessKeyIdFile != null || secretAccessKeyFile != null)) {
                throw new IllegalArgumentException("evidence.objectStore.credentials: expected either env: true or "
                        + "both accessKeyIdFile and secretAccessKeyFile");
            }
            if (!fromEnvironment && (accessKeyIdFile == null || secretAccessKeyFile == null)) {
                throw new IllegalArgumentException("evidence.objectStore.credentials: accessKeyIdFile and "
                        + "secretAccessKeyFile go together");
            }
        }
    }

    /**
     * {@code evidence.objectStore.objectLock}: S3 Object Lock retention sent with every object.
     *
     * @param mode GOVERNANCE or COMPLIANCE
     * @param days how long each object is locked from its upload
     */
    public record ObjectLock(String mode, int days) {
        public ObjectLock {
            if (!"GOVERNANCE".equals(mode) && !"COMPLIANCE".equals(mode)) {
                throw new IllegalArgumentException("evidence.objectStore.objectLock.mode: \"" + mode
                        + "\" (expected: GOVERNANCE or COMPLIANCE)");
            }
            if (days <= 0 || days > 36_500) {
                throw new IllegalArgumentException("evidence.objectStore.objectLock.days: " + days
                        + " (expected: 1..36500)");
            }
        }
    }
}
