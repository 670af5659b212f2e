package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoopbackHostsTest {
    @ParameterizedTest
    @CsvSource({"localhost, true", "LOCALHOST, true", "127.0.0.1, true", "127.255.0.9, true", "[::1], true",
            "127.evil.example, false", "127.0.0.1.nip.io, false", "localhost.example, false", "127.0.0.256, false",
            "0x7f000001, false", "2130706433, false", "10.0.0.1, false", "'', false"})
    void onlyLiteralLoopbackHostsCount(String host, boolean loopback) {
        assertThat(LoopbackHosts.isLoopback(host)).isEqualTo(loopback);
    }

    @ParameterizedTest
    @CsvSource({"https://siem.example/x, true", "http://127.0.0.1:8080/x, true", "http://localhost/x, true",
            "http://127.evil.example/x, false", "http://siem.example/x, false", "ftp://127.0.0.1/x, false",
            "'not a url', false"})
    void httpIsToleratedOnlyOnLoopback(String url, boolean ok) {
        assertThat(LoopbackHosts.httpsOrLoopback(url)).isEqualTo(ok);
    }
}
