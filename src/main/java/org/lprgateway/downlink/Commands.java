package org.lprgateway.downlink;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Control commands of seed 002 ({@code message_id}, {@code command}, {@code parameters}) and the
 * responses the edge publishes on {@code .../control/response}: the {@code message_id} answered,
 * {@code camera_id}, {@code command}, {@code status} (success or error), {@code details}.
 */
public class Commands {

    /** A status map with the route groups and their routes' states added as {@code routes}. */
    public Map<String, Object> withRoutes(Map<String, Object> status, Map<String, Object> groups) {
        Map<String, Object> out = new LinkedHashMap<>(status);
        out.put("routes", groups);
        return out;
    }

    public static final List<String> KNOWN = List.of("start_sender", "stop_sender", "restart_sender",
            "run_health_check", "report_status", "resend", "restart_camera");

    private String cameraId = "CAM001";
    private long maxAgeMillis = 300_000L;

    public void setCameraId(String cameraId) {
        this.cameraId = cameraId;
    }

    /**
     * A command whose {@code timestamp} is further than this from the camera's clock (either way) is
     * refused: a recorded command cannot be replayed later; within the window its {@code message_id}
     * is remembered and a repeat is not carried out again.
     */
    public void setMaxAgeMillis(long maxAgeMillis) {
        this.maxAgeMillis = maxAgeMillis;
    }

    /**
     * @return null when the command can be carried out, else why not (malformed, unknown, bad
     *         parameters)
     */
    public String problem(Object message) {
        if (!(message instanceof Map<?, ?> m)) {
            return "command must be a JSON object";
        }
        if (!(m.get("message_id") instanceof String id) || id.isBlank()) {
            return "message_id is required";
        }
        if (m.get("camera_id") != null && !cameraId.equals(m.get("camera_id").toString())) {
            return "this is camera " + cameraId + ", not " + m.get("camera_id");
        }
        Long sent = LiveConfig.epochMillis(m.get("timestamp"));
        if (sent == null) {
            return "timestamp (ISO-8601 date-time) is required";
        }
        if (Math.abs(System.currentTimeMillis() - sent) > maxAgeMillis) {
            return "stale command: timestamp " + m.get("timestamp") + " is more than " + maxAgeMillis
                    + " ms away from this camera's clock";
        }
        if (!(m.get("command") instanceof String command) || command.isBlank()) {
            return "command is required";
        }
        if (!KNOWN.contains(command)) {
            return "unknown command '" + command + "' (known: " + String.join(", ", KNOWN) + ")";
        }
        if (m.get("parameters") != null && !(m.get("parameters") instanceof Map<?, ?>)) {
            return "parameters must be an object";
        }
        if ("resend".equals(command)) {
            Map<?, ?> p = m.get("parameters") instanceof Map<?, ?> pm ? pm : Map.of();
            for (String key : List.of("from", "to")) {
                if (!(p.get(key) instanceof String s) || !isTime(s)) {
                    return "resend needs parameters." + key + " as an ISO-8601 date-time";
                }
            }
        }
        return null;
    }

    private static boolean isTime(String s) {
        try {
            OffsetDateTime.parse(s);
            return true;
        } catch (DateTimeParseException e) {
            try {
                LocalDateTime.parse(s);
                return true;
            } catch (DateTimeParseException e2) {
                return false;
            }
        }
    }

    /** The parameter of a command, or null. */
    public Object parameter(Object message, String key) {
        return message instanceof Map<?, ?> m && m.get("parameters") instanceof Map<?, ?> p ? p.get(key) : null;
    }

    public Map<String, Object> reply(Object message, String status, Object details) {
        Map<String, Object> r = new LinkedHashMap<>();
        Map<?, ?> m = message instanceof Map<?, ?> mm ? mm : Map.of();
        r.put("message_id", m.get("message_id"));
        r.put("camera_id", cameraId);
        r.put("command", m.get("command"));
        r.put("status", status);
        r.put("details", details);
        r.put("timestamp", Instant.now().toString());
        return r;
    }

    /** The reply to a command that arrived before: the first reply, marked as a repeat. */
    public Map<String, Object> repeated(Map<String, Object> first) {
        Map<String, Object> r = new LinkedHashMap<>(first);
        r.put("duplicate", true);
        r.put("timestamp", Instant.now().toString());
        return r;
    }
}
