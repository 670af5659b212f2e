package dev.gatehouse.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterVersionTest {
    private static Optional<ClusterVersion> parse(String json) {
        return ClusterVersion.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"major\":\"1\",\"minor\":\"20\",\"gitVersion\":\"v1.20.2\"}       | 1 | 20 | v1.20.2",
            "{\"major\":\"1\",\"minor\":\"20+\",\"gitVersion\":\"v1.20.4-eks-6b7464\"} | 1 | 20 | v1.20.4-eks-6b7464",
            "{\"major\":\"1+\",\"minor\":\"32\"}                               | 1 | 32 | v1.32",
            "{\"major\":\"1\",\"minor\":\"30\",\"gitVersion\":\"\"}                | 1 | 30 | v1.30",
            "{\"major\":\"1\",\"minor\":\"29\",\"gitVersion\":42}                  | 1 | 29 | v1.29",
    })
    void readsMajorMinorAndGitVersion(String json, int major, int minor, String gitVersion) {
        assertThat(parse(json)).contains(new ClusterVersion(major, minor, gitVersion));
        assertThat(parse(json).orElseThrow().gitVersion()).isEqualTo(gitVersion);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "null", "[]", "\"v1.20\"", "{}", "not json", "{\"major\":\"1\"}", "{\"minor\":\"20\"}",
            "{\"major\":1,\"minor\":20}", "{\"major\":\"1\",\"minor\":\"\"}", "{\"major\":\"1\",\"minor\":\"+\"}",
            "{\"major\":\"1\",\"minor\":\"-1\"}", "{\"major\":\"1\",\"minor\":\"2x\"}",
            "{\"major\":\"1\",\"minor\":\"99999\"}", "{\"major\":\"1\",\"minor\":\"20++\"}",
            "{\"major\":\"1\",\"minor\":\" 20\"}", "{\"major\":\"1\",\"minor\":\"٢٠\"}",
            "{\"major\":\"1\",\"minor\":null}", "{\"major\":\"1\",\"minor\":{\"x\":1}}"})
    void anythingButDigitStringsIsNoVersion(String json) {
        assertThat(parse(json)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1.20.2\"; echo", "v1.20\r\nInjected: yes", "v1.20.2 with spaces",
            "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"})
    void aGitVersionUnfitToQuoteIsReplacedByMajorAndMinor(String gitVersion) {
        assertThat(new ClusterVersion(1, 20, gitVersion).gitVersion()).isEqualTo("v1.20");
    }

    @ParameterizedTest
    @CsvSource({
            "1, 20, exec, false", "1, 20, attach, false", "1, 20, portforward, false",
            "1, 29, exec, false", "1, 30, exec, true", "1, 30, attach, true", "1, 30, portforward, false",
            "1, 31, portforward, true", "1, 32, exec, true", "2, 0, exec, true", "2, 0, portforward, true",
            "0, 99, exec, false", "1, 32, log, false", "1, 32, '', false"})
    void servesWebSocketFromOneThirtyForExecAndOneThirtyOneForPortForward(int major, int minor, String subresource,
                                                                         boolean served) {
        assertThat(new ClusterVersion(major, minor, null).servesWebSocket(subresource)).isEqualTo(served);
    }
}
