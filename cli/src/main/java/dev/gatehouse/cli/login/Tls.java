package dev.gatehouse.cli.login;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLContext;

import dev.gatehouse.listen.PemTrust;

/** HTTP clients that trust exactly a given CA file, or the system's roots when none is given. Never "insecure". */
final class Tls {
    private Tls() {
    }

    static HttpClient client(Path caFile) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER);
        if (caFile != null) {
            builder.sslContext(context(caFile));
        }
        return builder.build();
    }

    private static SSLContext context(Path caFile) {
        try {
            List<Certificate> cas = PemTrust.certificates(caFile);
            if (cas.isEmpty()) {
                throw new LoginException(caFile + ": no certificate in the file");
            }
            return PemTrust.sslContext(cas);
        } catch (IOException | GeneralSecurityException e) {
            throw new LoginException("cannot read the CA file " + caFile + ": " + e.getMessage());
        }
    }
}
