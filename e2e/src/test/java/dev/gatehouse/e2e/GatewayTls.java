package dev.gatehouse.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;

import dev.gatehouse.listen.CertificateAuthority;
import dev.gatehouse.listen.PemTrust;

/** The TLS of a gateway under test: a CA of its own, made fresh for the test, and an HTTPS client trusting only it. */
public final class GatewayTls {
    private GatewayTls() {
    }

    /**
     * A fresh CA named {@code caName} and a server certificate from it for 127.0.0.1 and localhost, valid for a
     * day, written with the key to {@code <dir>/tls}.
     */
    public static CertificateAuthority.WrittenFiles create(Path dir, String caName) {
        return CertificateAuthority.create(caName, Duration.ofDays(1))
                .issueServer("gateway", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1))
                .written(dir.resolve("tls"), "gateway");
    }

    /** An HTTPS client that trusts exactly the CA in {@code caFile} (never skipping verification). */
    public static HttpClient httpsClient(Path caFile) {
        try {
            return HttpClient.newBuilder().sslContext(PemTrust.sslContext(caFile)).connectTimeout(Duration.ofSeconds(5))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust " + caFile, e);
        }
    }
}
