package org.lprgateway.downlink;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Plate text as the blacklist compares it, Thai and Latin alike: Unicode NFC, Latin letters in
 * upper case, and spaces, dashes and dots removed ({@code "กข-1234 กรุงเทพมหานคร"} and
 * {@code "กข1234กรุงเทพมหานคร"} are one plate; {@code "ab 1234"} is {@code "AB1234"}). The edge's SQL
 * priority rule applies the same steps to the camera's rows.
 */
public final class Plates {

    public String normalize(Object plate) {
        return normalized(plate);
    }

    public static String normalized(Object plate) {
        if (plate == null) {
            return null;
        }
        String s = Normalizer.normalize(plate.toString(), Normalizer.Form.NFC);
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (!Character.isWhitespace(cp) && cp != '-' && cp != '.') {
                b.appendCodePoint(cp);
            }
        });
        return b.toString().toUpperCase(Locale.ROOT);
    }

    /**
     * The plates of a blacklist message ({@code blacklist}: a list of {@code {plate, reason}}) as
     * rows for the edge's table: {@code plate} normalised, {@code reason}.
     *
     * @throws IllegalArgumentException when the message carries no list
     */
    public List<Map<String, Object>> rows(Object message) {
        if (!(message instanceof Map<?, ?> m) || !(m.get("blacklist") instanceof List<?> list)) {
            throw new IllegalArgumentException("blacklist update without a 'blacklist' list");
        }
        Map<String, Map<String, Object>> byPlate = new LinkedHashMap<>();
        for (Object o : list) {
            if (o instanceof Map<?, ?> e && e.get("plate") != null && !normalized(e.get("plate")).isEmpty()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("plate", normalized(e.get("plate")));
                row.put("reason", e.get("reason") == null ? null : e.get("reason").toString());
                byPlate.put((String) row.get("plate"), row);
            }
        }
        return new ArrayList<>(byPlate.values());
    }

    /**
     * A blacklist update for {@code lprserver/blacklist/updates}: the change ({@code action} add or
     * remove, {@code plate}, {@code reason}) and the whole list after it ({@code blacklist}), with a
     * {@code version} (epoch milliseconds) so that a receiver keeps the newest list only. Published
     * retained, so a camera that subscribes later still gets the current list.
     */
    public Map<String, Object> update(String action, Object plate, Object reason, List<Map<String, Object>> list) {
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("message_id", java.util.UUID.randomUUID().toString());
        msg.put("timestamp", java.time.Instant.now().toString());
        msg.put("action", action);
        msg.put("plate", plate);
        msg.put("reason", reason);
        msg.put("version", System.currentTimeMillis());
        msg.put("blacklist", list == null ? List.of() : list);
        return msg;
    }

    /** A hit for {@code lprserver/blacklist/notifications}: the detection and why its plate is listed. */
    public Map<String, Object> notification(Object recordId, Object detectionMessageId, Object plate, Object checkpointId,
                                            Object hostname, Object timestamp, Object reason) {
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("message_id", java.util.UUID.randomUUID().toString());
        msg.put("timestamp", java.time.Instant.now().toString());
        msg.put("license_plate", plate);
        msg.put("normalized_plate", normalized(plate));
        msg.put("reason", reason);
        msg.put("record_id", recordId);
        msg.put("detection_message_id", detectionMessageId);
        msg.put("checkpoint_id", checkpointId);
        msg.put("hostname", hostname);
        msg.put("detected_at", timestamp);
        return msg;
    }
}
