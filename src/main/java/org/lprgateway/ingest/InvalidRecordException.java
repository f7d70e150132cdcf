package org.lprgateway.ingest;

/** A message that can never be stored as it is: the sender must not retry it unchanged. */
public class InvalidRecordException extends RuntimeException {

    private final String field;

    public InvalidRecordException(String field, String problem) {
        super(field == null ? problem : field + ": " + problem);
        this.field = field;
    }

    /** The offending field, dotted from the message root (for example {@code data.confidence}). */
    public String getField() {
        return field;
    }
}
