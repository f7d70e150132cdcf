package org.lprgateway.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.lprgateway.network.NetworkQuality;

/**
 * The gateway's own meters on Camel's Micrometer registry (served as Prometheus text on
 * /metrics): per transport sent, failed and fallback counts and a latency histogram, the network
 * class and probe figures, and the outbox backlog per table. Routes call it; it holds no logic.
 */
public class GatewayMetrics implements CamelContextAware {

    private CamelContext camelContext;
    private NetworkQuality networkQuality;
    private org.lprgateway.image.ImageCodec imageCodec;
    private volatile MeterRegistry registry;
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> sentSinceStart = new java.util.concurrent.ConcurrentSkipListMap<>();

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    public void setNetworkQuality(NetworkQuality networkQuality) {
        this.networkQuality = networkQuality;
    }

    public void setImageCodec(org.lprgateway.image.ImageCodec imageCodec) {
        this.imageCodec = imageCodec;
    }

    private MeterRegistry registry() {
        MeterRegistry r = registry;
        if (r == null) {
            synchronized (this) {
                if (registry == null) {
                    MeterRegistry found = camelContext == null ? null
                            : camelContext.getRegistry().findSingleByType(MeterRegistry.class);
                    registry = found != null ? found : new SimpleMeterRegistry();
                    if (networkQuality != null) {
                        NetworkQuality nq = networkQuality;
                        Gauge.builder("lpr.network.quality.level", nq, NetworkQuality::level)
                                .description("network class: 4 excellent, 3 good, 2 fair, 1 poor, 0 unknown").register(registry);
                        Gauge.builder("lpr.network.latency.seconds", nq, q -> q.latencyMillis() / 1000.0)
                                .description("mean probe round-trip over the latency window (network.probe.window)").register(registry);
                        Gauge.builder("lpr.network.loss.ratio", nq, q -> q.lossPercent() / 100.0)
                                .description("lost probes over the loss window (network.probe.lossWindow)").register(registry);
                    }
                    if (imageCodec != null) {
                        org.lprgateway.image.ImageCodec codec = imageCodec;
                        io.micrometer.core.instrument.FunctionCounter.builder("lpr.image.inline.missing", codec,
                                org.lprgateway.image.ImageCodec::getMissingCount)
                                .description("records sent without their image: file missing").register(registry);
                        io.micrometer.core.instrument.FunctionCounter.builder("lpr.image.inline.unreadable", codec,
                                org.lprgateway.image.ImageCodec::getUnreadableCount)
                                .description("records sent without their image: not a readable image").register(registry);
                    }
                }
                r = registry;
            }
        }
        return r;
    }

    /** Image files (and their bytes) a file transport delivered in one call: one for SFTP, many for rsync. */
    public void imagesSent(String transport, int files, long bytes) {
        Counter.builder("lpr.image.files.sent").description("image files delivered to the server")
                .tag("transport", transport).register(registry()).increment(files);
        Counter.builder("lpr.image.sent.bytes").description("bytes of image files delivered to the server").baseUnit("bytes")
                .tag("transport", transport).register(registry()).increment(bytes);
    }

    /** Image files parked: they can never be sent as they are (path outside the folder, missing, not a JPEG...). */
    public void imagesParked(int files) {
        Counter.builder("lpr.image.files.parked").description("image files parked with a reason")
                .register(registry()).increment(files);
    }

    /** Call before a send; pass the result to {@link #sent} or {@link #failed}. */
    public long start() {
        return System.nanoTime();
    }

    public void sent(String transport, long startNanos) {
        Counter.builder("lpr.transport.sent").description("successful sends: one record, one SFTP file or one rsync call")
                .tag("transport", transport).register(registry()).increment();
        latency(transport, "sent", startNanos);
        sentSinceStart.computeIfAbsent(transport, t -> new AtomicLong()).incrementAndGet();
    }

    /** Records delivered since start, per transport, for the status line: {@code rest=12 websocket=40}. */
    public String sentSummary() {
        if (sentSinceStart.isEmpty()) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        sentSinceStart.forEach((t, n) -> b.append(b.length() == 0 ? "" : " ").append(t).append('=').append(n.get()));
        return b.toString();
    }

    public void failed(String transport, long startNanos) {
        Counter.builder("lpr.transport.failed").description("sends that failed or found the breaker open")
                .tag("transport", transport).register(registry()).increment();
        latency(transport, "failed", startNanos);
    }

    /** A send not even tried because the transport's circuit breaker is open. */
    public void shortCircuited(String transport) {
        Counter.builder("lpr.transport.short.circuited").description("sends skipped because the breaker was open")
                .tag("transport", transport).register(registry()).increment();
    }

    public void rejected(String transport) {
        Counter.builder("lpr.transport.rejected").description("records the server refused as invalid")
                .tag("transport", transport).register(registry()).increment();
    }

    public void fallback(String from, String to) {
        Counter.builder("lpr.transport.fallback").description("records moved from one transport to the next of its chain")
                .tag("from", from).tag("to", to).register(registry()).increment();
    }

