package org.lprgateway.downlink;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.lprgateway.mqtt.MqttConnectionComponent;
import org.lprgateway.network.NetworkQuality;

/**
 * The edge's own health report in the seed 002 health shape. Figures: CPU, memory and disk use
 * (percent), temperature (when {@code /sys/class/thermal} has it), system and gateway uptime,
 * network class, whether the server answers the network probe and the edge's MQTT connection is
 * up, unsent backlog and the age of the oldest unsent row.
 *
 * <p>Rules: each figure at or above its warning threshold adds a {@code warning} alert, at or above
 * its critical threshold an {@code error} alert. {@code health_status} is {@code unhealthy} with
 * any error alert, {@code degraded} with any warning alert, {@code healthy} otherwise. The server
 * and the broker both unreachable is an error; one of them, or a poor network, a warning.
 */
public class SystemHealth implements CamelContextAware {

    private NetworkQuality networkQuality;
    private org.lprgateway.metrics.GatewayMetrics gatewayMetrics;
    private String cameraId = "CAM001";
    private String diskPath = "data";
    private String brokerUrl = "tcp://localhost:1883";
    private String mqttComponent;
    private CamelContext camelContext;
    private String temperatureFile = "/sys/class/thermal/thermal_zone0/temp";
    private double cpuWarn = 80;
    private double cpuCritical = 95;
    private double memoryWarn = 85;
    private double memoryCritical = 95;
    private double diskWarn = 85;
    private double diskCritical = 95;
    private double temperatureWarn = 70;
    private double temperatureCritical = 80;
    private double backlogWarn = 1000;
    private double backlogCritical = 50000;
    private double oldestUnsentWarnSeconds = 600;
    private double oldestUnsentCriticalSeconds = 3600;

    public void setNetworkQuality(NetworkQuality networkQuality) { this.networkQuality = networkQuality; }
    public void setGatewayMetrics(org.lprgateway.metrics.GatewayMetrics gatewayMetrics) { this.gatewayMetrics = gatewayMetrics; }
    public void setCameraId(String cameraId) { this.cameraId = cameraId; }
    public void setDiskPath(String diskPath) { this.diskPath = diskPath; }
    public void setBrokerUrl(String brokerUrl) { this.brokerUrl = brokerUrl; }
    /** Name of the edge's MQTT connection component: its state is reported; without it, a TCP connect to brokerUrl. */
    public void setMqttComponent(String mqttComponent) { this.mqttComponent = mqttComponent; }
    @Override
    public CamelContext getCamelContext() { return camelContext; }
    @Override
    public void setCamelContext(CamelContext camelContext) { this.camelContext = camelContext; }
    public void setTemperatureFile(String temperatureFile) { this.temperatureFile = temperatureFile; }
    public void setCpuWarn(double v) { cpuWarn = v; }
    public void setCpuCritical(double v) { cpuCritical = v; }
    public void setMemoryWarn(double v) { memoryWarn = v; }
    public void setMemoryCritical(double v) { memoryCritical = v; }
    public void setDiskWarn(double v) { diskWarn = v; }
    public void setDiskCritical(double v) { diskCritical = v; }
    public void setTemperatureWarn(double v) { temperatureWarn = v; }
    public void setTemperatureCritical(double v) { temperatureCritical = v; }
    public void setBacklogWarn(double v) { backlogWarn = v; }
    public void setBacklogCritical(double v) { backlogCritical = v; }
    public void setOldestUnsentWarnSeconds(double v) { oldestUnsentWarnSeconds = v; }
    public void setOldestUnsentCriticalSeconds(double v) { oldestUnsentCriticalSeconds = v; }

