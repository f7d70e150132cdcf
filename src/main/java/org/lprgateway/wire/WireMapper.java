package org.lprgateway.wire;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.lprgateway.ingest.InvalidRecordException;

/**
 * The one translation between the camera's SQLite rows, seed 003's {@code data} (WebSocket, REST)
 * and seed 002's MQTT shapes, used by every edge transport and by the server. The field table in
 * docs/wire-mapping.md documents every field; keep the two in step.
 *
 * <p>Confidence is a percentage (0..100) in the camera's rows and in seed 003, a fraction (0..1)
 * in seed 002.
 */
public class WireMapper {

    public static final String DETECTION_TABLE = "outbox_detections";
    public static final String HEALTH_TABLE = "outbox_health";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Seed 003 message for one outbox row: {@code message_id}, {@code table}, {@code action}, {@code data}. */
    public Map<String, Object> toSeed003(String sourceTable, Map<String, Object> row) {
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("message_id", row.get("message_id"));
        msg.put("table", wireTable(sourceTable));
        msg.put("action", "insert");
        msg.put("data", seed003Data(sourceTable, row));
        return msg;
    }

    /** Size in bytes of a message as JSON: the payload size the router decides on. */
    public int jsonBytes(Object message) throws JsonProcessingException {
        return JSON.writeValueAsBytes(message).length;
    }

    /** The seed 003 {@code data} object of a row. */
    public Map<String, Object> seed003Data(String sourceTable, Map<String, Object> row) {
        Map<String, Object> d = new LinkedHashMap<>();
        if (DETECTION_TABLE.equals(sourceTable)) {
            d.put("license_plate", row.get("license_plate"));
            d.put("confidence", row.get("confidence"));
            d.put("checkpoint_id", row.get("checkpoint_id"));
            d.put("timestamp", row.get("timestamp"));
            d.put("hostname", row.get("hostname"));
            d.put("vehicle_type", row.get("vehicle_type"));
            d.put("vehicle_color", row.get("vehicle_color"));
            d.put("latitude", row.get("latitude"));
            d.put("longitude", row.get("longitude"));
            d.put("image", null);
            d.put("exposure_time", row.get("exposure_time"));
            d.put("analog_gain", row.get("analog_gain"));
            d.put("lux", row.get("lux"));
            imageFields(row, d);
        } else if (HEALTH_TABLE.equals(sourceTable)) {
            d.put("checkpoint_id", row.get("checkpoint_id"));
            d.put("hostname", row.get("hostname"));
            d.put("timestamp", row.get("timestamp"));
            d.put("component", row.get("component"));
            d.put("status", row.get("status"));
            d.put("message", row.get("message"));
            d.put("system_info", systemInfo(row.get("system_info")));
        } else {
            throw new IllegalArgumentException("not an outbox table: " + sourceTable);
        }
        return d;
    }

    /**
     * The original JPEG of a detection travels apart from its record (SFTP or rsync): the record
     * names the file the server will receive and its SHA-256, so the server can link the two.
     * Absent when the row has no image or its image was parked.
     */
    private static void imageFields(Map<String, Object> row, Map<String, Object> target) {
        if (row.get("image_file") != null && row.get("image_sha256") != null) {
            target.put("image_file", row.get("image_file"));
            target.put("image_sha256", row.get("image_sha256"));
            target.put("image_size", row.get("image_size"));
        }
    }

    /** The wire table name (seed 003) of an outbox table. */
    public static String wireTable(String sourceTable) {
        return switch (sourceTable) {
            case DETECTION_TABLE -> "lpr_detection";
            case HEALTH_TABLE -> "health_monitor";
            default -> throw new IllegalArgumentException("not an outbox table: " + sourceTable);
        };
    }

    /**
     * The camera stores system_info as JSON text; on the wire a JSON object or array travels as such,
     * anything else (plain text, a bare number) as the original string.
     */
    static Object systemInfo(Object stored) {
        if (!(stored instanceof String s) || s.isBlank()) {
            return stored;
        }
        try {
            Object parsed = JSON.readValue(s, Object.class);
            return parsed instanceof Map<?, ?> || parsed instanceof java.util.List<?> ? parsed : s;
        } catch (JsonProcessingException e) {
            return s;
        }
    }

