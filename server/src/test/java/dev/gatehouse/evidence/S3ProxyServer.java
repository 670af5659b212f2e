package dev.gatehouse.evidence;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * A real S3 API server for tests: s3proxy (org.gaul:s3proxy) in this JVM on a loopback port, its filesystem
 * backend in a directory, AWS signature v4 with fixed test credentials. {@link #stop()} and {@link #start()} take
 * it down and bring it back on the same port with the same contents (the store "unreachable" meanwhile).
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String ACCESS_KEY = "gatehouse-test";
    public static final String SECRET_KEY = "gatehouse-test-secret";

    private final Path root;
    private final int port;
    private S3Proxy proxy;

    private S3ProxyServer(Path root, int port) {
        this.root = root;
        this.port = port;
    }

    /** Starts a server over {@code root}, with {@code buckets} created. */
    public static S3ProxyServer start(Path root, String... buckets) throws Exception {
        for (String bucket : buckets) {
            Files.createDirectories(root.resolve(bucket));
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        S3ProxyServer server = new S3ProxyServer(root, port);
        server.start();
        return server;
    }

    public void start() throws Exception {
        proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(root.toString()))
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .stopTimeout(2000)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IOException("s3proxy did not start within 20 s: " + proxy.getState());
            }
            Thread.sleep(20);
        }
    }

    public void stop() throws Exception {
        proxy.stop();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public Path root() {
        return root;
    }

    /** Credentials as files, as a Kubernetes Secret would mount them. */
    public ObjectStoreConfig.Credentials credentialFiles(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path id = Files.writeString(dir.resolve("access-key-id"), ACCESS_KEY + "\n");
        Path secret = Files.writeString(dir.resolve("secret-access-key"), SECRET_KEY + "\n");
        return new ObjectStoreConfig.Credentials(id, secret, false);
    }

    @Override
    public void close() throws Exception {
        if (proxy != null) {
            try {
                proxy.stop();
            } catch (java.util.concurrent.TimeoutException e) {
                // Jetty's graceful stop waited for the SDK's kept-alive connections; the connectors are closed and
                // the server is stopped all the same
            }
        }
    }
}
