package org.lprgateway.wire;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.lprgateway.ingest.InvalidRecordException;
import org.lprgateway.ingest.RecordValidator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class WireMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The detection example of seed 002, verbatim. */
    private static final String SEED_002_DETECTION_EXAMPLE = """
            {
              "message_id": "uuid-string",
              "timestamp": "2024-01-15T10:30:00Z",
              "camera_id": "CAM001",
              "checkpoint_id": "CP001",
              "detection_data": {
                "vehicles_count": 1,
                "plates_count": 1,
                "processing_time_ms": 150,
                "confidence_score": 0.95,
                "detection_type": "lpr",
                "vehicles": [
                  {
                    "vehicle_index": 0,
                    "bbox": [100, 100, 200, 200],
                    "confidence": 0.95,
                    "vehicle_class": "car",
                    "vehicle_type": "sedan",
                    "color": "white",
                    "brand": "Toyota",
                    "model": "Camry",
                    "year": 2020
                  }
                ],
                "plates": [
                  {
                    "plate_index": 0,
                    "plate_number": "ABC1234",
                    "bbox": [150, 120, 180, 140],
                    "confidence": 0.92,
                    "plate_type": "standard",
                    "country": "TH",
                    "province": "Bangkok",
                    "is_valid": true
                  }
                ]
              },
              "metadata": {
                "image_path": "/storage/images/CAM001_20240115_103000.jpg",
                "weather": "clear",
                "lighting": "daylight"
              }
            }
            """;

    /** The health example of seed 002, verbatim. */
    private static final String SEED_002_HEALTH_EXAMPLE = """
            {
              "message_id": "uuid-string",
              "timestamp": "2024-01-15T10:30:00Z",
              "camera_id": "CAM001",
              "health_status": "healthy",
              "health_details": {
                "cpu_usage": 45.2,
                "memory_usage": 67.8,
                "disk_usage": 23.1,
                "network_status": "connected",
                "camera_status": "active",
                "last_detection": "2024-01-15T10:29:45Z",
                "uptime_seconds": 86400,
                "temperature": 42.5
              },
              "alerts": [
                {
                  "level": "warning",
                  "message": "High CPU usage detected",
                  "timestamp": "2024-01-15T10:30:00Z"
                }
              ]
            }
            """;

    /** The seed's "uuid-string" is a placeholder: the server accepts only a UUID as message_id. */
    private static final String FOREIGN_MESSAGE_ID = "5f0c6a1e-2b7d-4c3e-8f9a-1b2c3d4e5f60";

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

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> objects(Object value) {
        return (List<Map<String, Object>>) value;
    }

    private static Map<String, Object> parse(String json) throws Exception {
        return JSON.readValue(json, new TypeReference<Map<String, Object>>() { });
    }

    /** What the server's MQTT ingest receives: the published message after JSON serialisation. */
    private static Map<String, Object> overTheWire(Map<String, Object> message) throws Exception {
        return parse(JSON.writeValueAsString(message));
    }

    private static Map<String, Object> foreignMessage(String example) throws Exception {
        return parse(example.replace("uuid-string", FOREIGN_MESSAGE_ID));
    }

    private Map<String, Object> seed002Detection() {
        return mapper.toSeed002(WireMapper.DETECTION_TABLE, detectionRow(), "CAM001");
    }

    private Map<String, Object> seed002Health(String status) {
        Map<String, Object> row = healthRow("{\"platform\":\"linux\",\"cpu_usage\":\"12%\"}");
        row.put("status", status);
        return mapper.toSeed002(WireMapper.HEALTH_TABLE, row, "CAM001");
    }

    @Test
    void maps_a_detection_row_to_exactly_the_seed_002_detection_shape() {
        Map<String, Object> msg = seed002Detection();

        assertThat(msg).containsOnlyKeys("message_id", "timestamp", "camera_id", "checkpoint_id",
                        "detection_data", "metadata")
                .containsEntry("message_id", "0b7e3a52-6c1f-4d2e-9a8b-3c4d5e6f7a8b")
                .containsEntry("timestamp", "2025-03-01T08:15:30.123")
                .containsEntry("camera_id", "CAM001")
                .containsEntry("checkpoint_id", "CP001");
        Map<String, Object> detection = object(msg.get("detection_data"));
        assertThat(detection).containsOnlyKeys("vehicles_count", "plates_count", "confidence_score",
                        "detection_type", "vehicles", "plates")
                .containsEntry("vehicles_count", 1)
                .containsEntry("plates_count", 1)
                .containsEntry("detection_type", "lpr");
        assertThat(objects(detection.get("vehicles"))).singleElement()
                .satisfies(v -> assertThat(v)
                        .containsEntry("vehicle_index", 0)
                        .containsEntry("vehicle_type", "pickup")
                        .containsEntry("color", "silver"));
        assertThat(objects(detection.get("plates"))).singleElement()
                .satisfies(p -> assertThat(p)
                        .containsEntry("plate_index", 0)
                        .containsEntry("plate_number", "กข 1234 กรุงเทพมหานคร"));
        assertThat(object(msg.get("metadata")))
                .containsEntry("image_path", "data/images/2025-03-01/sim_081530123_1.jpg")
                .containsEntry("hostname", "aicamera-01")
                .containsEntry("latitude", 13.7563)
                .containsEntry("longitude", 100.5018)
                .containsEntry("exposure_time", 0.033)
                .containsEntry("analog_gain", 4.0)
                .containsEntry("lux", 250.0);
    }

    @Test
    void seed_002_detection_carries_confidence_as_a_fraction_of_the_rows_percent() {
        Map<String, Object> detection = object(seed002Detection().get("detection_data"));

        assertThat((Double) detection.get("confidence_score")).isCloseTo(0.915, within(1e-12));
        assertThat((Double) objects(detection.get("plates")).get(0).get("confidence")).isCloseTo(0.915, within(1e-12));
    }

    @Test
    void maps_a_health_row_to_exactly_the_seed_002_health_shape() {
        Map<String, Object> msg = seed002Health("PASS");

        assertThat(msg).containsOnlyKeys("message_id", "timestamp", "camera_id", "health_status",
                        "health_details", "alerts")
                .containsEntry("message_id", "9d1c2b3a-4e5f-4a6b-8c7d-0e1f2a3b4c5d")
                .containsEntry("timestamp", "2025-03-01T08:15:30.123")
                .containsEntry("camera_id", "CAM001");
        assertThat(object(msg.get("health_details")))
                .containsEntry("component", "storage")
                .containsEntry("status", "PASS")
                .containsEntry("message", "storage check failed")
                .containsEntry("checkpoint_id", "CP001")
                .containsEntry("hostname", "aicamera-01")
                .containsEntry("system_info", Map.of("platform", "linux", "cpu_usage", "12%"));
    }

    @Test
    void maps_pass_warn_and_fail_to_healthy_degraded_and_unhealthy() {
        assertThat(seed002Health("PASS")).containsEntry("health_status", "healthy");
        assertThat(seed002Health("WARN")).containsEntry("health_status", "degraded");
        assertThat(seed002Health("FAIL")).containsEntry("health_status", "unhealthy");
    }

    @Test
    void healthy_check_has_no_alerts() {
        assertThat(objects(seed002Health("PASS").get("alerts"))).isEmpty();
    }

    @Test
    void degraded_check_raises_one_warning_alert() {
        assertThat(objects(seed002Health("WARN").get("alerts"))).singleElement()
                .satisfies(a -> assertThat(a)
                        .containsEntry("level", "warning")
                        .containsEntry("message", "storage: storage check failed")
                        .containsEntry("timestamp", "2025-03-01T08:15:30.123"));
    }

    @Test
    void unhealthy_check_raises_one_error_alert() {
        assertThat(objects(seed002Health("FAIL").get("alerts"))).singleElement()
                .satisfies(a -> assertThat(a)
                        .containsEntry("level", "error")
                        .containsEntry("message", "storage: storage check failed"));
    }

    @Test
    void foreign_seed_002_detection_example_passes_the_server_validator() throws Exception {
        Map<String, Object> msg = mapper.seed002ToSeed003("detection", foreignMessage(SEED_002_DETECTION_EXAMPLE));

        assertThat(msg).containsEntry("message_id", FOREIGN_MESSAGE_ID)
                .containsEntry("table", "lpr_detection")
                .containsEntry("action", "insert");
        Map<String, Object> rec = validator.validate(msg);
        assertThat(rec).containsEntry("table", "lpr_detection")
                .containsEntry("message_id", FOREIGN_MESSAGE_ID)
                .containsEntry("license_plate", "ABC1234")
                .containsEntry("checkpoint_id", "CP001")
                .containsEntry("timestamp", "2024-01-15T10:30:00Z")
                .containsEntry("hostname", "CAM001")
                .containsEntry("vehicle_type", "sedan")
                .containsEntry("vehicle_color", "white")
                .containsEntry("latitude", null)
                .containsEntry("longitude", null);
        assertThat((Double) rec.get("confidence")).isCloseTo(92.0, within(1e-9));
    }

    @Test
    void foreign_seed_002_detection_with_several_plates_becomes_one_record_of_the_first_plate() throws Exception {
        Map<String, Object> message = foreignMessage(SEED_002_DETECTION_EXAMPLE);
        List<Object> plates = new ArrayList<>(objects(object(message.get("detection_data")).get("plates")));
        Map<String, Object> second = new LinkedHashMap<>(object(plates.get(0)));
        second.put("plate_number", "XYZ9876");
        second.put("confidence", 0.5);
        plates.add(second);
        object(message.get("detection_data")).put("plates", plates);

        Map<String, Object> rec = validator.validate(mapper.seed002ToSeed003("detection", message));

        assertThat(rec).containsEntry("license_plate", "ABC1234");
        assertThat((Double) rec.get("confidence")).isCloseTo(92.0, within(1e-9));
    }

    @Test
    void foreign_seed_002_detection_without_plate_confidence_uses_the_confidence_score() throws Exception {
        Map<String, Object> message = foreignMessage(SEED_002_DETECTION_EXAMPLE);
        objects(object(message.get("detection_data")).get("plates")).get(0).remove("confidence");

        Map<String, Object> rec = validator.validate(mapper.seed002ToSeed003("detection", message));

        assertThat((Double) rec.get("confidence")).isCloseTo(95.0, within(1e-9));
    }

    @Test
    void a_fraction_that_is_not_a_plain_decimal_reaches_the_validator_unconverted_and_is_refused() throws Exception {
        for (String fraction : java.util.List.of("0x1p-4", "1e-1", "0.5d")) {
            Map<String, Object> message = foreignMessage(SEED_002_DETECTION_EXAMPLE);
            objects(object(message.get("detection_data")).get("plates")).get(0).put("confidence", fraction);

            Map<String, Object> mapped = mapper.seed002ToSeed003("detection", message);

            assertThat(object(mapped.get("data")).get("confidence")).isEqualTo(fraction);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> validator.validate(mapped))
                    .isInstanceOf(org.lprgateway.ingest.InvalidRecordException.class)
                    .hasMessageContaining("data.confidence");
        }
        Map<String, Object> plain = foreignMessage(SEED_002_DETECTION_EXAMPLE);
        objects(object(plain.get("detection_data")).get("plates")).get(0).put("confidence", "0.5");
        assertThat((Double) validator.validate(mapper.seed002ToSeed003("detection", plain)).get("confidence")).isCloseTo(50.0, within(1e-9));
    }

    @Test
    void foreign_seed_002_detection_without_message_id_gets_the_same_natural_key_id_each_time() throws Exception {
        Map<String, Object> message = foreignMessage(SEED_002_DETECTION_EXAMPLE);
        message.remove("message_id");

        String first = (String) validator.validate(mapper.seed002ToSeed003("detection", message)).get("message_id");
        String second = (String) validator.validate(mapper.seed002ToSeed003("detection", message)).get("message_id");

        assertThat(first).isNotNull().isEqualTo(second);
    }

    @Test
    void foreign_seed_002_health_example_passes_the_server_validator() throws Exception {
        Map<String, Object> msg = mapper.seed002ToSeed003("health", foreignMessage(SEED_002_HEALTH_EXAMPLE));

        assertThat(msg).containsEntry("table", "health_monitor").containsEntry("action", "insert");
        Map<String, Object> rec = validator.validate(msg);
        assertThat(rec).containsEntry("table", "health_monitor")
                .containsEntry("message_id", FOREIGN_MESSAGE_ID)
                .containsEntry("checkpoint_id", "CAM001")
                .containsEntry("hostname", "CAM001")
                .containsEntry("timestamp", "2024-01-15T10:30:00Z")
                .containsEntry("component", "system")
                .containsEntry("status", "healthy")
                .containsEntry("message", "warning: High CPU usage detected");
        Map<String, Object> info = parse((String) rec.get("system_info"));
        assertThat(info).containsEntry("cpu_usage", 45.2)
                .containsEntry("uptime_seconds", 86400)
                .containsEntry("health_status", "healthy")
                .containsKey("alerts");
    }

    @Test
    void detection_row_survives_seed_002_and_back_through_the_server_validator() throws Exception {
        Map<String, Object> row = detectionRow();

        Map<String, Object> published = overTheWire(mapper.toSeed002(WireMapper.DETECTION_TABLE, row, "CAM001"));
        Map<String, Object> rec = validator.validate(mapper.seed002ToSeed003("detection", published));

        assertThat(rec).containsEntry("table", "lpr_detection");
        assertThat((Double) rec.get("confidence")).isCloseTo((Double) row.get("confidence"), within(1e-9));
        for (String column : List.of("message_id", "license_plate", "checkpoint_id", "timestamp", "hostname",
                "vehicle_type", "vehicle_color", "latitude", "longitude", "exposure_time", "analog_gain", "lux")) {
            assertThat(rec).as(column).containsEntry(column, row.get(column));
        }
    }

    @Test
    void health_row_survives_seed_002_and_back_through_the_server_validator() throws Exception {
        Map<String, Object> row = healthRow("{\"platform\":\"linux\",\"cpu_usage\":\"12%\"}");

        Map<String, Object> published = overTheWire(mapper.toSeed002(WireMapper.HEALTH_TABLE, row, "CAM001"));
        Map<String, Object> rec = validator.validate(mapper.seed002ToSeed003("health", published));

        assertThat(rec).containsEntry("table", "health_monitor");
        for (String column : List.of("message_id", "checkpoint_id", "hostname", "timestamp", "component",
                "status", "message")) {
            assertThat(rec).as(column).containsEntry(column, row.get(column));
        }
        assertThat(parse((String) rec.get("system_info")))
                .containsEntry("system_info", parse((String) row.get("system_info")))
                .containsEntry("health_status", "unhealthy");
    }

    @Test
    void refuses_a_seed_002_detection_without_plates() throws Exception {
        Map<String, Object> message = foreignMessage(SEED_002_DETECTION_EXAMPLE);
        object(message.get("detection_data")).remove("plates");

        assertThatExceptionOfType(InvalidRecordException.class)
                .isThrownBy(() -> mapper.seed002ToSeed003("detection", message))
                .satisfies(e -> assertThat(e.getField()).isEqualTo("detection_data.plates"));
    }

    @Test
    void refuses_a_seed_002_detection_with_an_empty_plate_list() throws Exception {
        Map<String, Object> message = foreignMessage(SEED_002_DETECTION_EXAMPLE);
        object(message.get("detection_data")).put("plates", List.of());

        assertThatExceptionOfType(InvalidRecordException.class)
                .isThrownBy(() -> mapper.seed002ToSeed003("detection", message))
                .satisfies(e -> assertThat(e.getField()).isEqualTo("detection_data.plates"));
    }

    @Test
    void refuses_a_seed_002_detection_without_detection_data() throws Exception {
        Map<String, Object> message = foreignMessage(SEED_002_DETECTION_EXAMPLE);
        message.remove("detection_data");

        assertThatExceptionOfType(InvalidRecordException.class)
                .isThrownBy(() -> mapper.seed002ToSeed003("detection", message))
                .satisfies(e -> assertThat(e.getField()).isEqualTo("detection_data"));
    }

    @Test
    void refuses_a_kind_other_than_detection_or_health_naming_the_topic() throws Exception {
        Map<String, Object> message = foreignMessage(SEED_002_DETECTION_EXAMPLE);

        assertThatExceptionOfType(InvalidRecordException.class)
                .isThrownBy(() -> mapper.seed002ToSeed003("foo", message))
                .satisfies(e -> assertThat(e.getField()).isEqualTo("topic"));
    }

    @Test
    void refuses_a_seed_002_message_that_is_not_an_object() {
        assertThatExceptionOfType(InvalidRecordException.class)
                .isThrownBy(() -> mapper.seed002ToSeed003("detection", List.of("ABC1234")));
        assertThatExceptionOfType(InvalidRecordException.class)
                .isThrownBy(() -> mapper.seed002ToSeed003("health", "healthy"));
    }

    @Test
    void the_image_name_and_digest_travel_in_both_shapes_and_back() {
        WireMapper mapper = new WireMapper();
        Map<String, Object> row = new java.util.HashMap<>();
        row.put("message_id", "0b1c2d3e-1111-4222-8333-444455556666");
        row.put("license_plate", "AB 1");
        row.put("confidence", 90.0);
        row.put("timestamp", "2025-03-01T08:15:30");
        row.put("image_file", "CAM001/2025-03-01/0b1c2d3e-1111-4222-8333-444455556666.jpg");
        row.put("image_sha256", "ab".repeat(32));
        row.put("image_size", 321L);
        Map<String, Object> data = mapper.seed003Data(WireMapper.DETECTION_TABLE, row);
        assertThat(data).containsEntry("image_file", row.get("image_file")).containsEntry("image_sha256", "ab".repeat(32))
                .containsEntry("image_size", 321L);
        Map<String, Object> mqtt = mapper.toSeed002(WireMapper.DETECTION_TABLE, row, "CAM001");
        Map<String, Object> back = mapper.seed002ToSeed003("detection", mqtt);
        @SuppressWarnings("unchecked")
        Map<String, Object> backData = (Map<String, Object>) back.get("data");
        assertThat(backData).containsEntry("image_file", row.get("image_file")).containsEntry("image_sha256", "ab".repeat(32));
        row.put("image_sha256", null);
        assertThat(mapper.seed003Data(WireMapper.DETECTION_TABLE, row)).doesNotContainKey("image_file");
    }
}