    /** Seed 002 message of a row: detection shape for detections, health shape for health checks. */
    public Map<String, Object> toSeed002(String sourceTable, Map<String, Object> row, String cameraId) {
        return switch (sourceTable) {
            case DETECTION_TABLE -> seed002Detection(row, cameraId);
            case HEALTH_TABLE -> seed002Health(row, cameraId);
            default -> throw new IllegalArgumentException("not an outbox table: " + sourceTable);
        };
    }

    Map<String, Object> seed002Detection(Map<String, Object> row, String cameraId) {
        Double fraction = row.get("confidence") instanceof Number n ? n.doubleValue() / 100.0 : null;
        Map<String, Object> vehicle = new LinkedHashMap<>();
        vehicle.put("vehicle_index", 0);
        vehicle.put("vehicle_type", row.get("vehicle_type"));
        vehicle.put("color", row.get("vehicle_color"));
        Map<String, Object> plate = new LinkedHashMap<>();
        plate.put("plate_index", 0);
        plate.put("plate_number", row.get("license_plate"));
        plate.put("confidence", fraction);
        Map<String, Object> detection = new LinkedHashMap<>();
        detection.put("vehicles_count", 1);
        detection.put("plates_count", 1);
        detection.put("confidence_score", fraction);
        detection.put("detection_type", "lpr");
        detection.put("vehicles", List.of(vehicle));
        detection.put("plates", List.of(plate));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("image_path", row.get("image_path"));
        metadata.put("hostname", row.get("hostname"));
        metadata.put("latitude", row.get("latitude"));
        metadata.put("longitude", row.get("longitude"));
        metadata.put("exposure_time", row.get("exposure_time"));
        metadata.put("analog_gain", row.get("analog_gain"));
        metadata.put("lux", row.get("lux"));
        imageFields(row, metadata);
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("message_id", row.get("message_id"));
        msg.put("timestamp", row.get("timestamp"));
        msg.put("camera_id", cameraId);
        msg.put("checkpoint_id", row.get("checkpoint_id"));
        msg.put("detection_data", detection);
        msg.put("metadata", metadata);
        return msg;
    }

    Map<String, Object> seed002Health(Map<String, Object> row, String cameraId) {
        String status = String.valueOf(row.get("status"));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("component", row.get("component"));
        details.put("status", row.get("status"));
        details.put("message", row.get("message"));
        details.put("checkpoint_id", row.get("checkpoint_id"));
        details.put("hostname", row.get("hostname"));
        details.put("system_info", systemInfo(row.get("system_info")));
        List<Map<String, Object>> alerts = new ArrayList<>();
        String health = healthStatus(status);
        if (!"healthy".equals(health)) {
            Map<String, Object> alert = new LinkedHashMap<>();
            alert.put("level", "unhealthy".equals(health) ? "error" : "warning");
            alert.put("message", row.get("component") + ": " + row.get("message"));
            alert.put("timestamp", row.get("timestamp"));
            alerts.add(alert);
        }
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("message_id", row.get("message_id"));
        msg.put("timestamp", row.get("timestamp"));
        msg.put("camera_id", cameraId);
        msg.put("health_status", health);
        msg.put("health_details", details);
        msg.put("alerts", alerts);
        return msg;
    }

    /** The camera's check status (PASS, WARN, FAIL, ...) as seed 002's health_status. */
    static String healthStatus(String status) {
        return switch (status == null ? "" : status.toUpperCase()) {
            case "PASS", "OK", "HEALTHY" -> "healthy";
            case "WARN", "WARNING", "DEGRADED" -> "degraded";
            default -> "unhealthy";
        };
    }

