package org.lprgateway.ingest;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Tells an idempotent retry from a conflicting duplicate. A {@code message_id} that is already
 * stored is a retry when the new message says the same thing: the sender is answered with the
 * stored record. When it says something else, the sender has a bug or someone forges records:
 * {@link ConflictingDuplicateException}. Either way the stored record and its image stay as they are.
 *
 * <p>Compared: the fields that identify a reading (detections: plate, checkpoint, host, time,
 * confidence; health: checkpoint, host, time, component, status) and the images, each only when
 * both sides have it. The same record comes through different transports in different shapes (no
 * inline image over REST and MQTT, confidence as a fraction over MQTT), so an absent optional
 * field is no conflict, and confidences agree within {@value #CONFIDENCE_TOLERANCE}.
 */
public class DuplicateRecords {

    static final double CONFIDENCE_TOLERANCE = 1e-6;

    private static final List<String> DETECTION_FIELDS = List.of("license_plate", "checkpoint_id", "hostname", "timestamp");
    private static final List<String> HEALTH_FIELDS = List.of("checkpoint_id", "hostname", "timestamp", "component", "status");
    private static final List<String> IMAGE_FIELDS = List.of("image_sha256", "preview_sha256");

    /**
     * @param stored   the stored row (column names as keys)
     * @param incoming the validated record of the new message
     * @return the stored record's id when the two agree
     * @throws ConflictingDuplicateException naming the first field that differs
     */
    public Object check(Map<String, Object> stored, Map<String, Object> incoming) {
        boolean detection = RecordValidator.DETECTION.equals(incoming.get("table"));
        for (String field : detection ? DETECTION_FIELDS : HEALTH_FIELDS) {
            if (!Objects.equals(text(stored.get(field)), text(incoming.get(field)))) {
                throw new ConflictingDuplicateException(field, "differs");
            }
        }
        if (detection) {
            if (stored.get("confidence") instanceof Number a && incoming.get("confidence") instanceof Number b
                    && Math.abs(a.doubleValue() - b.doubleValue()) > CONFIDENCE_TOLERANCE) {
                throw new ConflictingDuplicateException("confidence", "differs");
            }
            for (String field : IMAGE_FIELDS) {
                Object a = stored.get(field);
                Object b = incoming.get(field);
                if (a != null && b != null && !a.equals(b)) {
                    throw new ConflictingDuplicateException(field, "differs: another image");
                }
            }
        }
        return stored.get("id");
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
