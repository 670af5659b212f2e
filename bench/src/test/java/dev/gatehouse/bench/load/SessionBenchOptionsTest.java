package dev.gatehouse.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class SessionBenchOptionsTest {
    @Test
    void defaultsNeedOnlyTheJar() {
        SessionBenchOptions o = SessionBenchOptions.parse("--gateway-jar", "cli/target/gatehouse.jar");
        assertThat(o.gatewayJar()).isEqualTo(Path.of("cli/target/gatehouse.jar"));
        assertThat(o.gatewayJvm()).containsExactly("-Xms256m", "-Xmx1g");
        assertThat(o.streamGatewayJvm()).containsExactly("-Xmx64m", "-XX:MaxDirectMemorySize=64m");
        assertThat(o.streamMebibytes()).containsExactly(32, 256);
        assertThat(o.idleSessions()).isEqualTo(1000);
        assertThat(o.phases()).containsExactly("stream", "idle", "churn");
        assertThat(o.work()).isNull();
    }

    @Test
    void readsEveryOption() {
        SessionBenchOptions o = SessionBenchOptions.parse("--gateway-jar", "g.jar", "--work", "/tmp/w",
                "--results", "out", "--gateway-jvm", " -Xms64m  -Xmx512m ", "--stream-gateway-jvm", "-Xmx32m", "--stream-mib", "8, 64", "--rounds", "3",
                "--window", "65536", "--idle-sessions", "10", "--open-concurrency", "4", "--churn-seconds", "5",
                "--churn-warmup", "0", "--churn-concurrency", "2", "--phases", "idle,churn");
        assertThat(o.gatewayJvm()).containsExactly("-Xms64m", "-Xmx512m");
        assertThat(o.streamGatewayJvm()).containsExactly("-Xmx32m");
        assertThat(o.streamMebibytes()).containsExactly(8, 64);
        assertThat(List.of(o.rounds(), o.window(), o.idleSessions(), o.openConcurrency(), o.churnSeconds(),
                o.churnWarmup(), o.churnConcurrency())).containsExactly(3, 65536, 10, 4, 5, 0, 2);
        assertThat(o.phases()).containsExactly("idle", "churn");
        assertThat(o.work()).isEqualTo(Path.of("/tmp/w"));
        assertThat(o.results()).isEqualTo(Path.of("out"));
    }

    @Test
    void refusesWhatItCannotUse() {
        assertThatThrownBy(() -> SessionBenchOptions.parse()).hasMessageContaining("--gateway-jar is required");
        assertThatThrownBy(() -> SessionBenchOptions.parse("--gateway-jar", "g", "--rounds", "0"))
                .hasMessageContaining("--rounds: 0");
        assertThatThrownBy(() -> SessionBenchOptions.parse("--gateway-jar", "g", "--phases", "stream,nope"))
                .hasMessageContaining("\"nope\"");
        assertThatThrownBy(() -> SessionBenchOptions.parse("--gateway-jar", "g", "--idle-sessions", "many"))
                .hasMessageContaining("expected: a number");
        assertThatThrownBy(() -> SessionBenchOptions.parse("--gateway-jar")).hasMessageContaining("needs a value");
    }
}
