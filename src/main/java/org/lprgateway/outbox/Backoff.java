package org.lprgateway.outbox;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Delay before a failed row is tried again: exponential in the number of attempts, capped, with
 * "full jitter" (a uniform draw between half the delay and the delay) so that many rows failing
 * together do not retry together.
 */
public class Backoff {

    private long baseMillis = 1000;
    private long maxMillis = 300_000;

    public void setBaseMillis(long baseMillis) {
        this.baseMillis = baseMillis;
    }

    public void setMaxMillis(long maxMillis) {
        this.maxMillis = maxMillis;
    }

    /** @param attempts failed attempts so far, before this one */
    public long delayMillis(int attempts) {
        int exp = Math.max(0, Math.min(attempts, 30));
        long ceiling = Math.min(maxMillis, baseMillis * (1L << Math.min(exp, 20)));
        long floor = ceiling / 2;
        return floor + ThreadLocalRandom.current().nextLong(ceiling - floor + 1);
    }
}
