package org.lprgateway.camera;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns the lines a camera layout's mapping read ({@code routes/camera/<layout>/read-*.sql}) into
 * outbox records, and tells the camera's table what was sent.
 *
 * <p>Per line: a stable {@code message_id} (chosen here, once: the outbox keeps it by
 * {@code source_id} and {@code plate_idx}); the camera's zone-less timestamp read in
 * {@code camera.timezone} and written with its offset; {@code detected_at}, the same instant in
 * epoch ms, for ages. A detection line without a plate ({@code plate_idx} NULL: a vehicle-only
 * row, a plate OCR could not read) becomes a record that is never sent but lets the camera's row
 * be marked handled. Lines the camera table already had marked sent are not taken.
 */
public class CameraRows {

    /** Every column of an outbox record; a mapping may leave any but source_id out. */
    static final List<String> DETECTION_FIELDS = List.of("source_id", "plate_idx", "message_id", "license_plate",
            "confidence", "checkpoint_id", "timestamp", "detected_at", "hostname", "vehicle_type", "vehicle_color",
            "latitude", "longitude", "image_path", "exposure_time", "analog_gain", "lux", "priority",
            "sent_to_server", "sent_via", "last_error", "image_state");
    static final List<String> HEALTH_FIELDS = List.of("source_id", "message_id", "checkpoint_id", "hostname",
            "timestamp", "detected_at", "component", "status", "message", "system_info", "priority");

    /** What a record without a plate is booked as: sent by no transport, for the reason given. */
    public static final String NO_PLATE = "no readable plate in the camera's row: nothing to send";

    private ZoneId zone = ZoneId.systemDefault();
    private String hostname;

    public void setTimezone(String timezone) {
        this.zone = timezone == null || timezone.isBlank() ? ZoneId.systemDefault() : ZoneId.of(timezone.strip());
    }

    public ZoneId zone() {
        return zone;
    }

    public void setHostname(String hostname) {
        this.hostname = hostname;
    }

    /** The host name records carry when the camera's table has none: camera.hostname, else this machine's. */
    public String hostname() {
        if (hostname == null || hostname.isBlank()) {
            try {
                hostname = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                hostname = "unknown";
            }
        }
        return hostname;
    }

    /**
     * @param lines       what the mapping read: one line per record, with {@code source_id} and
     *                    {@code camera_sent} (the camera row's own sent flag)
     * @param kind   detections or health
     * @return the outbox records to insert, every field present (null where the mapping gave none)
     */
    public List<Map<String, Object>> records(List<Map<String, Object>> lines, String kind) {
        boolean detections = "detections".equals(kind);
        List<Map<String, Object>> out = new ArrayList<>(lines.size());
        for (Map<String, Object> line : lines) {
            if (isTrue(line.get("camera_sent"))) {
                continue;
            }
            Map<String, Object> r = new LinkedHashMap<>();
            for (String field : detections ? DETECTION_FIELDS : HEALTH_FIELDS) {
                r.put(field, line.get(field));
            }
            r.put("message_id", UUID.randomUUID().toString());
            Object ts = line.get("timestamp");
            OffsetDateTime at = instant(ts);
            r.put("timestamp", at == null ? ts : at.toString());
            r.put("detected_at", at == null ? null : at.toInstant().toEpochMilli());
            if (detections) {
                r.put("sent_to_server", 0);
                if (line.get("plate_idx") == null) {
                    r.put("plate_idx", -1);
                    r.put("sent_to_server", 1);
                    r.put("sent_via", "none");
                    r.put("last_error", NO_PLATE);
                    r.put("image_state", "none");
                }
            }
            out.add(r);
        }
        return out;
    }

    /** The highest camera row id among the lines: where the next intake starts. */
    public long lastSourceId(List<Map<String, Object>> lines, long watermark) {
        long max = watermark;
        for (Map<String, Object> line : lines) {
            if (line.get("source_id") instanceof Number n) {
                max = Math.max(max, n.longValue());
            }
        }
        return max;
    }

    /**
     * Camera rows that were already marked sent when intake met them although they are newer than
     * the camera table was when the gateway first saw it: another sender marks rows sent.
     */
    public long foreignSent(List<Map<String, Object>> lines, long baseline) {
        return lines.stream()
                .filter(l -> isTrue(l.get("camera_sent")))
                .filter(l -> l.get("source_id") instanceof Number n && n.longValue() > baseline)
                .map(l -> l.get("source_id"))
                .distinct()
                .count();
    }

    /** The marks for the camera's rows, with {@code sent_at} as the camera writes it: local time, no zone. */
    public List<Map<String, Object>> sentMarks(List<Map<String, Object>> rows) {
        String now = LocalDateTime.now(zone).truncatedTo(ChronoUnit.MICROS).format(CAMERA_TIME);
        for (Map<String, Object> row : rows) {
            row.put("sent_at", now);
        }
        return rows;
    }

    private static final DateTimeFormatter CAMERA_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

    /**
     * A camera timestamp as an instant: ISO text with or without {@code T}, fraction and offset; a
     * zone-less one is local time in camera.timezone. Null when it is not a time at all.
     */
    public OffsetDateTime instant(Object timestamp) {
        if (timestamp == null) {
            return null;
        }
        String text = timestamp.toString().strip().replace(' ', 'T');
        if (text.isEmpty()) {
            return null;
        }
        try {
            return text.endsWith("Z") || hasOffset(text)
                    ? OffsetDateTime.parse(text)
                    : LocalDateTime.parse(text).atZone(zone).toOffsetDateTime();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A camera time (see {@link #instant}) in epoch ms; null when it is not a time. */
    public Long epochMillis(Object timestamp) {
        OffsetDateTime at = instant(timestamp);
        return at == null ? null : at.toInstant().toEpochMilli();
    }

    private static boolean hasOffset(String text) {
        int t = text.indexOf('T');
        return t > 0 && (text.indexOf('+', t) > 0 || text.indexOf('-', t) > 0);
    }

    private static boolean isTrue(Object flag) {
        if (flag instanceof Number n) {
            return n.intValue() != 0;
        }
        if (flag instanceof Boolean b) {
            return b;
        }
        return flag != null && ("1".equals(flag.toString().strip()) || "true".equalsIgnoreCase(flag.toString().strip()));
    }
}
