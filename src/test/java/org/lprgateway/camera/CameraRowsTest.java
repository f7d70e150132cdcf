package org.lprgateway.camera;

import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CameraRowsTest {

    private final CameraRows rows = rows("Asia/Bangkok");

    private static CameraRows rows(String zone) {
        CameraRows r = new CameraRows();
        r.setTimezone(zone);
        return r;
    }

    private static Map<String, Object> line(long sourceId, Integer plateIdx, int cameraSent, String timestamp) {
        Map<String, Object> m = new HashMap<>();
        m.put("source_id", sourceId);
        m.put("plate_idx", plateIdx);
        m.put("camera_sent", cameraSent);
        m.put("timestamp", timestamp);
        m.put("license_plate", plateIdx == null ? null : "AB " + sourceId + plateIdx);
        return m;
    }

    @Test
    void a_zone_less_camera_time_is_read_in_the_camera_zone_and_carries_its_offset() {
        assertThat(rows.instant("2025-09-15T16:28:13.391207").toString()).isEqualTo("2025-09-15T16:28:13.391207+07:00");
        assertThat(rows.epochMillis("2025-09-15T16:28:13.391207")).isEqualTo(1757928493391L);
        // the SQLite CURRENT_TIMESTAMP form (space, no fraction) reads the same way
        assertThat(rows.instant("2025-09-15 16:28:13").toString()).isEqualTo("2025-09-15T16:28:13+07:00");
    }

    @Test
    void a_time_with_an_offset_or_z_keeps_it_whatever_the_camera_zone() {
        assertThat(rows.instant("2025-09-15T09:28:13Z").toInstant().toString()).isEqualTo("2025-09-15T09:28:13Z");
        assertThat(rows.instant("2025-09-15T10:28:13-05:00").toString()).isEqualTo("2025-09-15T10:28:13-05:00");
    }

    @Test
    void text_that_is_no_time_gives_none_and_the_record_keeps_the_text() {
        assertThat(rows.instant("yesterday")).isNull();
        assertThat(rows.instant(null)).isNull();
        List<Map<String, Object>> out = rows.records(List.of(line(1, 0, 0, "yesterday")), "detections");
        assertThat(out.get(0)).containsEntry("timestamp", "yesterday").containsEntry("detected_at", null);
    }

    @Test
    void each_line_gets_its_own_message_id_and_every_field() {
        List<Map<String, Object>> out = rows.records(List.of(line(7, 0, 0, "2025-09-15T16:28:13"),
                line(7, 1, 0, "2025-09-15T16:28:13")), "detections");

        assertThat(out).hasSize(2);
        assertThat(out.get(0).get("message_id")).isNotEqualTo(out.get(1).get("message_id"));
        assertThat(out.get(0).keySet()).containsExactlyElementsOf(CameraRows.DETECTION_FIELDS);
        assertThat(out.get(1)).containsEntry("plate_idx", 1).containsEntry("sent_to_server", 0)
                .containsEntry("timestamp", "2025-09-15T16:28:13+07:00");
    }

    @Test
    void a_row_without_a_plate_becomes_a_record_that_needs_no_delivery() {
        Map<String, Object> r = rows.records(List.of(line(9, null, 0, "2025-09-15T16:28:13")), "detections").get(0);

        assertThat(r).containsEntry("plate_idx", -1).containsEntry("sent_to_server", 1).containsEntry("sent_via", "none")
                .containsEntry("image_state", "none").containsEntry("last_error", CameraRows.NO_PLATE);
    }

    @Test
    void rows_already_marked_sent_are_not_taken_and_count_as_another_senders_above_the_baseline() {
        List<Map<String, Object>> lines = List.of(line(3, 0, 1, "t"), line(4, 0, 1, "t"), line(4, 1, 1, "t"),
                line(5, 0, 0, "t"));

        assertThat(rows.records(lines, "detections")).extracting(m -> m.get("source_id")).containsExactly(5L);
        // row 3 is history (the table had it when the gateway first met it); row 4, two plates, counts once
        assertThat(rows.foreignSent(lines, 3)).isEqualTo(1);
        assertThat(rows.lastSourceId(lines, 2)).isEqualTo(5);
        assertThat(rows.lastSourceId(List.of(), 2)).isEqualTo(2);
    }

    @Test
    void health_lines_carry_only_health_fields() {
        Map<String, Object> l = line(2, null, 0, "2025-09-15T16:28:13");
        l.put("component", "Camera");
        Map<String, Object> r = rows.records(List.of(l), "health").get(0);

        assertThat(r.keySet()).containsExactlyElementsOf(CameraRows.HEALTH_FIELDS);
        assertThat(r).containsEntry("component", "Camera").doesNotContainKey("plate_idx");
    }

    @Test
    void sent_marks_carry_the_camera_local_time_without_a_zone() {
        Map<String, Object> m = new HashMap<>();
        rows.sentMarks(new java.util.ArrayList<>(List.of(m)));

        assertThat((String) m.get("sent_at")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}");
        assertThat(rows.zone()).isEqualTo(ZoneId.of("Asia/Bangkok"));
    }
}
