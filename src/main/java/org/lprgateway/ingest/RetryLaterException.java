package org.lprgateway.ingest;

/**
 * The server cannot take a message now, for a reason the sender may be told: nothing was stored,
 * and the same message may be taken later (answered with code 500, like any failure here).
 */
public class RetryLaterException extends RuntimeException {

    public RetryLaterException(String reason) {
        super(reason);
    }
}
