package dev.gatehouse.sandbox.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgeTest {
    @ParameterizedTest
    @CsvSource({"0, 0s", "59, 59s", "119, 119s", "120, 2m", "185, 3m5s", "600, 10m", "10799, 179m", "10800, 3h",
            "12600, 3h30m", "28800, 8h", "172799, 47h", "172800, 2d", "270000, 3d3h", "691200, 8d",
            "63072000, 2y", "66528000, 2y40d", "252288000, 8y"})
    void printsDurationsLikeKubectl(long seconds, String expected) {
        assertThat(Age.human(Duration.ofSeconds(seconds))).isEqualTo(expected);
    }
}