    /**
     * A seed 002 message (from this gateway or any other publisher) as the seed 003 message the
     * server's one ingest validates. Detections become one record of their first plate.
     *
     * @param kind {@code detection} or {@code health}: the last topic level it came on
     */
    public Map<String, Object> seed002ToSeed003(String kind, Object message) {
        if (!(message instanceof Map<?, ?> msg)) {
            throw new InvalidRecordException(null, "message must be a JSON object");
        }
        Map<String, Object> data = new LinkedHashMap<>();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("message_id", msg.get("message_id"));
        out.put("action", "insert");
        Object cameraId = msg.get("camera_id");
        if ("detection".equals(kind)) {
            Map<?, ?> detection = object(msg.get("detection_data"), "detection_data");
            Map<?, ?> metadata = msg.get("metadata") instanceof Map<?, ?> m ? m : Map.of();
            if (!(detection.get("plates") instanceof List<?> plates) || plates.isEmpty()) {
                throw new InvalidRecordException("detection_data.plates", "at least one plate is required");
            }
            Map<?, ?> plate = object(plates.get(0), "detection_data.plates[0]");
            Map<?, ?> vehicle = detection.get("vehicles") instanceof List<?> v && !v.isEmpty() && v.get(0) instanceof Map<?, ?> m
                    ? m : Map.of();
            Object confidence = plate.get("confidence") != null ? plate.get("confidence") : detection.get("confidence_score");
            out.put("table", "lpr_detection");
            data.put("license_plate", plate.get("plate_number"));
            data.put("confidence", fractionToPercent(confidence));
            data.put("checkpoint_id", msg.get("checkpoint_id") != null ? msg.get("checkpoint_id") : cameraId);
            data.put("timestamp", msg.get("timestamp"));
            data.put("hostname", metadata.get("hostname") != null ? metadata.get("hostname") : cameraId);
            data.put("vehicle_type", vehicle.get("vehicle_type") != null ? vehicle.get("vehicle_type") : vehicle.get("vehicle_class"));
            data.put("vehicle_color", vehicle.get("color"));
            for (String key : List.of("latitude", "longitude", "exposure_time", "analog_gain", "lux",
                    "image_file", "image_sha256", "image_size")) {
                data.put(key, metadata.get(key));
            }
        } else if ("health".equals(kind)) {
            Map<?, ?> details = msg.get("health_details") instanceof Map<?, ?> m ? m : Map.of();
            out.put("table", "health_monitor");
            data.put("checkpoint_id", details.get("checkpoint_id") != null ? details.get("checkpoint_id")
                    : msg.get("checkpoint_id") != null ? msg.get("checkpoint_id") : cameraId);
            data.put("hostname", details.get("hostname") != null ? details.get("hostname") : cameraId);
            data.put("timestamp", msg.get("timestamp"));
            data.put("component", details.get("component") != null ? details.get("component") : "system");
            data.put("status", details.get("status") != null ? details.get("status") : msg.get("health_status"));
            data.put("message", details.get("message") != null ? details.get("message") : alertSummary(msg.get("alerts")));
            Map<String, Object> info = new LinkedHashMap<>();
            details.forEach((k, v) -> info.put(String.valueOf(k), v));
            if (msg.get("alerts") instanceof List<?> alerts && !alerts.isEmpty()) {
                info.put("alerts", alerts);
            }
            info.put("health_status", msg.get("health_status"));
            data.put("system_info", info);
        } else {
            throw new InvalidRecordException("topic", "not a detection or health topic: " + kind);
        }
        out.put("data", data);
        return out;
    }

    /** Seed 002 confidences are fractions (number or numeric text); anything else goes on for the validator to refuse. */
    private static Object fractionToPercent(Object confidence) {
        if (confidence instanceof Number n) {
            return n.doubleValue() * 100.0;
        }
        // only a plain decimal: Java would also read 0x1p-4 or 1e-1d, which no camera sends
        if (confidence instanceof String text && org.lprgateway.ingest.RecordValidator.PLAIN_DECIMAL.matcher(text.strip()).matches()) {
            return Double.parseDouble(text.strip()) * 100.0;
        }
        return confidence;
    }

    private static Map<?, ?> object(Object value, String field) {
        if (value instanceof Map<?, ?> m) {
            return m;
        }
        throw new InvalidRecordException(field, "required object is missing");
    }

    private static String alertSummary(Object alerts) {
        if (!(alerts instanceof List<?> list) || list.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (Object a : list) {
            parts.add(a instanceof Map<?, ?> m ? m.get("level") + ": " + m.get("message") : String.valueOf(a));
        }
        return String.join("; ", parts);
    }
}
