package org.lprgateway.ingest;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DuplicateRecordsTest {

    private final DuplicateRecords duplicates = new DuplicateRecords();

    private static Map<String, Object> stored() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 17L);
        row.put("message_id", "0b7e3a52-6c1f-4d2e-9a8b-3c4d5e6f7a8b");
        row.put("license_plate", "AB 1234");
        row.put("confidence", 95.5);
        row.put("checkpoint_id", "CP001");
        row.put("timestamp", "2025-03-01T08:15:30");
        row.put("hostname", "aicamera");
        row.put("image_path", "previews/CP001/2025-03-01/x.jpg");
        row.put("preview_sha256", "a".repeat(64));
        row.put("image_sha256", "b".repeat(64));
        return row;
    }

    private static Map<String, Object> incoming() {
        Map<String, Object> rec = new LinkedHashMap<>(stored());
        rec.remove("id");
        rec.put("table", RecordValidator.DETECTION);
        return rec;
    }

    @Test
    void the_same_record_again_is_answered_with_the_stored_id() {
        assertThat(duplicates.check(stored(), incoming())).isEqualTo(17L);
    }

    @Test
    void the_same_record_without_its_preview_or_with_a_fraction_rounded_confidence_is_the_same() {
        Map<String, Object> overMqtt = incoming();
        overMqtt.put("preview_sha256", null);
        overMqtt.put("image_path", null);
        overMqtt.put("confidence", 0.955 * 100.0);
        assertThat(duplicates.check(stored(), overMqtt)).isEqualTo(17L);
    }

    @Test
    void another_preview_under_the_same_message_id_is_a_conflict() {
        Map<String, Object> rec = incoming();
        rec.put("preview_sha256", "c".repeat(64));
        assertThatExceptionOfType(ConflictingDuplicateException.class)
                .isThrownBy(() -> duplicates.check(stored(), rec))
                .satisfies(e -> assertThat(e.getField()).isEqualTo("preview_sha256"));
    }

    @Test
    void another_plate_time_confidence_or_original_image_is_a_conflict() {
        Map<String, Object> plate = incoming();
        plate.put("license_plate", "ZZ 9999");
        Map<String, Object> time = incoming();
        time.put("timestamp", "2025-03-01T08:15:31");
        Map<String, Object> confidence = incoming();
        confidence.put("confidence", 42.0);
        Map<String, Object> original = incoming();
        original.put("image_sha256", "d".repeat(64));

        for (Map<String, Object> rec : java.util.List.of(plate, time, confidence, original)) {
            assertThatExceptionOfType(ConflictingDuplicateException.class)
                    .as("%s", rec).isThrownBy(() -> duplicates.check(stored(), rec));
        }
    }

    @Test
    void a_health_record_conflicts_on_its_component_or_status() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 3);
        row.put("checkpoint_id", "CP001");
        row.put("hostname", "aicamera");
        row.put("timestamp", "2025-03-01T08:15:30");
        row.put("component", "camera");
        row.put("status", "PASS");
        Map<String, Object> same = new LinkedHashMap<>(row);
        same.remove("id");
        same.put("table", RecordValidator.HEALTH);
        assertThat(duplicates.check(row, same)).isEqualTo(3);

        Map<String, Object> other = new LinkedHashMap<>(same);
        other.put("status", "FAIL");
        assertThatExceptionOfType(ConflictingDuplicateException.class)
                .isThrownBy(() -> duplicates.check(row, other))
                .satisfies(e -> assertThat(e.getField()).isEqualTo("status"));
    }
}
