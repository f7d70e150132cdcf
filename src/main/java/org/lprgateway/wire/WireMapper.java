package org.lprgateway.wire;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one translation between the camera's SQLite rows and the wire messages. The field table in
 * docs/wire-mapping.md documents every column; keep the two in step.
 */
public class WireMapper {

    public static final String DETECTION_TABLE = "detection_results";
    public static final String HEALTH_TABLE = "health_checks";

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
}
