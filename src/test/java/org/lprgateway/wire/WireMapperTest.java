package org.lprgateway.wire;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lprgateway.ingest.RecordValidator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class WireMapperTest {

    private final WireMapper mapper = new WireMapper();
    private final RecordValidator validator = new RecordValidator();

    private static Map<String, Object> detectionRow() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 42L);
        row.put("license_plate", "กข 1234 กรุงเทพมหานคร");
        row.put("confidence", 91.5);
        row.put("checkpoint_id", "CP001");
        row.put("timestamp", "2025-03-01T08:15:30.123");
        row.put("hostname", "aicamera-01");
        row.put("vehicle_type", "pickup");
        row.put("vehicle_color", "silver");
        row.put("latitude", 13.7563);
        row.put("longitude", 100.5018);
        row.put("image_path", "data/images/2025-03-01/sim_081530123_1.jpg");
        row.put("exposure_time", 0.033);
        row.put("analog_gain", 4.0);
        row.put("lux", 250.0);
        row.put("sent_to_server", 0);
        row.put("message_id", "0b7e3a52-6c1f-4d2e-9a8b-3c4d5e6f7a8b");
        row.put("attempts", 2);
        row.put("next_attempt_at", 0L);
        return row;
    }

    private static Map<String, Object> healthRow(String systemInfo) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 7L);
        row.put("checkpoint_id", "CP001");
        row.put("hostname", "aicamera-01");
        row.put("timestamp", "2025-03-01T08:15:30.123");
        row.put("component", "storage");
        row.put("status", "FAIL");
        row.put("message", "storage check failed");
        row.put("system_info", systemInfo);
        row.put("sent_to_server", 0);
        row.put("message_id", "9d1c2b3a-4e5f-4a6b-8c7d-0e1f2a3b4c5d");
        return row;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(Map<String, Object> msg) {
        return (Map<String, Object>) msg.get("data");
    }

    @Test
    void maps_a_detection_row_to_exactly_the_seed_003_shape() {
        Map<String, Object> msg = mapper.toSeed003(WireMapper.DETECTION_TABLE, detectionRow());

        assertThat(msg).containsOnlyKeys("message_id", "table", "action", "data")
                .containsEntry("message_id", "0b7e3a52-6c1f-4d2e-9a8b-3c4d5e6f7a8b")
                .containsEntry("table", "lpr_detection")
                .containsEntry("action", "insert");
        assertThat(data(msg)).containsOnlyKeys("license_plate", "confidence", "checkpoint_id", "timestamp",
                        "hostname", "vehicle_type", "vehicle_color", "latitude", "longitude", "image",
                        "exposure_time", "analog_gain", "lux")
                .containsEntry("license_plate", "กข 1234 กรุงเทพมหานคร")
                .containsEntry("confidence", 91.5)
                .containsEntry("latitude", 13.7563)
                .containsEntry("lux", 250.0)
                .containsEntry("image", null);
    }

    @Test
    void maps_a_health_row_to_exactly_the_seed_003_shape_with_system_info_as_an_object() {
        Map<String, Object> msg = mapper.toSeed003(WireMapper.HEALTH_TABLE,
                healthRow("{\"platform\":\"linux\",\"disk\":[1,2]}"));

        assertThat(msg).containsOnlyKeys("message_id", "table", "action", "data")
                .containsEntry("message_id", "9d1c2b3a-4e5f-4a6b-8c7d-0e1f2a3b4c5d")
                .containsEntry("table", "health_monitor")
                .containsEntry("action", "insert");
        assertThat(data(msg)).containsOnlyKeys("checkpoint_id", "hostname", "timestamp", "component", "status",
                        "message", "system_info")
                .containsEntry("component", "storage")
                .containsEntry("status", "FAIL")
                .containsEntry("system_info", Map.of("platform", "linux", "disk", List.of(1, 2)));
    }

    @Test
    void keeps_system_info_that_is_not_json_as_a_string() {
        Map<String, Object> msg = mapper.toSeed003(WireMapper.HEALTH_TABLE, healthRow("cpu 12%, mem 40%"));

        assertThat(data(msg)).containsEntry("system_info", "cpu 12%, mem 40%");
    }

    @Test
    void rejects_an_unknown_source_table() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> mapper.toSeed003("vehicles", detectionRow()))
                .withMessageContaining("vehicles");
    }

    @Test
    void detection_row_survives_the_trip_through_the_server_validator() {
        Map<String, Object> row = detectionRow();

        Map<String, Object> rec = validator.validate(mapper.toSeed003(WireMapper.DETECTION_TABLE, row));

        assertThat(rec).containsEntry("table", "lpr_detection");
        for (String column : List.of("message_id", "license_plate", "confidence", "checkpoint_id", "timestamp",
                "hostname", "vehicle_type", "vehicle_color", "latitude", "longitude", "exposure_time",
                "analog_gain", "lux")) {
            assertThat(rec).as(column).containsEntry(column, row.get(column));
        }
    }

    @Test
    void health_row_survives_the_trip_through_the_server_validator() {
        Map<String, Object> row = healthRow("{\"platform\":\"linux\",\"cpu_usage\":\"12%\"}");

        Map<String, Object> rec = validator.validate(mapper.toSeed003(WireMapper.HEALTH_TABLE, row));

        assertThat(rec).containsEntry("table", "health_monitor");
        for (String column : List.of("message_id", "checkpoint_id", "hostname", "timestamp", "component",
                "status", "message", "system_info")) {
            assertThat(rec).as(column).containsEntry(column, row.get(column));
        }
    }

    @Test
    void health_row_without_message_id_gets_the_natural_key_id_on_the_server() {
        Map<String, Object> row = healthRow("cpu 12%");
        row.remove("message_id");

        String first = (String) validator.validate(mapper.toSeed003(WireMapper.HEALTH_TABLE, row)).get("message_id");
        String second = (String) validator.validate(mapper.toSeed003(WireMapper.HEALTH_TABLE, row)).get("message_id");

        assertThat(first).isNotNull().isEqualTo(second);
    }

    @Test
    void health_row_with_json_scalar_system_info_survives_the_trip_through_the_server_validator() {
        Map<String, Object> row = healthRow("42");

        Map<String, Object> rec = validator.validate(mapper.toSeed003(WireMapper.HEALTH_TABLE, row));

        assertThat(rec).containsEntry("system_info", "42");
    }
}
