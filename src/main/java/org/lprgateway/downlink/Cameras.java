package org.lprgateway.downlink;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.lprgateway.ingest.CameraIds;

/** Server side: camera ids from MQTT topics and API paths, and the camera list of the API. */
public class Cameras {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Cameras remembered for {@link #contactDue}; beyond this many the memory starts afresh. */
    private static final int MAX_REMEMBERED = 100_000;

    private final Map<String, Long> contactWritten = new java.util.concurrent.ConcurrentHashMap<>();
    private long lastSeenResolutionMillis = 1000;

    /** A camera's last contact is written at most this often (ms): not once per message of a backlog. */
    public void setLastSeenResolutionMillis(long lastSeenResolutionMillis) {
        this.lastSeenResolutionMillis = lastSeenResolutionMillis;
    }

    /**
     * Whether a camera's last contact is due to be written now: true when it was last written
     * {@code lastSeenResolutionMillis} ago or more (or never by this process), and then counts as
     * written now.
     */
    public boolean contactDue(String cameraId) {
        long now = System.currentTimeMillis();
        if (contactWritten.size() > MAX_REMEMBERED) {
            contactWritten.clear();
        }
        boolean[] due = {false};
        contactWritten.compute(cameraId, (id, last) -> {
            due[0] = last == null || now - last >= lastSeenResolutionMillis;
            return due[0] ? now : last;
        });
        return due[0];
    }

    /** {@code CAM001} of {@code lprserver/cameras/CAM001/health}, or null. */
    public String cameraOf(String topic) {
        if (topic == null) {
            return null;
        }
        String[] parts = topic.split("/");
        return parts.length >= 3 && "cameras".equals(parts[1]) ? parts[2] : null;
    }

    /** Whether a camera id (from a topic, a request path, a message) follows {@link CameraIds}. */
    public boolean valid(String cameraId) {
        return CameraIds.valid(cameraId);
    }

    /** A camera id for a log line: itself when valid, else a placeholder (it may be thousands of characters of markup). */
    public String printable(String cameraId) {
        return CameraIds.valid(cameraId) ? cameraId : "(invalid camera id)";
    }

    /** {@code online} or {@code offline} of a presence message (plain text), or null for anything else. */
    public String presenceOf(String payload) {
        String p = payload == null ? "" : payload.strip().toLowerCase(java.util.Locale.ROOT);
        return "online".equals(p) || "offline".equals(p) ? p : null;
    }

    /** The {@code health_status} of a seed 002 health message (JSON text), or null. */
    public String healthStatusOf(String json) {
        try {
            Object v = JSON.readValue(json, Map.class).get("health_status");
            return v == null ? null : v.toString();
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }

    /** Camera rows with {@code last_health} turned from JSON text back into an object. */
    public List<Map<String, Object>> withParsedHealth(List<Map<String, Object>> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Map<String, Object> r = new LinkedHashMap<>(row);
            if (r.get("last_health") instanceof String s) {
                try {
                    r.put("last_health", JSON.readValue(s, Object.class));
                } catch (JsonProcessingException e) {
                    // kept as text
                }
            }
            out.add(r);
        }
        return out;
    }
}
