package org.lprgateway.ingest;

/**
 * A {@code message_id} that is already stored arrived with different content. The stored record
 * (and its image) stays as it is; the sender must not retry the message.
 */
public class ConflictingDuplicateException extends RuntimeException {

    private final String field;

    public ConflictingDuplicateException(String field, String problem) {
        super("message_id already stored with different content: " + field + " " + problem);
        this.field = field;
    }

    /** The first field found to differ, as stored (for example {@code license_plate}). */
    public String getField() {
        return field;
    }
}
