package org.lprgateway.ingest;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RecordValidatorTest {

    private final RecordValidator validator = new RecordValidator();

    private static Map<String, Object> detectionData() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("license_plate", "กข 1234 กรุงเทพมหานคร");
        d.put("confidence", "87.5");
        d.put("checkpoint_id", "CP001");
        d.put("timestamp", "2025-03-01T08:15:30.123");
        d.put("hostname", "aicamera-01");
        d.put("vehicle_type", "car");
        d.put("vehicle_color", "white");
        d.put("latitude", "");
        d.put("longitude", "100.5018");
        d.put("image", null);
        d.put("exposure_time", "0.033");
        d.put("analog_gain", "2.0");
        d.put("lux", "350");
        return d;
    }

    private static Map<String, Object> healthData() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("checkpoint_id", "CP001");
        d.put("hostname", "aicamera-01");
        d.put("timestamp", "2025-03-01T08:15:30+07:00");
        d.put("component", "camera");
        d.put("status", "PASS");
        d.put("message", "camera working normally");
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("platform", "linux");
        info.put("cpu_usage", "12%");
        d.put("system_info", info);
        return d;
    }

    private static Map<String, Object> message(String table, Object data) {
        Map<String, Object> msg = new HashMap<>();
        msg.put("table", table);
        msg.put("action", "insert");
        msg.put("data", data);
        return msg;
    }

    private static Map<String, Object> detection() {
        return message(RecordValidator.DETECTION, detectionData());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(Map<String, Object> msg) {
        return (Map<String, Object>) msg.get("data");
    }

    private void assertRejectedNaming(Map<String, Object> msg, String field) {
        assertThatExceptionOfType(InvalidRecordException.class)
                .isThrownBy(() -> validator.validate(msg))
                .satisfies(e -> assertThat(e.getField()).isEqualTo(field));
    }

    @Test
    void accepts_seed_003_detection_and_normalises_numbers_and_empty_latitude() {
        Map<String, Object> rec = validator.validate(detection());

        assertThat(rec)
                .containsEntry("table", "lpr_detection")
                .containsEntry("license_plate", "กข 1234 กรุงเทพมหานคร")
                .containsEntry("confidence", 87.5)
                .containsEntry("checkpoint_id", "CP001")
                .containsEntry("timestamp", "2025-03-01T08:15:30.123")
                .containsEntry("hostname", "aicamera-01")
                .containsEntry("vehicle_type", "car")
                .containsEntry("vehicle_color", "white")
                .containsEntry("latitude", null)
                .containsEntry("longitude", 100.5018)
                .containsEntry("exposure_time", 0.033)
                .containsEntry("analog_gain", 2.0)
                .containsEntry("lux", 350.0)
                // passed on for the image store, which replaces it with image_path
                .containsEntry("image", null);
        assertThat(rec.get("message_id")).asString().hasSize(36);
    }

    @Test
    void accepts_seed_003_health_and_serialises_system_info_object_to_json_text() {
        Map<String, Object> rec = validator.validate(message(RecordValidator.HEALTH, healthData()));

        assertThat(rec)
                .containsEntry("table", "health_monitor")
                .containsEntry("checkpoint_id", "CP001")
                .containsEntry("hostname", "aicamera-01")
                .containsEntry("timestamp", "2025-03-01T08:15:30+07:00")
                .containsEntry("component", "camera")
                .containsEntry("status", "PASS")
                .containsEntry("message", "camera working normally")
                .containsEntry("system_info", "{\"platform\":\"linux\",\"cpu_usage\":\"12%\"}");
    }

    @Test
    void accepts_a_message_without_action() {
        Map<String, Object> msg = detection();
        msg.remove("action");

        assertThat(validator.validate(msg)).containsEntry("license_plate", "กข 1234 กรุงเทพมหานคร");
    }

    @Test
    void rejects_missing_license_plate_naming_the_field() {
        Map<String, Object> msg = detection();
        data(msg).remove("license_plate");
        assertRejectedNaming(msg, "data.license_plate");
    }

    @Test
    void rejects_non_numeric_confidence_naming_the_field() {
        Map<String, Object> msg = detection();
        data(msg).put("confidence", "high");
        assertRejectedNaming(msg, "data.confidence");
    }

    @Test
    void rejects_confidence_above_100_naming_the_field() {
        Map<String, Object> msg = detection();
        data(msg).put("confidence", 250);
        assertRejectedNaming(msg, "data.confidence");
    }

    @Test
    void rejects_a_timestamp_that_is_not_iso_8601_naming_the_field() {
        Map<String, Object> msg = detection();
        data(msg).put("timestamp", "01/03/2025 08:15");
        assertRejectedNaming(msg, "data.timestamp");
    }

    @Test
    void rejects_an_unknown_table_naming_the_field() {
        assertRejectedNaming(message("vehicles", detectionData()), "table");
    }

    @Test
    void rejects_action_delete_naming_the_field() {
        Map<String, Object> msg = detection();
        msg.put("action", "delete");
        assertRejectedNaming(msg, "action");
    }

    @Test
    void rejects_data_that_is_not_an_object_naming_the_field() {
        assertRejectedNaming(message(RecordValidator.DETECTION, "license_plate=AB123"), "data");
    }

    @Test
    void rejects_a_plate_longer_than_the_limit_naming_the_field() {
        Map<String, Object> msg = detection();
        data(msg).put("license_plate", "X".repeat(33));
        assertRejectedNaming(msg, "data.license_plate");
    }

    @Test
    void rejects_a_message_id_that_is_not_a_uuid_naming_the_field() {
        Map<String, Object> msg = detection();
        msg.put("message_id", "not-a-uuid");
        assertRejectedNaming(msg, "message_id");
    }

    @Test
    void rejects_system_info_larger_than_the_limit_naming_the_field() {
        Map<String, Object> data = healthData();
        data.put("system_info", Map.of("dump", "x".repeat(16_400)));
        assertRejectedNaming(message(RecordValidator.HEALTH, data), "data.system_info");
    }

    @Test
    void rejects_latitude_outside_minus_90_to_90_naming_the_field() {
        Map<String, Object> msg = detection();
        data(msg).put("latitude", 95);
        assertRejectedNaming(msg, "data.latitude");
    }

    @Test
    void derives_the_same_message_id_from_the_same_natural_key() {
        String first = (String) validator.validate(detection()).get("message_id");
        String second = (String) validator.validate(detection()).get("message_id");

        assertThat(UUID.fromString(first).version()).isEqualTo(3);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void derives_a_different_message_id_when_the_plate_differs() {
        Map<String, Object> other = detection();
        data(other).put("license_plate", "AB 9999");

        assertThat(validator.validate(other).get("message_id"))
                .isNotEqualTo(validator.validate(detection()).get("message_id"));
    }

    @Test
    void keeps_a_given_message_id() {
        String id = "0b7e3a52-6c1f-4d2e-9a8b-3c4d5e6f7a8b";
        Map<String, Object> msg = detection();
        msg.put("message_id", id);

        assertThat(validator.validate(msg)).containsEntry("message_id", id);
    }

    @Test
    void carries_the_separately_sent_image_name_digest_and_size() {
        String id = "0b1c2d3e-1111-4222-8333-444455556666";
        Map<String, Object> msg = detection();
        msg.put("message_id", id);
        data(msg).put("image_file", "CAM001/2025-03-01/" + id + ".jpg");
        data(msg).put("image_sha256", "ab".repeat(32));
        data(msg).put("image_size", 12345);
        Map<String, Object> rec = validator.validate(msg);
        assertThat(rec).containsEntry("image_file", "CAM001/2025-03-01/" + id + ".jpg")
                .containsEntry("image_sha256", "ab".repeat(32)).containsEntry("image_size", 12345L);
    }

    @Test
    void rejects_image_names_that_leave_the_layout_or_belong_to_another_record() {
        String id = "0b1c2d3e-1111-4222-8333-444455556666";
        for (String bad : new String[] {"../etc/" + id + ".jpg", "/abs/2025-03-01/" + id + ".jpg", "CAM001/2025-03-01/x.jpg",
                "CAM001/2025-03-01/1b1c2d3e-1111-4222-8333-444455556666.jpg", ".hidden/2025-03-01/" + id + ".jpg"}) {
            Map<String, Object> msg = detection();
            msg.put("message_id", id);
            data(msg).put("image_file", bad);
            data(msg).put("image_sha256", "ab".repeat(32));
            assertRejectedNaming(msg, "data.image_file");
        }
        Map<String, Object> msg = detection();
        msg.put("message_id", id);
        data(msg).put("image_file", "CAM001/2025-03-01/" + id + ".jpg");
        data(msg).put("image_sha256", "XYZ");
        assertRejectedNaming(msg, "data.image_sha256");
        data(msg).remove("image_sha256");
        assertRejectedNaming(msg, "data.image_sha256");
    }

    @Test
    void refuses_a_body_that_is_not_an_object_whatever_json_it_is() {
        for (Object body : new Object[] {java.util.List.of(1, 2), "str", 42, true, null}) {
            assertThatExceptionOfType(InvalidRecordException.class)
                    .as("%s", body)
                    .isThrownBy(() -> validator.requireObject(body))
                    .withMessageContaining("must be a JSON object");
        }
        Map<String, Object> msg = detection();
        assertThat(validator.requireObject(msg)).isSameAs(msg);
    }

    @Test
    void refuses_a_line_break_in_a_field_that_is_logged() {
        for (String field : java.util.List.of("license_plate", "checkpoint_id", "hostname", "vehicle_type")) {
            Map<String, Object> msg = detection();
            data(msg).put(field, "AB1\nforged");
            assertRejectedNaming(msg, "data." + field);
        }
    }

    @Test
    void refuses_a_right_to_left_override_in_a_plate() {
        Map<String, Object> msg = detection();
        data(msg).put("license_plate", "AB\u202E4321");
        assertRejectedNaming(msg, "data.license_plate");
    }

    @Test
    void a_health_message_may_span_lines_but_its_system_info_holds_no_control_characters() {
        Map<String, Object> data = healthData();
        data.put("message", "camera restarted\nafter a power cut");
        assertThat(validator.validate(message(RecordValidator.HEALTH, data))).containsEntry("message", "camera restarted\nafter a power cut");

        data.put("system_info", Map.of("note", "x\u001B[2J"));
        assertRejectedNaming(message(RecordValidator.HEALTH, data), "data.system_info");
    }

    @Test
    void refuses_timestamps_before_2000_and_beyond_the_allowed_skew() {
        validator.setClock(java.time.Clock.fixed(java.time.Instant.parse("2026-06-01T12:00:00Z"), java.time.ZoneOffset.UTC));
        for (String ts : java.util.List.of("9999-12-31T23:59:59", "0001-01-01T00:00:00", "1999-12-31T23:59:59Z",
                "2026-06-02T12:00:01Z", "+10000-01-01T00:00:00Z")) {
            Map<String, Object> msg = detection();
            data(msg).put("timestamp", ts);
            assertRejectedNaming(msg, "data.timestamp");
        }
        for (String ts : java.util.List.of("2000-01-01T00:00:00Z", "2026-06-02T11:59:59Z", "2026-06-02T09:00:00+07:00",
                "2026-06-01T20:00:00")) {
            Map<String, Object> msg = detection();
            data(msg).put("timestamp", ts);
            assertThat(validator.validate(msg)).as(ts).containsEntry("timestamp", ts);
        }
    }

    @Test
    void the_time_window_is_a_setting() {
        validator.setClock(java.time.Clock.fixed(java.time.Instant.parse("2026-06-01T12:00:00Z"), java.time.ZoneOffset.UTC));
        validator.setEarliestTimestamp("2025-01-01T00:00:00Z");
        validator.setMaxFutureSkewSeconds(60);
        Map<String, Object> old = detection();
        data(old).put("timestamp", "2024-12-31T23:59:59Z");
        assertRejectedNaming(old, "data.timestamp");
        Map<String, Object> ahead = detection();
        data(ahead).put("timestamp", "2026-06-01T12:01:01Z");
        assertRejectedNaming(ahead, "data.timestamp");
    }

    @Test
    void numbers_sent_as_text_must_be_plain_decimals() {
        for (String bad : java.util.List.of("0x1p6", "1e2", "6.4d", "Infinity", "NaN", "1_0", "+5", "٥")) {
            Map<String, Object> msg = detection();
            data(msg).put("confidence", bad);
            assertRejectedNaming(msg, "data.confidence");
        }
        Map<String, Object> lux = detection();
        data(lux).put("lux", "0x10");
        assertRejectedNaming(lux, "data.lux");
        for (String good : java.util.List.of("64", "0.5", ".5", "100.0", " 87.5 ")) {
            Map<String, Object> msg = detection();
            data(msg).put("confidence", good);
            assertThat(validator.validate(msg).get("confidence")).as(good).isInstanceOf(Double.class);
        }
    }

    @Test
    void confidence_is_a_percentage_from_0_to_100() {
        Map<String, Object> negative = detection();
        data(negative).put("confidence", -0.1);
        assertRejectedNaming(negative, "data.confidence");
        Map<String, Object> full = detection();
        data(full).put("confidence", 100);
        assertThat(validator.validate(full)).containsEntry("confidence", 100.0);
    }

    @Test
    void natural_keys_with_separators_in_fields_do_not_collide() {
        Map<String, Object> first = detection();
        data(first).put("checkpoint_id", "A|B");
        data(first).put("hostname", "C");
        Map<String, Object> second = detection();
        data(second).put("checkpoint_id", "A");
        data(second).put("hostname", "B|C");

        assertThat(validator.validate(first).get("message_id")).isNotEqualTo(validator.validate(second).get("message_id"));
    }

    @Test
    void a_natural_key_without_separators_keeps_the_id_records_were_stored_under_before() {
        Map<String, Object> rec = validator.validate(detection());
        String joined = "lpr_detection|CP001|aicamera-01|2025-03-01T08:15:30.123|กข 1234 กรุงเทพมหานคร";

        assertThat(rec.get("message_id"))
                .isEqualTo(UUID.nameUUIDFromBytes(joined.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
    }

    @Test
    void a_camera_id_in_a_record_follows_the_camera_id_rule() {
        Map<String, Object> msg = detection();
        data(msg).put("camera_id", "../CAM001");
        assertRejectedNaming(msg, "data.camera_id");
        data(msg).put("camera_id", "CAM001");
        assertThat(validator.validate(msg)).containsEntry("license_plate", "กข 1234 กรุงเทพมหานคร");
    }

    @Test
    void an_image_file_name_must_carry_a_valid_camera_id() {
        String id = "0b7e3a52-6c1f-4d2e-9a8b-3c4d5e6f7a8b";
        Map<String, Object> msg = detection();
        msg.put("message_id", id);
        data(msg).put("image_sha256", "a".repeat(64));
        data(msg).put("image_file", "CAM..1/2025-03-01/" + id + ".jpg");
        assertRejectedNaming(msg, "data.image_file");
        data(msg).put("image_file", "CAM001/2025-03-01/" + id + ".jpg");
        assertThat(validator.validate(msg)).containsEntry("image_file", "CAM001/2025-03-01/" + id + ".jpg");
    }
}
