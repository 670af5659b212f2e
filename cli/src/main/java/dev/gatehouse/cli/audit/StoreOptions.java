package dev.gatehouse.cli.audit;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import picocli.CommandLine.Option;

import dev.gatehouse.audit.checkpoint.PublicKeys;
import dev.gatehouse.audit.verify.Finding;
import dev.gatehouse.audit.verify.VerificationReport;
import dev.gatehouse.evidence.ObjectStoreConfig;
import dev.gatehouse.evidence.S3ObjectStore;
import dev.gatehouse.evidence.StoreVerifier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * {@code audit verify --store s3://bucket/prefix}: verifies every replica's shipped evidence in object storage
 * ({@link StoreVerifier}). Credentials from {@code --access-key-id-file}/{@code --secret-access-key-file}, else
 * the environment ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}).
 */
final class StoreOptions {
    @Option(names = "--store", paramLabel = "s3://BUCKET/PREFIX",
            description = "Verify the evidence every replica shipped under this object storage prefix instead of a "
                    + "log directory.")
    String store;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "An S3-compatible endpoint (http(s)://host:port, path-style); default: AWS.")
    URI endpoint;

    @Option(names = "--region", defaultValue = "us-east-1", description = "The signing region (default: ${DEFAULT-VALUE}).")
    String region;

    @Option(names = "--access-key-id-file", paramLabel = "FILE", description = "A file holding the access key id.")
    Path accessKeyIdFile;

    @Option(names = "--secret-access-key-file", paramLabel = "FILE", description = "A file holding the secret key.")
    Path secretAccessKeyFile;

    boolean present() {
        return store != null;
    }

    /** Verifies; returns the exit code (0 every replica good, 1 bad evidence). */
    int verify(PublicKeys trusted, PrintWriter out) throws IOException {
        String[] url;
        try {
            url = ObjectStoreConfig.parseUrl(store);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--store: \"" + store + "\" (expected: s3://bucket/prefix)");
        }
        if (endpoint != null && !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
            throw new IllegalArgumentException("--endpoint: \"" + endpoint + "\" (expected: http(s)://host:port)");
        }
        String prefix = url[1].isEmpty() ? "" : url[1] + "/";
        Path scratch = Files.createTempDirectory("gatehouse-verify-");
        List<StoreVerifier.ReplicaReport> reports;
        try (S3ObjectStore s3 = S3ObjectStore.open(url[0], endpoint, region, credentials(), null)) {
            reports = new StoreVerifier(s3, prefix).verify(trusted, scratch);
        } finally {
            deleteTree(scratch);
        }
        boolean allOk = true;
        for (StoreVerifier.ReplicaReport r : reports) {
            allOk &= r.ok();
            print(r, out);
        }
        out.println(allOk ? "OK: " + reports.size() + " replica(s) under " + store + " verify"
                : "FAILED: the evidence under " + store + " does not verify (see above)");
        return allOk ? AuditSubcommand.OK : AuditSubcommand.BAD_EVIDENCE;
    }

    private AwsCredentialsProvider credentials() throws IOException {
        if ((accessKeyIdFile == null) != (secretAccessKeyFile == null)) {
            throw new IllegalArgumentException("--access-key-id-file and --secret-access-key-file go together");
        }
        if (accessKeyIdFile == null) {
            return EnvironmentVariableCredentialsProvider.create();
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(
                Files.readString(accessKeyIdFile).strip(), Files.readString(secretAccessKeyFile).strip()));
    }

    private static void print(StoreVerifier.ReplicaReport r, PrintWriter out) {
        VerificationReport v = r.report();
        out.printf("replica %s: %d events, %d checkpoints verified, signed through %d events, %d recording(s) "
                + "checked%s%n", r.replica(), v.events(), v.checkpoints(), Math.max(v.signedSize(), 0), r.recordings(),
                r.keysFromStore() ? " (keys: the replica's own shipped keys; pass --trusted-keys for the published "
                        + "ones)" : "");
        if (r.ok()) {
            out.println("  OK: positions 0.." + (v.events() - 1) + " continuous, every event signed");
            return;
        }
        for (Finding f : v.findings()) {
            out.println("  " + f);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
