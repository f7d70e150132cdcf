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
}
