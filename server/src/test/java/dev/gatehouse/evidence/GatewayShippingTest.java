package dev.gatehouse.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.listen.CertificateAuthority;

/**
 * The real gateway configured from YAML with {@code evidence.objectStore} against s3proxy: with the store down,
 * {@code /healthz} says shipping is behind (503) while {@code /readyz} stays ready; once the store is up the
 * gateway ships (its public key first) and {@code /healthz} is ok; after a gateway restart the shipper continues
 * with the same replica name.
 */
@Timeout(180)
class GatewayShippingTest {
    @TempDir
    Path tmp;

    @Test
    void healthzReportsShippingBehindUntilTheStoreIsBackAndARestartContinues() throws Exception {
        CertificateAuthority.WrittenFiles tls = CertificateAuthority.create("gateway-ca", Duration.ofDays(1))
                .issueServer("gateway", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1))
                .written(tmp.resolve("tls"), "gateway");
        Files.writeString(tmp.resolve("tokens.csv"), "token-0123456789abcdef,alice,uid-alice,\"developers\"\n");
        Files.writeString(tmp.resolve("upstream-token"), "upstream-0123456789");
        try (S3ProxyServer server = S3ProxyServer.start(tmp.resolve("s3"), EvidenceFixture.BUCKET)) {
            server.credentialFiles(tmp.resolve("creds"));
            Path config = Files.writeString(tmp.resolve("gatehouse.yaml"), """
                    listen: {address: 127.0.0.1, port: 0, certFile: %s, keyFile: %s}
                    dataDir: data
                    authentication: {staticTokenFile: tokens.csv}
                    clusters:
                      - name: fake
                        server: https://127.0.0.1:1
                        caFile: %s
                        tokenFile: upstream-token
                    evidence:
                      objectStore:
                        url: s3://evidence/gatehouse/prod
                        endpoint: %s
                        region: us-east-1
                        credentials: {accessKeyIdFile: creds/access-key-id, secretAccessKeyFile: creds/secret-access-key}
                        interval: 200ms
                        alertAfter: 1ms
                    """.formatted(tls.certificate(), tls.privateKey(), tls.ca(), server.endpoint()));
            HttpClient http = HttpClient.newBuilder().sslContext(trusting(tls.ca())).build();
            server.stop();
            String replica;
            try (Gatehouse gateway = Gatehouse.start(ConfigLoader.load(config))) {
                waitFor(() -> get(http, gateway, "/healthz").statusCode() == 503, "healthz 503");
                HttpResponse<String> behind = get(http, gateway, "/healthz");
                assertThat(behind.body()).startsWith("evidence shipping to s3://evidence/gatehouse/prod is behind: ");
                assertThat(get(http, gateway, "/readyz").statusCode()).isEqualTo(200);

                server.start();
                waitFor(() -> get(http, gateway, "/healthz").statusCode() == 200, "healthz ok once shipped");
                replica = Files.readString(tmp.resolve("data/evidence/replica")).strip();
            }
            try (S3ObjectStore store = S3ObjectStore.open(EvidenceFixture.config(server, tmp, null, null))) {
                assertThat(store.list("gatehouse/prod/" + replica + "/keys/")).hasSize(1);
            }
            try (Gatehouse restarted = Gatehouse.start(ConfigLoader.load(config))) {
                waitFor(() -> get(http, restarted, "/healthz").statusCode() == 200, "healthz ok after restart");
                assertThat(Files.readString(tmp.resolve("data/evidence/replica")).strip()).isEqualTo(replica);
            }
        }
    }

    private static HttpResponse<String> get(HttpClient http, Gatehouse gateway, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + gateway.port() + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static SSLContext trusting(Path ca) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (var in = Files.newInputStream(ca)) {
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }
}
