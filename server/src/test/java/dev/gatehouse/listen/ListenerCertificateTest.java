package dev.gatehouse.listen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.config.ConfigException;

class ListenerCertificateTest {
    @TempDir
    Path dir;

    Path certificate(String... dnsNames) {
        return CertificateAuthority.create("ca", Duration.ofDays(1))
                .issueServer("gateway", List.of(dnsNames), List.of("127.0.0.1"), Duration.ofDays(1))
                .written(dir, "gw").certificate();
    }

    @Test
    void acceptsHostNamesTheCertificateNamesOrCoversWithAOneLabelWildcard() {
        Path cert = certificate("localhost", "*.gw.example.com", "Prod.Example.com");
        ListenerCertificate.checkCovers(cert, Map.of("prod", List.of("prod.example.com", "prod.gw.example.com"),
                "dev", List.of("dev.gw.example.com"), "plain", List.of()));
    }

    @Test
    void refusesToStartWithAHostNameTheCertificateDoesNotCover() {
        Path cert = certificate("localhost", "*.gw.example.com");
        for (String uncovered : List.of("a.b.gw.example.com", "gw.example.com", "prod.example.com", "localhost.test")) {
            assertThatThrownBy(() -> ListenerCertificate.checkCovers(cert, Map.of("prod", List.of(uncovered))))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("clusters[].hostNames: \"" + uncovered + "\" of cluster prod")
                    .hasMessageContaining("listen.certFile");
        }
    }

    @Test
    void wildcardsCoverExactlyOneLeftmostLabel() {
        assertThat(ListenerCertificate.covers("*.gw.test", "a.gw.test")).isTrue();
        assertThat(ListenerCertificate.covers("*.gw.test", "A.GW.test")).isTrue();
        assertThat(ListenerCertificate.covers("*.gw.test", "gw.test")).isFalse();
        assertThat(ListenerCertificate.covers("*.gw.test", "a.b.gw.test")).isFalse();
        assertThat(ListenerCertificate.covers("*.gw.test", ".gw.test")).isFalse();
        assertThat(ListenerCertificate.covers("a*.gw.test", "ab.gw.test")).isFalse();
        assertThat(ListenerCertificate.covers("*.*.test", "a.b.test")).isFalse();
    }

    @Test
    void aCertificateWithoutHostNamesIsNotReadWhenNoClusterHasOne() {
        ListenerCertificate.checkCovers(dir.resolve("missing.crt"), Map.of("prod", List.of()));
        assertThatThrownBy(() -> ListenerCertificate.checkCovers(dir.resolve("missing.crt"),
                Map.of("prod", List.of("prod.example.com")))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("listen.certFile");
    }
}
