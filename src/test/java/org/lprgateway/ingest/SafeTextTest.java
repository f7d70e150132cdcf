package org.lprgateway.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SafeTextTest {

    @Test
    void accepts_thai_plates_spaces_and_punctuation() {
        assertThat(SafeText.check("กข 1234 กรุงเทพมหานคร", "f", false)).isEqualTo("กข 1234 กรุงเทพมหานคร");
        assertThat(SafeText.firstRefused("AB-12.3 <x> \"q\" 'r'", false)).isEqualTo(-1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"A\nB", "A\rB", "A\tB", "A\u0000B", "A\u001B[31mB", "A\u007FB", "A\u0085B",
            "A\u202EB", "A\u202AB", "A\u2066B", "A\u2069B", "A\u200FB", "A\u061CB", "A\u2028B", "A\u2029B"})
    void refuses_control_line_separator_and_bidirectional_characters_in_single_line_text(String text) {
        assertThatExceptionOfType(InvalidRecordException.class)
                .isThrownBy(() -> SafeText.check(text, "data.license_plate", false))
                .satisfies(e -> assertThat(e.getField()).isEqualTo("data.license_plate"))
                .withMessageContaining("U+");
    }

    @Test
    void free_text_may_hold_tabs_and_line_breaks_but_no_other_controls() {
        assertThat(SafeText.check("line one\r\nline\ttwo", "data.message", true)).isEqualTo("line one\r\nline\ttwo");
        assertThatExceptionOfType(InvalidRecordException.class)
                .isThrownBy(() -> SafeText.check("ok\u001B]0;title\u0007", "data.message", true))
                .withMessageContaining("U+001B");
        assertThatExceptionOfType(InvalidRecordException.class)
                .isThrownBy(() -> SafeText.check("ok\u202Ekoob", "data.message", true));
    }

    @Test
    void null_is_left_to_the_required_check() {
        assertThat(SafeText.check(null, "f", false)).isNull();
    }
}
