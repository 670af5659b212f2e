package dev.gatehouse.listen;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Trust for the JDK's TLS clients (exporters, the CLI, tests): exactly the CA certificates of a PEM file, never
 * "trust all". Callers turn the exceptions into messages that name their own setting.
 */
public final class PemTrust {
    private PemTrust() {
    }

    /** The X.509 certificates in {@code pem}, in file order; empty when it holds none. */
    public static List<Certificate> certificates(Path pem) throws IOException, CertificateException {
        try (InputStream in = Files.newInputStream(pem)) {
            return List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
    }

    /** A TLS context that trusts exactly {@code cas} (nothing at all when it is empty). */
    public static SSLContext sslContext(Collection<? extends Certificate> cas) throws GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            trust.load(null, null);
        } catch (IOException e) {
            throw new KeyStoreException(e);
        }
        int i = 0;
        for (Certificate ca : cas) {
            trust.setCertificateEntry("ca-" + i++, ca);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    /** A TLS context that trusts exactly the certificates in {@code caPem}. */
    public static SSLContext sslContext(Path caPem) throws IOException, GeneralSecurityException {
        return sslContext(certificates(caPem));
    }
}
