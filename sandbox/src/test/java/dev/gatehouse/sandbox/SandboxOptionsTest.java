package dev.gatehouse.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class SandboxOptionsTest {
    @Test
    void defaultsToASeededLoopbackClusterWithDistinctRandomTokens() {
        SandboxOptions a = SandboxOptions.defaults();
        SandboxOptions b = SandboxOptions.defaults();
        assertThat(a.host()).isEqualTo("127.0.0.1");
        assertThat(a.port()).isZero();
        assertThat(a.seeded()).isTrue();
        assertThat(a.token()).isNotEqualTo(a.adminToken()).isNotEqualTo(b.token()).hasSizeGreaterThan(20);
        assertThat(a.logFollowInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(a.webSocketStreams()).isTrue();
        assertThat(a.portForwards()).isEmpty();
    }

    @Test
    void namesTheSettingInValidationErrors() {
        assertThatThrownBy(() -> SandboxOptions.builder().token(" ").build())
                .hasMessage("sandbox.token: empty (expected: a non-blank bearer token)");
        assertThatThrownBy(() -> SandboxOptions.builder().port(70000).build())
                .hasMessage("sandbox.port: 70000 (expected: 0..65535)");
        assertThatThrownBy(() -> SandboxOptions.builder().token("t").adminToken("t").build())
                .hasMessageStartingWith("sandbox.adminToken: same as sandbox.token");
        assertThatThrownBy(() -> SandboxOptions.builder().logFollowInterval(Duration.ZERO).build())
                .hasMessage("sandbox.logFollowInterval: PT0S (expected: > 0)");
        assertThatThrownBy(() -> SandboxOptions.builder().forwardPort(0, "127.0.0.1", 8080).build())
                .hasMessage("sandbox.portForwards: container port 0 (expected: 1..65535)");
        assertThatThrownBy(() -> SandboxOptions.builder().forwardPort(80, "127.0.0.1", 70000))
                .hasMessage("sandbox.portForwards[80]: 127.0.0.1:70000 (expected: a port 1..65535)");
    }

    @Test
    void keepsStreamingSettings() {
        SandboxOptions options = SandboxOptions.builder().webSocketStreams(false).forwardPort(80, "127.0.0.1", 8081)
                .build();
        assertThat(options.webSocketStreams()).isFalse();
        assertThat(options.portForwards()).containsOnlyKeys(80);
        assertThat(options.portForwards().get(80).getHostString()).isEqualTo("127.0.0.1");
        assertThat(options.portForwards().get(80).getPort()).isEqualTo(8081);
        assertThat(options.toString()).contains("webSocketStreams=false");
    }

    @Test
    void masksTokensWhenPrinted() {
        SandboxOptions options = SandboxOptions.builder().token("secret-one").adminToken("secret-two")
                .denyUser("mallory").build();
        assertThat(options.toString()).doesNotContain("secret-one", "secret-two").contains("deniedUsers=[mallory]");
    }
}
