package dev.gatehouse.review.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryPolicyTest {
    private static final RetryPolicy POLICY = new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(5), 10,
            Duration.ofHours(1));
    private static final Instant NOW = Instant.parse("2026-12-07T18:00:00Z");

    @ParameterizedTest
    @CsvSource({"1, 500, 1000", "2, 1000, 2000", "3, 2000, 4000", "9, 128000, 256000", "10, 150000, 300000", "30, 150000, 300000"})
    void backoffDoublesWithJitterInTheUpperHalfUpToTheCap(int attempt, long min, long max) {
        RandomGenerator random = new SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            assertThat(POLICY.delay(attempt, null, random).toMillis()).isBetween(min, max);
        }
    }

    @Test
    void jitterSpreadsTheDelays() {
        RandomGenerator random = new SplittableRandom(7);
        long distinct = java.util.stream.IntStream.range(0, 50)
                .mapToObj(i -> POLICY.delay(5, null, random)).distinct().count();
        assertThat(distinct).isGreaterThan(10);
    }

    @Test
    void retryAfterLongerThanTheBackoffWinsButNotBeyondTheCap() {
        RandomGenerator random = new SplittableRandom(7);
        assertThat(POLICY.delay(1, Duration.ofSeconds(30), random)).isEqualTo(Duration.ofSeconds(30));
        assertThat(POLICY.delay(1, Duration.ofDays(1), random)).isEqualTo(Duration.ofMinutes(5));
        assertThat(POLICY.delay(3, Duration.ZERO, random).toMillis()).isBetween(2000L, 4000L);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"120; PT2M", "0; PT0S", "Mon, 07 Dec 2026 18:00:30 GMT; PT30S",
            "Mon, 07 Dec 2026 17:00:00 GMT; PT0S"})
    void readsRetryAfterSecondsAndDates(String header, String expected) {
        assertThat(RetryPolicy.parseRetryAfter(header, NOW)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"-1", "1.5", "soon", "99999999999999", "''"})
    void ignoresUnreadableRetryAfter(String header) {
        assertThat(RetryPolicy.parseRetryAfter(header, NOW)).isNull();
    }

    @Test
    void givesUpAfterTheAttemptsOrTheAge() {
        assertThat(POLICY.exhausted(9, Duration.ofMinutes(59))).isFalse();
        assertThat(POLICY.exhausted(10, Duration.ZERO)).isTrue();
        assertThat(POLICY.exhausted(1, Duration.ofHours(1))).isTrue();
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new RetryPolicy(Duration.ZERO, Duration.ofSeconds(1), 1, Duration.ofHours(1)))
                .hasMessage("retry.initialDelay: PT0S (expected: > 0)");
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), 1, Duration.ofHours(1)))
                .hasMessage("retry.maxDelay: PT1S (expected: >= initialDelay PT2S)");
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Duration.ofHours(1)))
                .hasMessage("retry.maxAttempts: 0 (expected: >= 1)");
    }
}
