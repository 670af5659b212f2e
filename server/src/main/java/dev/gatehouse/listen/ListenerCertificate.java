package dev.gatehouse.listen;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.gatehouse.config.ConfigException;

/**
 * Checks at start that the listener's certificate covers every cluster host name: a host name the certificate does
 * not name would route requests that no verifying client can send, so the gateway does not start with one. A name
 * is covered by an equal DNS subject alternative name or by a wildcard {@code *.<rest>} for exactly one label
 * (RFC 6125 §6.4.3), compared without case.
 */
public final class ListenerCertificate {
    private ListenerCertificate() {
    }

    /**
     * @param certFile       the listener's PEM certificate chain (its first certificate is the server's)
     * @param hostsByCluster each cluster's host names
     * @throws ConfigException naming the first host name the certificate does not cover
     */
    public static void checkCovers(Path certFile, Map<String, List<String>> hostsByCluster) {
        if (hostsByCluster.values().stream().allMatch(List::isEmpty)) {
            return;
        }
        List<String> names = dnsNames(certFile);
        hostsByCluster.forEach((cluster, hosts) -> {
            for (String host : hosts) {
                if (names.stream().noneMatch(n -> covers(n, host))) {
                    throw new ConfigException("clusters[].hostNames: \"" + host + "\" of cluster " + cluster
                            + " is not covered by listen.certFile " + certFile + " (its DNS names: " + names
                            + "; expected: the name or a *.<domain> wildcard for it)");
                }
            }
        });
    }

    /** True when the certificate's DNS name {@code san} covers {@code host}. */
    static boolean covers(String san, String host) {
        String name = san.toLowerCase(Locale.ROOT);
        String h = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("*.")) {
            int dot = h.indexOf('.');
            return dot > 0 && h.substring(dot + 1).equals(name.substring(2)) && name.indexOf('*', 1) < 0;
        }
        return name.equals(h);
    }

    /** The DNS subject alternative names of the first certificate in {@code certFile}. */
    static List<String> dnsNames(Path certFile) {
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(certFile)) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | CertificateException e) {
            throw new ConfigException("listen.certFile: " + certFile + " cannot be read as a PEM certificate ("
                    + e.getMessage() + ")");
        }
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (Integer.valueOf(2).equals(san.get(0))) { // dNSName
                        names.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new ConfigException("listen.certFile: " + certFile + " has unreadable subject alternative names");
        }
        return names;
    }
}
