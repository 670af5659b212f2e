package dev.gatehouse.listen;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small certificate authority (ECDSA P-256, via Bouncy Castle) that issues TLS server and client
 * certificates for the demo, the sandbox cluster and the tests. Production deployments bring their own
 * certificates; this exists so that {@code gatehouse demo} and every test run over real TLS with a CA
 * that kubectl pins, never with {@code insecure-skip-tls-verify}.
 */
public final class CertificateAuthority {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPair keyPair;
    private final X509Certificate certificate;

    private CertificateAuthority(KeyPair keyPair, X509Certificate certificate) {
        this.keyPair = keyPair;
        this.certificate = certificate;
    }

    /** Creates a new self-signed CA valid for {@code validity}. */
    public static CertificateAuthority create(String commonName, Duration validity) {
        Objects.requireNonNull(commonName, "commonName");
        KeyPair keys = newKeyPair();
        try {
            X500Name subject = new X500Name("CN=" + commonName);
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minusSeconds(300)), Date.from(now.plus(validity)), subject, keys.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            return new CertificateAuthority(keys, convert(builder.build(signer(keys))));
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create CA '" + commonName + "'", e);
        }
    }

    /** Issues a server certificate for the given DNS names and IP addresses (e.g. "localhost", "127.0.0.1"). */
    public Issued issueServer(String commonName, List<String> dnsNames, List<String> ipAddresses, Duration validity) {
        List<GeneralName> names = new ArrayList<>();
        dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
        ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        return issue(commonName, names, KeyPurposeId.id_kp_serverAuth, validity);
    }

    /** Issues a client certificate; Kubernetes reads the CN as user name and each O as a group. */
    public Issued issueClient(String commonName, Duration validity) {
        return issue(commonName, List.of(), KeyPurposeId.id_kp_clientAuth, validity);
    }

    private Issued issue(String commonName, List<GeneralName> sans, KeyPurposeId purpose, Duration validity) {
        KeyPair keys = newKeyPair();
        try {
            Instant now = Instant.now();
            X500Name issuer = new X500Name(certificate.getSubjectX500Principal().getName());
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, serial(),
                    Date.from(now.minusSeconds(300)), Date.from(now.plus(validity)),
                    new X500Name("CN=" + commonName), keys.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    ext.createAuthorityKeyIdentifier(certificate));
            if (!sans.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(sans.toArray(GeneralName[]::new)));
            }
            return new Issued(convert(builder.build(signer(keyPair))), keys, certificate);
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot issue certificate for '" + commonName + "'", e);
        }
    }

    /** The CA certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The CA certificate as PEM. */
    public String certificatePem() {
        return pem(certificate);
    }

    /** A certificate and its private key, with the issuing CA. */
    public record Issued(X509Certificate certificate, KeyPair keyPair, X509Certificate ca) {
        public String certificatePem() {
            return pem(certificate);
        }

        /** The private key as PKCS#8 PEM ({@code BEGIN PRIVATE KEY}), which every TLS stack here reads. */
        public String privateKeyPem() {
            try {
                return pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(keyPair.getPrivate(), null));
            } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
                throw new IllegalStateException(e);
            }
        }

        public String caPem() {
            return pem(ca);
        }

        /** Writes {@code <name>.crt}, {@code <name>.key} (mode 600 where supported) and {@code ca.crt}. */
        public WrittenFiles written(Path dir, String name) {
            try {
                java.nio.file.Files.createDirectories(dir);
                Path crt = dir.resolve(name + ".crt");
                Path key = dir.resolve(name + ".key");
                Path ca = dir.resolve("ca.crt");
                java.nio.file.Files.writeString(crt, certificatePem());
                writePrivate(key, privateKeyPem());
                java.nio.file.Files.writeString(ca, caPem());
                return new WrittenFiles(crt, key, ca);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write TLS material to " + dir, e);
            }
        }
    }

    /** Paths of written TLS material. */
    public record WrittenFiles(Path certificate, Path privateKey, Path ca) {
    }

    static void writePrivate(Path path, String content) throws IOException {
        java.nio.file.Files.deleteIfExists(path);
        java.nio.file.Files.createFile(path);
        try {
            java.nio.file.Files.setPosixFilePermissions(path,
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // non-POSIX file system: best effort
        }
        java.nio.file.Files.writeString(path, content);
    }

    private static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is not available", e);
        }
    }

    private static ContentSigner signer(KeyPair keys) throws OperatorCreationException {
        return new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
    }

    private static X509Certificate convert(org.bouncycastle.cert.X509CertificateHolder holder)
            throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM);
    }
}
