package dev.gatehouse.evidence;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectRetentionResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.paginators.ListObjectsV2Iterable;

/**
 * {@link ObjectStore} on an S3-compatible API through the AWS SDK v2 (the JDK's URL connection client, path-style
 * addressing, an optional custom endpoint). Uploads carry {@code Content-MD5} and {@code x-amz-checksum-sha256},
 * so the store checks the bytes it received, and the SHA-256 as {@code x-amz-meta-sha256}, so {@link #head} can
 * tell whether an existing object holds the same bytes. With object lock configured every upload carries the
 * mode and a retain-until date, and the first upload is read back with {@code GetObjectRetention}: a store that
 * accepts the headers but keeps no retention is an error, not a silent downgrade.
 */
public final class S3ObjectStore implements ObjectStore {
    static final String SHA256_META = "sha256";

    private final S3Client s3;
    private final String bucket;
    private final ObjectStoreConfig.ObjectLock lock;
    private final Clock clock;
    private volatile boolean lockConfirmed;

    S3ObjectStore(S3Client s3, String bucket, ObjectStoreConfig.ObjectLock lock, Clock clock) {
        this.s3 = s3;
        this.bucket = bucket;
        this.lock = lock;
        this.clock = clock;
    }

    /** A client for {@code config}, reading the credentials now. */
    public static S3ObjectStore open(ObjectStoreConfig config) throws IOException {
        return open(config.bucket(), config.endpoint(), config.region(), credentials(config.credentials()),
                config.objectLock());
    }

    /** A client for a bucket (the CLI's verify), with the given credentials. */
    public static S3ObjectStore open(String bucket, URI endpoint, String region, AwsCredentialsProvider credentials,
                                     ObjectStoreConfig.ObjectLock lock) {
        var builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30)).build())
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                // the checksums are set explicitly on each upload (MD5 and SHA-256), not left to the SDK's defaults
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return new S3ObjectStore(builder.build(), bucket, lock, Clock.systemUTC());
    }

    static AwsCredentialsProvider credentials(ObjectStoreConfig.Credentials c) throws IOException {
        if (c.fromEnvironment()) {
            return EnvironmentVariableCredentialsProvider.create();
        }
        String id = Files.readString(c.accessKeyIdFile(), StandardCharsets.UTF_8).strip();
        String secret = Files.readString(c.secretAccessKeyFile(), StandardCharsets.UTF_8).strip();
        if (id.isEmpty() || secret.isEmpty()) {
            throw new IOException("evidence.objectStore.credentials: " + (id.isEmpty() ? c.accessKeyIdFile()
                    : c.secretAccessKeyFile()) + " is empty");
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret));
    }

    @Override
    public Optional<Stored> head(String key) throws IOException {
        try {
            HeadObjectResponse r = s3.headObject(b -> b.bucket(bucket).key(key));
            return Optional.of(new Stored(key, r.contentLength(), r.metadata().get(SHA256_META)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("HEAD", key, e);
        } catch (SdkException e) {
            throw failure("HEAD", key, e);
        }
    }

    @Override
    public void put(String key, Path file, String sha256) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (!sha256.equals(hex(digest("SHA-256", bytes)))) {
            throw new IOException(file + " changed while it was being shipped (SHA-256 differs from " + sha256 + ")");
        }
        PutObjectRequest.Builder req = PutObjectRequest.builder().bucket(bucket).key(key)
                .contentLength((long) bytes.length)
                .contentMD5(Base64.getEncoder().encodeToString(digest("MD5", bytes)))
                .checksumSHA256(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256)))
                .metadata(Map.of(SHA256_META, sha256));
        Instant until = null;
        if (lock != null) {
            until = clock.instant().plus(Duration.ofDays(lock.days()));
            req.objectLockMode(ObjectLockMode.fromValue(lock.mode())).objectLockRetainUntilDate(until);
        }
        try {
            s3.putObject(req.build(), RequestBody.fromBytes(bytes));
        } catch (S3Exception e) {
            if (lock != null && (e.statusCode() == 501 || e.statusCode() == 400)) {
                throw new IOException("PUT s3://" + bucket + "/" + key + ": the store refused the object lock "
                        + "headers of evidence.objectStore.objectLock (" + lock.mode() + ", " + lock.days()
                        + " days): " + firstLine(e) + "; use a bucket with S3 Object Lock enabled, or remove "
                        + "objectLock", e);
            }
            throw failure("PUT", key, e);
        } catch (SdkException e) {
            throw failure("PUT", key, e);
        }
        if (lock != null && !lockConfirmed) {
            confirmLock(key);
        }
    }

    /** Reads the retention back once: a store that ignored the object lock headers must not pass for one that keeps them. */
    private void confirmLock(String key) throws IOException {
        GetObjectRetentionResponse r;
        try {
            r = s3.getObjectRetention(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw new IOException("s3://" + bucket + "/" + key + ": evidence.objectStore.objectLock is configured but "
                    + "the store does not report a retention for the uploaded object (" + firstLine(e) + "); "
                    + "it needs a bucket with S3 Object Lock enabled", e);
        }
        if (r.retention() == null || r.retention().mode() == null
                || !lock.mode().equals(r.retention().modeAsString())) {
            throw new IOException("s3://" + bucket + "/" + key + ": evidence.objectStore.objectLock is " + lock.mode()
                    + " but the store kept " + (r.retention() == null ? "no retention" : r.retention().modeAsString()));
        }
        lockConfirmed = true;
    }

    @Override
    public List<Stored> list(String prefix) throws IOException {
        List<Stored> out = new ArrayList<>();
        try {
            ListObjectsV2Iterable pages = s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix));
            for (S3Object o : pages.contents()) {
                out.add(new Stored(o.key(), o.size(), null));
            }
        } catch (SdkException e) {
            throw failure("LIST", prefix, e);
        }
        return out;
    }

    @Override
    public byte[] get(String key) throws IOException {
        try {
            return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        } catch (SdkException e) {
            throw failure("GET", key, e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }

    private IOException failure(String op, String key, SdkException e) {
        return new IOException(op + " s3://" + bucket + "/" + key + ": " + firstLine(e), e);
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    static byte[] digest(String algorithm, byte[] bytes) {
        try {
            return MessageDigest.getInstance(algorithm).digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
