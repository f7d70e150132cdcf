package org.lprgateway.metrics;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CameraPresenceMetricsTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final CameraPresenceMetrics metrics = new CameraPresenceMetrics();

    private double gauge(String name, String camera) {
        return registry.get(name).tag("camera_id", camera).gauge().value();
    }

    @Test
    void each_camera_reads_1_online_or_0_offline_and_the_seconds_since_its_last_change() {
        metrics.use(registry, Clock.fixed(Instant.parse("2026-01-01T10:05:00Z"), ZoneOffset.UTC));
        metrics.measure(List.of(
                Map.of("camera_id", "CAM001", "presence", "online", "presence_since", "2026-01-01T10:04:30.000Z"),
                Map.of("camera_id", "CAM002", "presence", "offline", "presence_since", "2026-01-01T10:00:00.000Z")));

        assertThat(gauge("lpr.camera.online", "CAM001")).isEqualTo(1);
        assertThat(gauge("lpr.camera.status.age.seconds", "CAM001")).isEqualTo(30);
        assertThat(gauge("lpr.camera.online", "CAM002")).isZero();
        assertThat(gauge("lpr.camera.status.age.seconds", "CAM002")).isEqualTo(300);

        metrics.measure(List.of(Map.of("camera_id", "CAM002", "presence", "online", "presence_since", "2026-01-01T10:04:59.000Z")));
        assertThat(gauge("lpr.camera.online", "CAM002")).isEqualTo(1);
        assertThat(gauge("lpr.camera.status.age.seconds", "CAM002")).isEqualTo(1);
    }

    @Test
    void the_gauges_come_back_after_the_registry_was_cleared_by_a_route_reload() {
        metrics.use(registry, Clock.systemUTC());
        List<Map<String, Object>> rows = List.of(Map.of("camera_id", "CAM001", "presence", "offline",
                "presence_since", Instant.now().toString()));
        metrics.measure(rows);
        registry.clear();
        assertThat(registry.find("lpr.camera.online").gauge()).isNull();
        metrics.measure(rows);
        assertThat(gauge("lpr.camera.online", "CAM001")).isZero();
    }
}
