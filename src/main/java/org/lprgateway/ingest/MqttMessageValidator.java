package org.lprgateway.ingest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Checks what only an MQTT message has before it is mapped onto a record: the camera id in its
 * topic and in its {@code camera_id} field, and for a health report the report itself, which the
 * server also keeps as the camera's {@code last_health} and serves back on {@code GET /api/cameras}.
 *
 * <p>A health report: {@code health_status} one of {@link #HEALTH_STATUSES}; {@code health_details},
 * if present, an object whose {@code cpu_usage}, {@code memory_usage} and {@code disk_usage} are
 * percentages, {@code temperature} degrees Celsius and {@code uptime_seconds} not negative (each a
 * JSON number or null); {@code alerts}, if present, a list of objects with a {@code level} of
 * {@link #ALERT_LEVELS} and a {@code message} text; no control or bidirectional formatting
 * characters in any text; at most {@code maxBytes} as JSON.
 */
public class MqttMessageValidator {

    public static final Set<String> HEALTH_STATUSES = Set.of("healthy", "degraded", "unhealthy", "unknown");
    public static final Set<String> ALERT_LEVELS = Set.of("info", "warning", "error", "critical");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ALERTS = 100;

    private int maxBytes = 16384;

    /** Largest health report (bytes as JSON). */
    public void setMaxBytes(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * @param kind          {@code detection} or {@code health}, the last topic level
     * @param message       the parsed message
     * @param topicCameraId the camera level of the topic it came on
     * @return the message unchanged
     * @throws InvalidRecordException naming the first offending field ({@code topic} for the topic)
     */
    public Map<?, ?> check(String kind, Object message, String topicCameraId) {
        CameraIds.check(topicCameraId, "topic");
        if (!(message instanceof Map<?, ?> msg)) {
            throw new InvalidRecordException(null, "message must be a JSON object");
        }
        Object cameraId = msg.get("camera_id");
        if (cameraId != null) {
            CameraIds.check(cameraId, "camera_id");
            if (!cameraId.equals(topicCameraId)) {
                throw new InvalidRecordException("camera_id", "is not the camera of the topic (" + topicCameraId + ")");
            }
        }
        if ("health".equals(kind)) {
            health(msg);
        }
        return msg;
    }

    private void health(Map<?, ?> msg) {
        try {
            int bytes = JSON.writeValueAsString(msg).getBytes(StandardCharsets.UTF_8).length;
            if (bytes > maxBytes) {
                throw new InvalidRecordException(null, "health report larger than " + maxBytes + " bytes");
            }
        } catch (JsonProcessingException e) {
            throw new InvalidRecordException(null, "health report not serialisable: " + e.getOriginalMessage());
        }
        RecordValidator.checkTexts(msg, "health report");
        Object status = msg.get("health_status");
        if (!(status instanceof String s) || !HEALTH_STATUSES.contains(s)) {
            throw new InvalidRecordException("health_status", "must be one of " + sorted(HEALTH_STATUSES));
        }
        Object details = msg.get("health_details");
        if (details != null) {
            if (!(details instanceof Map<?, ?> d)) {
                throw new InvalidRecordException("health_details", "must be an object");
            }
            for (String key : List.of("cpu_usage", "memory_usage", "disk_usage")) {
                range(d.get(key), 0, 100, "health_details." + key);
            }
            range(d.get("temperature"), -100, 200, "health_details.temperature");
            range(d.get("uptime_seconds"), 0, Double.MAX_VALUE, "health_details.uptime_seconds");
        }
        Object alerts = msg.get("alerts");
        if (alerts != null) {
            if (!(alerts instanceof List<?> list) || list.size() > MAX_ALERTS) {
                throw new InvalidRecordException("alerts", "must be a list of at most " + MAX_ALERTS + " alerts");
            }
            for (int i = 0; i < list.size(); i++) {
                if (!(list.get(i) instanceof Map<?, ?> a)) {
                    throw new InvalidRecordException("alerts[" + i + "]", "must be an object");
                }
                if (!(a.get("level") instanceof String level) || !ALERT_LEVELS.contains(level)) {
                    throw new InvalidRecordException("alerts[" + i + "].level", "must be one of " + sorted(ALERT_LEVELS));
                }
                if (!(a.get("message") instanceof String)) {
                    throw new InvalidRecordException("alerts[" + i + "].message", "required text is missing");
                }
            }
        }
    }

    private static void range(Object value, double min, double max, String field) {
        if (value == null) {
            return;
        }
        if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw new InvalidRecordException(field, "must be a number");
        }
        if (n.doubleValue() < min || n.doubleValue() > max) {
            throw new InvalidRecordException(field, "must be between " + min + " and " + max);
        }
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}