    /**
     * @param outbox a row with {@code unsent} and {@code last_detection} (the edge's SQL gives it);
     *               the oldest unsent age comes from the backlog meters
     */
    public Map<String, Object> report(Map<String, Object> outbox) {
        String now = Instant.now().toString();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("component", "lpr-gateway");
        d.put("cpu_usage", round(cpuPercent()));
        d.put("memory_usage", round(memoryPercent()));
        d.put("disk_usage", round(diskPercent()));
        d.put("temperature", temperature());
        d.put("uptime_seconds", systemUptimeSeconds());
        d.put("gateway_uptime_seconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
        boolean serverReachable = networkQuality != null && networkQuality.reachable();
        boolean brokerReachable = brokerReachable();
        String networkClass = networkQuality == null ? "unknown" : networkQuality.current();
        d.put("network_status", serverReachable || brokerReachable ? "connected" : "disconnected");
        d.put("network_class", networkClass);
        d.put("server_reachable", serverReachable);
        d.put("mqtt_connected", brokerReachable);
        Object last = outbox == null ? null : outbox.get("last_detection");
        d.put("last_detection", last);
        d.put("camera_status", last == null ? "idle" : "active");
        long unsent = number(outbox, "unsent");
        long oldest = gatewayMetrics != null ? gatewayMetrics.oldestUnsentSeconds() : number(outbox, "oldest_unsent_age_seconds");
        d.put("unsent_backlog", unsent);
        d.put("oldest_unsent_age_seconds", oldest);

        List<Map<String, Object>> alerts = new ArrayList<>();
        check(alerts, now, "cpu_usage", (Double) d.get("cpu_usage"), cpuWarn, cpuCritical, "CPU use");
        check(alerts, now, "memory_usage", (Double) d.get("memory_usage"), memoryWarn, memoryCritical, "memory use");
        check(alerts, now, "disk_usage", (Double) d.get("disk_usage"), diskWarn, diskCritical, "disk use");
        check(alerts, now, "temperature", (Double) d.get("temperature"), temperatureWarn, temperatureCritical, "temperature");
        check(alerts, now, "unsent_backlog", (double) unsent, backlogWarn, backlogCritical, "unsent backlog");
        check(alerts, now, "oldest_unsent_age_seconds", (double) oldest, oldestUnsentWarnSeconds, oldestUnsentCriticalSeconds,
                "oldest unsent row age");
        if (!serverReachable && !brokerReachable) {
            alerts.add(alert("error", "neither the server nor the MQTT broker is reachable", now, "network_status", null, null));
        } else if (!serverReachable) {
            alerts.add(alert("warning", "the server does not answer the network probe", now, "server_reachable", null, null));
        } else if (!brokerReachable) {
            alerts.add(alert("warning", "the MQTT broker does not accept connections", now, "mqtt_connected", null, null));
        }
        if ("poor".equals(networkClass)) {
            alerts.add(alert("warning", "network quality is poor", now, "network_class", null, null));
        }
        String status = alerts.stream().anyMatch(a -> "error".equals(a.get("level"))) ? "unhealthy"
                : alerts.isEmpty() ? "healthy" : "degraded";
        d.put("status", status);

        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("message_id", UUID.randomUUID().toString());
        msg.put("timestamp", now);
        msg.put("camera_id", cameraId);
        msg.put("health_status", status);
        msg.put("health_details", d);
        msg.put("alerts", alerts);
        return msg;
    }

    private static void check(List<Map<String, Object>> alerts, String now, String metric, Double value,
                              double warn, double critical, String what) {
        if (value == null) {
            return;
        }
        if (value >= critical) {
            alerts.add(alert("error", what + " " + value + " at or above " + critical, now, metric, value, critical));
        } else if (value >= warn) {
            alerts.add(alert("warning", what + " " + value + " at or above " + warn, now, metric, value, warn));
        }
    }

    private static Map<String, Object> alert(String level, String message, String now, String metric, Double value, Double threshold) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("level", level);
        a.put("message", message);
        a.put("timestamp", now);
        a.put("metric", metric);
        if (value != null) {
            a.put("value", value);
            a.put("threshold", threshold);
        }
        return a;
    }

    private static long number(Map<String, Object> m, String key) {
        return m != null && m.get(key) instanceof Number n ? Math.round(n.doubleValue()) : 0;
    }

    private static Double round(Double v) {
        return v == null ? null : Math.round(v * 10) / 10.0;
    }

    Double cpuPercent() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            double load = os.getCpuLoad();
            return load < 0 ? null : load * 100;
        }
        return null;
    }

    /** Used memory in percent: from MemAvailable of /proc/meminfo (page cache counts as free), else the JVM's view. */
    Double memoryPercent() {
        try {
            long total = -1;
            long available = -1;
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    total = Long.parseLong(line.replaceAll("\\D", ""));
                } else if (line.startsWith("MemAvailable:")) {
                    available = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
            if (total > 0 && available >= 0) {
                return 100.0 * (total - available) / total;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: below
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                && os.getTotalMemorySize() > 0) {
            return 100.0 * (os.getTotalMemorySize() - os.getFreeMemorySize()) / os.getTotalMemorySize();
        }
        return null;
    }

    Double diskPercent() {
        File f = new File(diskPath).getAbsoluteFile();
        while (f != null && !f.exists()) {
            f = f.getParentFile();
        }
        if (f == null || f.getTotalSpace() == 0) {
            return null;
        }
        return 100.0 * (f.getTotalSpace() - f.getUsableSpace()) / f.getTotalSpace();
    }

    /** Degrees Celsius from the thermal zone (millidegrees in the file), or null where there is none. */
    Double temperature() {
        try {
            String t = Files.readString(Path.of(temperatureFile)).strip();
            return Math.round(Double.parseDouble(t) / 100.0) / 10.0;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static long systemUptimeSeconds() {
        try {
            return (long) Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return ManagementFactory.getRuntimeMXBean().getUptime() / 1000;
        }
    }

    boolean brokerReachable() {
        if (mqttComponent != null && !mqttComponent.isBlank() && camelContext != null) {
            // the context's instance: a reload of the beans file binds a new, unused one under the name
            return camelContext.hasComponent(mqttComponent) instanceof MqttConnectionComponent mqtt
                    && mqtt.isConnected();
        }
        try {
            URI uri = URI.create(brokerUrl.split(",")[0].strip());
            int port = uri.getPort() > 0 ? uri.getPort() : ("ssl".equals(uri.getScheme()) ? 8883 : 1883);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(uri.getHost(), port), 1000);
                return true;
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
