package org.lprgateway.outbox;

/**
 * The server refused a record as invalid. Retrying it unchanged, on any transport, cannot succeed,
 * so the outbox counts it towards parking instead of treating it as a transport failure.
 */
public class RecordRejectedException extends RuntimeException {

    public RecordRejectedException(String message) {
        super(message);
    }
}
