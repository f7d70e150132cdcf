package org.lprgateway.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CameraIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"CAM001", "c", "cam-01.north_gate", "1", "A.b-C_d"})
    void accepts_ids_of_letters_digits_dot_dash_underscore(String id) {
        assertThat(CameraIds.valid(id)).isTrue();
        assertThat(CameraIds.check(id, "camera_id")).isEqualTo(id);
    }

    @Test
    void accepts_64_characters_and_refuses_65() {
        assertThat(CameraIds.valid("C".repeat(64))).isTrue();
        assertThat(CameraIds.valid("C".repeat(65))).isFalse();
        assertThat(CameraIds.valid("C".repeat(5000))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "..", "CAM..1", ".hidden", "-x", "_x", "a/b", "a+b", "a#b", "CAM 1",
            "<script>alert(1)</script>", "CAM\u202E100", "CAM\n1", "CAM\u00001", "ＣＡＭ１", "caméra"})
    void refuses_traversal_markup_separators_wildcards_controls_and_non_ascii(String id) {
        assertThat(CameraIds.valid(id)).isFalse();
    }

    @Test
    void refuses_null_and_non_text_naming_the_field_without_repeating_the_value() {
        assertThat(CameraIds.valid(null)).isFalse();
        assertThatExceptionOfType(InvalidRecordException.class)
                .isThrownBy(() -> CameraIds.check(42, "camera_id"))
                .satisfies(e -> assertThat(e.getField()).isEqualTo("camera_id"));
        String hostile = "<b>" + "x".repeat(5000);
        assertThatExceptionOfType(InvalidRecordException.class)
                .isThrownBy(() -> CameraIds.check(hostile, "topic"))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("<b>").hasSizeLessThan(200));
    }
}
