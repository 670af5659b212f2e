package dev.gatehouse.sandbox.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueryFlagsTest {
    /** apimachinery's Convert_Slice_string_To_bool: only 0 and false (any case) are false. */
    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(nullValues = "<absent>", value = {
            "<absent>, false", "0, false", "false, false", "FALSE, false", "False, false", "fAlSe, false",
            "1, true", "true, true", "t, true", "yes, true", "no, true", "f, true", "'', true", "00, true"})
    void readsBooleansAsTheApiserverDoes(String value, boolean expected) {
        assertThat(QueryFlags.isTrue(value)).isEqualTo(expected);
    }
}
