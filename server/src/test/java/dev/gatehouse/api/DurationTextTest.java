package dev.gatehouse.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {
    @ParameterizedTest
    @CsvSource({"2h, PT2H, 2h", "90m, PT1H30M, 1h30m", "1h30m, PT1H30M, 1h30m", "45s, PT45S, 45s",
            "PT15M, PT15M, 15m", "1h0m5s, PT1H5S, 1h5s"})
    void readsTheShortAndIsoFormsAndWritesTheShortOne(String text, String iso, String written) {
        Duration duration = DurationText.parse("duration", text);
        assertThat(duration).isEqualTo(Duration.parse(iso));
        assertThat(DurationText.format(duration)).isEqualTo(written);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0s", "-1h", "2d", "h", "2 h", "PT-1H", "P", "1h1h", "99999999999999999999s"})
    void refusesWhatIsNotAPositiveDurationNamingTheField(String text) {
        assertThatThrownBy(() -> DurationText.parse("duration", text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("duration: ").hasMessageContaining("expected: a positive duration");
    }

    @org.junit.jupiter.api.Test
    void writesZeroAsZeroSeconds() {
        assertThat(DurationText.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(DurationText.format(null)).isNull();
    }
}
