package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
    @ParameterizedTest
    @CsvSource({"2h, PT2H, 2h", "90m, PT1H30M, 1h30m", "1h30m, PT1H30M, 1h30m", "45s, PT45S, 45s",
            "PT15M, PT15M, 15m", "1h0m5s, PT1H5S, 1h5s", "2d, PT48H, 48h", "1500ms, PT1.5S, 1s"})
    void readsTheShortAndIsoFormsAndWritesTheShortOne(String text, String iso, String written) {
        Duration duration = Durations.parse("duration", text);
        assertThat(duration).isEqualTo(Duration.parse(iso));
        assertThat(Durations.format(duration)).isEqualTo(written);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0s", "-1h", "2w", "h", "2 h", "PT-1H", "P", "1h1h", "30m1h", "5", "99999999999999999999s"})
    void refusesWhatIsNotAPositiveDurationNamingTheField(String text) {
        assertThatThrownBy(() -> Durations.parse("duration", text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("duration: ").hasMessageContaining("expected: a positive duration");
    }

    @org.junit.jupiter.api.Test
    void writesZeroAsZeroSeconds() {
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(Durations.format(null)).isNull();
    }
}
