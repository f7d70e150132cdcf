package org.lprgateway.transport;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether each transport is up or down, as its sends show, so that an outage is logged when it
 * starts and when it ends instead of once per row per poll.
 * <p>
 * The first failed send of a transport that was up logs one WARN with its reason; later failures
 * are counted, not logged (the status line names the transports that are down, their failure count
 * and for how long). The first successful send after that logs one INFO with the outage's length
 * and count, and opens a recovery, as does the network probe finding the server again after it
 * did not: each outbox table then releases its rows waiting for a later attempt once
 * ({@link #takeRecovery}), so that a backlog goes as soon as a transport is back rather than when
 * each row's backoff ends.
 */
public class TransportStates {

    private static final Logger LOG = LoggerFactory.getLogger("org.lprgateway.transport");

    /** One transport's outage: when it started, how many sends failed, the first reason. */
    private static final class Outage {
        final long sinceNanos = System.nanoTime();
        final AtomicLong failures = new AtomicLong();
        final String firstReason;

        Outage(String firstReason) {
            this.firstReason = firstReason;
        }
    }

    private final Map<String, Outage> down = new ConcurrentHashMap<>();
    private final AtomicLong recoveries = new AtomicLong();
    private final Map<String, Long> recoveriesTaken = new ConcurrentHashMap<>();

    /** A send over this transport failed (not a breaker short-circuit: nothing was tried then). */
    public void failed(String transport, String reason) {
        Outage outage = down.computeIfAbsent(transport, t -> {
            LOG.warn("transport {} down: {} (rows wait for it or fall back; further failures are counted in the status line)",
                    t, reason == null ? "no reason given" : reason.strip());
            return new Outage(reason);
        });
        outage.failures.incrementAndGet();
    }

    /**
     * A send over this transport that started at {@code startNanos} ({@link System#nanoTime()})
     * succeeded. One that started before the outage did (in flight when the connection broke) does
     * not end it: only a send made while the transport was down shows it is back.
     */
    public void sent(String transport, long startNanos) {
        if (down.isEmpty()) {
            return;
        }
        Outage outage = down.get(transport);
        if (outage == null || startNanos - outage.sinceNanos < 0) {
            return;
        }
        if (down.remove(transport, outage)) {
            LOG.info("transport {} back after {} s down, {} failed sends (first: {})", transport,
                    String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - outage.sinceNanos) / 1e9),
                    outage.failures.get(), outage.firstReason == null ? "no reason given" : outage.firstReason.strip());
            recoveries.incrementAndGet();
        }
    }

    private volatile Boolean reachable;

    /** The network probe's latest answer: the server reachable again after it was not opens a recovery. */
    public void probed(boolean nowReachable) {
        Boolean before = reachable;
        reachable = nowReachable;
        if (Boolean.FALSE.equals(before) && nowReachable) {
            LOG.info("server reachable again (network probe)");
            recoveries.incrementAndGet();
        } else if (Boolean.TRUE.equals(before) && !nowReachable) {
            LOG.warn("server unreachable (network probe)");
        }
    }

    /**
     * True once per table after each transport recovery: the table's rows waiting for a later attempt
     * may go now.
     */
    public boolean takeRecovery(String table) {
        long now = recoveries.get();
        if (now == 0) {
            return false;
        }
        Long before = recoveriesTaken.put(table, now);
        return before == null || before != now;
    }

    public boolean isDown(String transport) {
        return down.containsKey(transport);
    }

    /** For the status line: {@code all up}, or {@code down: mqtt 42s (120 failed)}. */
    public String summary() {
        if (down.isEmpty()) {
            return "transports up";
        }
        StringBuilder b = new StringBuilder("down:");
        long now = System.nanoTime();
        new TreeMap<>(down).forEach((t, o) -> b.append(' ').append(t).append(' ').append((now - o.sinceNanos) / 1_000_000_000L).append("s (")
                .append(o.failures.get()).append(" failed)"));
        return b.toString();
    }
}
