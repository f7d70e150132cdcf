package org.lprgateway.metrics;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;

/**
 * Server side: per camera, {@code lpr_camera_online} (1 online, 0 offline) and
 * {@code lpr_camera_status_age_seconds} (since the presence last changed, computed when scraped),
 * from rows of the cameras table. A measurement registers the gauges that are missing, so they
 * come back after Camel resets the registry on a route reload.
 */
public class CameraPresenceMetrics implements CamelContextAware {

    /** What the gauges of one camera read. */
    private static final class Presence {
        volatile boolean online;
        volatile long sinceMillis;
    }

    private final Map<String, Presence> cameras = new ConcurrentHashMap<>();
    private CamelContext camelContext;
    private MeterRegistry registry;
    private Clock clock = Clock.systemUTC();

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /** For tests: the registry and clock to use instead of Camel's and the system's. */
    void use(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    private synchronized MeterRegistry registry() {
        if (registry == null) {
            MeterRegistry found = camelContext == null ? null : camelContext.getRegistry().findSingleByType(MeterRegistry.class);
            registry = found != null ? found : new SimpleMeterRegistry();
        }
        return registry;
    }

    /** Rows with {@code camera_id}, {@code presence} (online / offline) and {@code presence_since} (ISO instant). */
    public void measure(List<Map<String, Object>> rows) {
        MeterRegistry r = registry();
        for (Map<String, Object> row : rows) {
            String cameraId = String.valueOf(row.get("camera_id"));
            Presence p = cameras.computeIfAbsent(cameraId, id -> new Presence());
            p.online = "online".equals(row.get("presence"));
            p.sinceMillis = millis(row.get("presence_since"));
            if (r.find("lpr.camera.online").tag("camera_id", cameraId).gauge() == null) {
                Gauge.builder("lpr.camera.online", p, x -> x.online ? 1 : 0)
                        .description("1 while the camera's gateway is connected to the broker, 0 after its offline")
                        .tag("camera_id", cameraId).register(r);
                Gauge.builder("lpr.camera.status.age.seconds", p, x -> Math.max(0, clock.millis() - x.sinceMillis) / 1000.0)
                        .description("seconds since the camera went online or offline")
                        .tag("camera_id", cameraId).register(r);
            }
        }
    }

    private long millis(Object isoInstant) {
        try {
            return isoInstant == null ? clock.millis() : Instant.parse(isoInstant.toString()).toEpochMilli();
        } catch (DateTimeParseException e) {
            return clock.millis();
        }
    }
}
