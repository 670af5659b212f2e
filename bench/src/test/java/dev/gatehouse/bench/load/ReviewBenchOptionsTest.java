package dev.gatehouse.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ReviewBenchOptionsTest {
    @Test
    void defaultsNeedOnlyTheJar() {
        ReviewBenchOptions o = ReviewBenchOptions.parse("--gateway-jar", "cli/target/gatehouse.jar");
        assertThat(o.gatewayJar()).isEqualTo(Path.of("cli/target/gatehouse.jar"));
        assertThat(o.gatewayJvm()).containsExactly("-Xms256m", "-Xmx1g");
        assertThat(List.of(o.rounds(), o.warmupRounds(), o.held(), o.connections(), o.concurrency(), o.cpuSeconds(),
                o.cpuWarmup(), o.cpuPairs())).containsExactly(200, 30, 10_000, 100, 16, 6, 8, 4);
        assertThat(o.phases()).containsExactly("latency", "held", "cpu");
        assertThat(o.work()).isNull();
        assertThat(o.results()).isEqualTo(Path.of("bench/results"));
    }

    @Test
    void readsEveryOption() {
        ReviewBenchOptions o = ReviewBenchOptions.parse("--gateway-jar", "g.jar", "--work", "/tmp/w",
                "--results", "out", "--gateway-jvm", " -Xms64m  -Xmx512m ", "--rounds", "50", "--warmup-rounds", "0",
                "--held", "2000", "--connections", "20", "--concurrency", "8", "--cpu-seconds", "4",
                "--cpu-warmup", "0", "--cpu-pairs", "2", "--phases", "cpu,latency");
        assertThat(o.gatewayJvm()).containsExactly("-Xms64m", "-Xmx512m");
        assertThat(List.of(o.rounds(), o.warmupRounds(), o.held(), o.connections(), o.concurrency(), o.cpuSeconds(),
                o.cpuWarmup(), o.cpuPairs())).containsExactly(50, 0, 2000, 20, 8, 4, 0, 2);
        assertThat(o.phases()).containsExactly("cpu", "latency");
        assertThat(o.work()).isEqualTo(Path.of("/tmp/w"));
        assertThat(o.results()).isEqualTo(Path.of("out"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--rounds|0|--rounds: 0 (expected: a positive number)",
            "--held|-3|--held: -3 (expected: a number >= 0)",
            "--held|many|--held: \"many\" (expected: a number)",
            "--held|10001|--held: 10001 (expected: at most --connections × 100 = 10000",
            "--phases|latency,nope|--phases: \"nope\" (expected: latency, held, cpu)",
            "--bogus|1|unknown option --bogus"})
    void refusesWhatItCannotUse(String option, String value, String message) {
        assertThatThrownBy(() -> ReviewBenchOptions.parse("--gateway-jar", "g", option, value))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void needsTheJarAndAValueForEachOption() {
        assertThatThrownBy(ReviewBenchOptions::parse).hasMessageContaining("--gateway-jar is required");
        assertThatThrownBy(() -> ReviewBenchOptions.parse("--gateway-jar")).hasMessageContaining("needs a value");
    }
}
