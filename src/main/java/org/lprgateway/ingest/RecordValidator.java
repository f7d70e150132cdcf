package org.lprgateway.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Checks a seed 003 message ({@code table}, {@code action}, {@code data}, optional {@code message_id})
 * and turns it into the columns of the server table it belongs to. Every transport's ingest calls
 * this one method, so a record is judged the same way whichever way it came.
 *
 * <p>A message without {@code message_id} (the existing Python sender sends none) gets a name-based
 * UUID derived from its natural key: table, checkpoint_id, hostname, timestamp and license_plate
 * (detections) or component (health). The same reading sent twice therefore maps to one record,
 * and two different readings never do (see {@link #naturalKeyId}).
 *
 * <p>Beyond shape: text carries no control or bidirectional formatting characters ({@link SafeText});
 * numbers sent as text are plain decimals ({@code 87.5}, not {@code 0x1p6} or {@code 1e2});
 * timestamps lie between {@code earliestTimestamp} and {@code maxFutureSkewSeconds} from now (a
 * timestamp without offset is read as UTC, so the skew must cover the cameras' zone offsets); a
 * {@code camera_id}, when a message carries one, follows {@link CameraIds}.
 */
public class RecordValidator {

    public static final String DETECTION = "lpr_detection";
    public static final String HEALTH = "health_monitor";

    private static final ObjectMapper JSON = new ObjectMapper();

    private int maxTextLength = 255;
    private int maxPlateLength = 32;
    private int maxMessageLength = 2000;
    private int maxSystemInfoBytes = 16384;
    private Instant earliestTimestamp = Instant.parse("2000-01-01T00:00:00Z");
    private long maxFutureSkewSeconds = 86400;
    private Clock clock = Clock.systemUTC();

    /** A plain decimal number as text: optional minus, digits, optional fraction. */
    public static final Pattern PLAIN_DECIMAL = Pattern.compile("-?(?:[0-9]{1,18}(?:\\.[0-9]{1,18})?|\\.[0-9]{1,18})");

    public void setMaxTextLength(int maxTextLength) {
        this.maxTextLength = maxTextLength;
    }

    public void setMaxPlateLength(int maxPlateLength) {
        this.maxPlateLength = maxPlateLength;
    }

    public void setMaxMessageLength(int maxMessageLength) {
        this.maxMessageLength = maxMessageLength;
    }

    public void setMaxSystemInfoBytes(int maxSystemInfoBytes) {
        this.maxSystemInfoBytes = maxSystemInfoBytes;
    }

    /** ISO-8601 instant (e.g. {@code 2000-01-01T00:00:00Z}): older record timestamps are refused. */
    public void setEarliestTimestamp(String earliestTimestamp) {
        this.earliestTimestamp = OffsetDateTime.parse(earliestTimestamp).toInstant();
    }

    /** Seconds a record timestamp may lie ahead of this server's clock. */
    public void setMaxFutureSkewSeconds(long maxFutureSkewSeconds) {
        this.maxFutureSkewSeconds = maxFutureSkewSeconds;
    }

    void setClock(Clock clock) {
        this.clock = clock;
    }

    /**
     * The parsed body of a message, which must be a JSON object: an array, a string, a number or
     * {@code null} is refused for good (the sender must not retry it), never taken for a failure here.
     */
    public Map<?, ?> requireObject(Object body) {
        if (body instanceof Map<?, ?> m) {
            return m;
        }
        throw new InvalidRecordException(null, "message must be a JSON object, not "
                + (body == null ? "null" : body instanceof List<?> ? "an array"
                : body instanceof String ? "a string" : body instanceof Number ? "a number"
                : body instanceof Boolean ? "a boolean" : body.getClass().getSimpleName()));
    }
    /**
     * @return the record's columns, plus {@code table} (the wire table name) and {@code message_id}
     * @throws InvalidRecordException naming the first offending field
     */
    public Map<String, Object> validate(Object message) {
        if (!(message instanceof Map<?, ?> msg)) {
            throw new InvalidRecordException(null, "message must be a JSON object");
        }
        String table = requiredText(msg, "table", "table", 32);
        Object action = msg.get("action");
        if (action != null && !"insert".equals(action)) {
            throw new InvalidRecordException("action", "only 'insert' is supported");
        }
        if (!(msg.get("data") instanceof Map<?, ?> data)) {
            throw new InvalidRecordException("data", "required object is missing");
        }
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("table", table);
        if (data.get("camera_id") != null) {
            CameraIds.check(data.get("camera_id"), "data.camera_id");
        }
        switch (table) {
            case DETECTION -> detection(data, rec);
            case HEALTH -> health(data, rec);
            default -> throw new InvalidRecordException("table", "unknown table '" + table
                    + "' (expected " + DETECTION + " or " + HEALTH + ")");
        }
        Object id = msg.get("message_id") != null ? msg.get("message_id") : data.get("message_id");
        rec.put("message_id", id == null ? naturalKeyId(rec) : uuid(id));
        if (rec.get("image_file") instanceof String file && !file.endsWith("/" + rec.get("message_id") + ".jpg")) {
            throw new InvalidRecordException("data.image_file", "must end with /<message_id>.jpg of this record");
        }
        return rec;
    }

    private void detection(Map<?, ?> d, Map<String, Object> rec) {
        rec.put("license_plate", requiredText(d, "license_plate", "data.license_plate", maxPlateLength));
        Double confidence = number(d, "confidence", "data.confidence", true);
        if (confidence < 0 || confidence > 100) {
            throw new InvalidRecordException("data.confidence", "must be between 0 and 100");
        }
        rec.put("confidence", confidence);
        common(d, rec);
        rec.put("vehicle_type", optionalText(d, "vehicle_type", "data.vehicle_type", maxTextLength));
        rec.put("vehicle_color", optionalText(d, "vehicle_color", "data.vehicle_color", maxTextLength));
        rec.put("latitude", range(number(d, "latitude", "data.latitude", false), -90, 90, "data.latitude"));
        rec.put("longitude", range(number(d, "longitude", "data.longitude", false), -180, 180, "data.longitude"));
        rec.put("exposure_time", range(number(d, "exposure_time", "data.exposure_time", false), 0, 3600, "data.exposure_time"));
        rec.put("analog_gain", range(number(d, "analog_gain", "data.analog_gain", false), 0, 1e6, "data.analog_gain"));
        rec.put("lux", range(number(d, "lux", "data.lux", false), 0, 1e7, "data.lux"));
        // checked and stored by the ImageStore, not a column
        rec.put("image", d.get("image"));
        // the original JPEG, sent apart by SFTP or rsync: its name and digest link it to this record
        String sha = optionalText(d, "image_sha256", "data.image_sha256", 64);
        if (sha != null && !SHA256.matcher(sha).matches()) {
            throw new InvalidRecordException("data.image_sha256", "must be 64 lower-case hex digits");
        }
        String file = optionalText(d, "image_file", "data.image_file", maxTextLength);
        java.util.regex.Matcher name = file == null ? null : org.lprgateway.files.ImageInbox.NAME.matcher(file);
        if (name != null && !name.matches()) {
            throw new InvalidRecordException("data.image_file", "must be <camera_id>/<yyyy-mm-dd>/<message_id>.jpg");
        }
        if (name != null) {
            CameraIds.check(name.group(1), "data.image_file");
        }
        if ((sha == null) != (file == null)) {
            throw new InvalidRecordException(sha == null ? "data.image_sha256" : "data.image_file",
                    "image_file and image_sha256 come together");
        }
        Double size = range(number(d, "image_size", "data.image_size", false), 0, Long.MAX_VALUE, "data.image_size");
        rec.put("image_file", file);
        rec.put("image_sha256", sha);
        rec.put("image_size", size == null ? null : size.longValue());
    }

    private static final java.util.regex.Pattern SHA256 = java.util.regex.Pattern.compile("[0-9a-f]{64}");

    private void health(Map<?, ?> d, Map<String, Object> rec) {
        common(d, rec);
        rec.put("component", requiredText(d, "component", "data.component", maxTextLength));
        rec.put("status", requiredText(d, "status", "data.status", maxTextLength));
        rec.put("message", SafeText.check(optionalText(d, "message", "data.message", maxMessageLength, true), "data.message", true));
        Object info = d.get("system_info");
        String infoText = null;
        if (info instanceof Map<?, ?> || info instanceof java.util.List<?>) {
            try {
                infoText = JSON.writeValueAsString(info);
            } catch (JsonProcessingException e) {
                throw new InvalidRecordException("data.system_info", "not serialisable: " + e.getOriginalMessage());
            }
        } else if (info instanceof String s) {
            infoText = s;
        } else if (info != null) {
            throw new InvalidRecordException("data.system_info", "must be an object or a string");
        }
        if (infoText != null && infoText.getBytes(StandardCharsets.UTF_8).length > maxSystemInfoBytes) {
            throw new InvalidRecordException("data.system_info", "larger than " + maxSystemInfoBytes + " bytes");
        }
        // checked after the size, so an oversized tree is refused before it is walked
        checkTexts(info, "data.system_info");
        rec.put("system_info", infoText);
    }

    private void common(Map<?, ?> d, Map<String, Object> rec) {
        rec.put("checkpoint_id", requiredText(d, "checkpoint_id", "data.checkpoint_id", maxTextLength));
        rec.put("hostname", requiredText(d, "hostname", "data.hostname", maxTextLength));
        String ts = requiredText(d, "timestamp", "data.timestamp", 64);
        rec.put("timestamp", checkTimestamp(ts, "data.timestamp"));
    }

    /**
     * An ISO-8601 date-time, with or without offset (without: read as UTC), between
     * {@code earliestTimestamp} and now plus {@code maxFutureSkewSeconds}.
     *
     * @return {@code ts} unchanged
     */
    public String checkTimestamp(String ts, String field) {
        Instant at;
        try {
            at = OffsetDateTime.parse(ts).toInstant();
        } catch (DateTimeParseException e) {
            try {
                at = LocalDateTime.parse(ts).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw new InvalidRecordException(field, "not an ISO-8601 date-time: '" + ts + "'");
            }
        }
        if (at.isBefore(earliestTimestamp)) {
            throw new InvalidRecordException(field, "before " + earliestTimestamp + ": '" + ts + "'");
        }
        Instant latest = clock.instant().plusSeconds(maxFutureSkewSeconds);
        if (at.isAfter(latest)) {
            throw new InvalidRecordException(field, "more than " + maxFutureSkewSeconds
                    + " s ahead of the server's clock: '" + ts + "'");
        }
        return ts;
    }

    /** Every string in a JSON tree (keys and values) is free text without control characters. */
    static void checkTexts(Object node, String field) {
        if (node instanceof String s) {
            SafeText.check(s, field, true);
        } else if (node instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                SafeText.check(String.valueOf(e.getKey()), field, false);
                checkTexts(e.getValue(), field);
            }
        } else if (node instanceof List<?> l) {
            for (Object o : l) {
                checkTexts(o, field);
            }
        }
    }

    private static String requiredText(Map<?, ?> m, String key, String field, int max) {
        String s = optionalText(m, key, field, max);
        if (s == null || s.isBlank()) {
            throw new InvalidRecordException(field, "required text is missing or empty");
        }
        return s;
    }

    private static String optionalText(Map<?, ?> m, String key, String field, int max) {
        return SafeText.check(optionalText(m, key, field, max, false), field, false);
    }

    private static String optionalText(Map<?, ?> m, String key, String field, int max, boolean multiline) {
        Object v = m.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Map<?, ?> || v instanceof java.util.List<?> || v instanceof Boolean) {
            throw new InvalidRecordException(field, "must be text");
        }
        String s = v.toString();
        if (s.length() > max) {
            throw new InvalidRecordException(field, "longer than " + max + " characters");
        }
        return s;
    }

    /** Numbers may come as JSON numbers or numeric strings; an empty string counts as absent (seed 003 sends ""). */
    private static Double number(Map<?, ?> m, String key, String field, boolean required) {
        Object v = m.get(key);
        if (v instanceof String s && s.isBlank()) {
            v = null;
        }
        if (v == null) {
            if (required) {
                throw new InvalidRecordException(field, "required number is missing");
            }
            return null;
        }
        if (v instanceof Number n) {
            return finite(n.doubleValue(), field);
        }
        if (v instanceof String s) {
            String t = s.strip();
            if (!PLAIN_DECIMAL.matcher(t).matches()) {
                throw new InvalidRecordException(field, "not a plain decimal number: '"
                        + (t.length() > 40 ? t.substring(0, 40) + "..." : t) + "'");
            }
            return finite(Double.parseDouble(t), field);
        }
        throw new InvalidRecordException(field, "must be a number");
    }

    private static Double finite(double d, String field) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new InvalidRecordException(field, "must be a finite number");
        }
        return d;
    }

    private static Double range(Double v, double min, double max, String field) {
        if (v != null && (v < min || v > max)) {
            throw new InvalidRecordException(field, "must be between " + min + " and " + max);
        }
        return v;
    }

    private static String uuid(Object id) {
        try {
            return UUID.fromString(id.toString()).toString();
        } catch (IllegalArgumentException e) {
            throw new InvalidRecordException("message_id", "not a UUID: '" + id + "'");
        }
    }

    /**
     * The name-based UUID of a record without {@code message_id}, over an unambiguous encoding of
     * its natural key. Fields joined with {@code |} are ambiguous once a field contains {@code |}
     * ({@code A|B}+{@code C} and {@code A}+{@code B|C} give the same text), so such a key is encoded
     * as a JSON array instead. A key without {@code |} in any field keeps the joined form: it is
     * unambiguous (the field count is fixed), and the records already stored under it are still
     * recognised when their sender retries. The two encodings never meet: a joined key starts with
     * the table name, a JSON array with {@code [}.
     */
    static String naturalKeyId(Map<String, Object> rec) {
        String last = DETECTION.equals(rec.get("table")) ? (String) rec.get("license_plate") : (String) rec.get("component");
        List<String> fields = java.util.Arrays.asList(String.valueOf(rec.get("table")), String.valueOf(rec.get("checkpoint_id")),
                String.valueOf(rec.get("hostname")), String.valueOf(rec.get("timestamp")), String.valueOf(last));
        String key;
        if (fields.stream().noneMatch(f -> f.indexOf('|') >= 0)) {
            key = String.join("|", fields);
        } else {
            try {
                key = JSON.writeValueAsString(fields);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