    private void latency(String transport, String outcome, long startNanos) {
        Timer.builder("lpr.transport.latency").description("time of one send, acknowledgement included")
                .tag("transport", transport).tag("outcome", outcome)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry()).record(Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /** Backlog of one outbox table: unsent rows, parked rows, age of the oldest unsent row. */
    public void backlog(String table, long unsent, long parked, Double oldestAgeSeconds) {
        gauge("lpr.outbox.unsent", table, "rows waiting for delivery").set(unsent);
        gauge("lpr.outbox.parked", table, "rows parked with a reason").set(parked);
        gauge("lpr.outbox.oldest.unsent.age.seconds", table, "age of the oldest row waiting for delivery")
                .set(oldestAgeSeconds == null ? 0 : Math.round(oldestAgeSeconds * 1000));
    }

    private AtomicLong gauge(String name, String table, String description) {
        return gauges.computeIfAbsent(name + "|" + table, k -> {
            AtomicLong value = new AtomicLong();
            boolean millis = name.endsWith(".seconds");
            Gauge.builder(name, value, v -> millis ? v.get() / 1000.0 : v.get()).description(description)
                    .tag("table", table).register(registry());
            return value;
        });
    }

    /** Backlog per table for the status line: {@code detection_results unsent=3 parked=0 oldest=2s}. */
    public String backlogSummary() {
        StringBuilder b = new StringBuilder();
        for (String table : new java.util.TreeSet<>(gauges.keySet().stream().map(k -> k.substring(k.indexOf('|') + 1)).toList())) {
            long unsent = value("lpr.outbox.unsent", table);
            long parked = value("lpr.outbox.parked", table);
            long oldestMillis = value("lpr.outbox.oldest.unsent.age.seconds", table);
            b.append(b.length() == 0 ? "" : "; ").append(table).append(" unsent=").append(unsent)
                    .append(" parked=").append(parked).append(" oldest=").append(oldestMillis / 1000).append('s');
        }
        return b.length() == 0 ? "not measured yet" : b.toString();
    }

    /** Age in seconds of the oldest row waiting in any table, as last measured. */
    public long oldestUnsentSeconds() {
        long max = 0;
        for (Map.Entry<String, AtomicLong> e : gauges.entrySet()) {
            if (e.getKey().startsWith("lpr.outbox.oldest.unsent.age.seconds|")) {
                max = Math.max(max, e.getValue().get() / 1000);
            }
        }
        return max;
    }

    private long value(String name, String table) {
        AtomicLong v = gauges.get(name + "|" + table);
        return v == null ? 0 : v.get();
    }

    /** What the edge status API shows: network, backlog and deliveries since start. */
    public Map<String, Object> status() {
        Map<String, Object> s = new java.util.LinkedHashMap<>();
        s.put("network", networkQuality == null ? null : networkQuality.status());
        s.put("backlog", backlogSummary());
        s.put("sent_since_start", sentSummary());
        return s;
    }

    private final Map<String, AtomicLong> foreignSent = new ConcurrentHashMap<>();

    /**
     * Camera rows another sender marked sent (the camera application's own sender still running):
     * counted per camera table, and a reason the edge is not ready.
     */
    public void foreignSent(String table, long rows) {
        registry().counter("lpr.camera.rows.sent.elsewhere", "table", table).increment(rows);
        foreignSent.computeIfAbsent(table, t -> new AtomicLong()).addAndGet(rows);
    }

    /** Camera rows that were no longer unsent when this gateway marked them: counted as above; returns how many. */
    public long markedElsewhere(String table, long expected, long updated) {
        long n = Math.max(0, expected - updated);
        if (n > 0) {
            foreignSent(table, n);
        }
        return n;
    }

    /** Conditions an operator must act on, for /ready: empty when there are none. */
    public java.util.List<String> warnings() {
        java.util.List<String> out = new java.util.ArrayList<>();
        foreignSent.forEach((table, n) -> out.add(n.get() + " rows of " + table
                + " were marked sent by another sender (is the camera application's own sender running?)"));
        out.addAll(extraWarnings.values());
        return out;
    }

    private final Map<String, String> extraWarnings = new ConcurrentHashMap<>();

    /** Sets (or with null clears) a named warning that /ready shows until cleared. */
    public void warning(String name, String text) {
        if (text == null || text.isBlank()) {
            extraWarnings.remove(name);
        } else {
            extraWarnings.put(name, text);
        }
    }

    private final AtomicLong diskFreeBytes = new AtomicLong(-1);
    private final AtomicLong diskMinFreeBytes = new AtomicLong();
    private final AtomicLong diskGuardLevel = new AtomicLong();

    /**
     * The disk guard's last run: usable bytes of the tightest file system, its minimum, and the
     * guard level (0 ok, 1 sent images deleted, 2 health rows deleted too). The gauges are
     * registered again at every call, so they come back after a route reload resets the registry.
     */
    public void diskGuard(long freeBytes, long minFreeBytes, int level) {
        diskFreeBytes.set(freeBytes);
        diskMinFreeBytes.set(minFreeBytes);
        diskGuardLevel.set(level);
        MeterRegistry r = registry();
        Gauge.builder("lpr.disk.free.bytes", diskFreeBytes, AtomicLong::get).baseUnit("bytes")
                .description("usable space of the edge's tightest file system (images, databases)").register(r);
        Gauge.builder("lpr.disk.free.min.bytes", diskMinFreeBytes, AtomicLong::get).baseUnit("bytes")
                .description("the minimum below which the disk guard deletes").register(r);
        Gauge.builder("lpr.disk.guard.level", diskGuardLevel, AtomicLong::get)
                .description("disk guard: 0 ok, 1 deleting sent images, 2 deleting health rows too").register(r);
    }

    /**
     * Things retention deleted: {@code kind} outbox_detections, detection_results, image,
     * outbox_health or health_checks; {@code cause} age (retention) or disk (the disk guard).
     */
    public void deletedByRetention(String kind, String cause, long count) {
        if (count > 0) {
            Counter.builder("lpr.retention.deleted").description("rows and image files deleted by retention or the disk guard")
                    .tag("kind", kind).tag("cause", cause).register(registry()).increment(count);
        }
    }

    /** Registers the network gauges even before the first send. */
    public void init() {
        registry();
    }
}
