package org.lprgateway.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lprgateway.support.Db;
import org.lprgateway.support.GatewayProcess;
import org.lprgateway.support.Http;
import org.lprgateway.support.Metrics;
import org.lprgateway.support.Mosquitto;
import org.lprgateway.support.MqttProbe;
import org.lprgateway.support.MqttProbe.Received;
import org.lprgateway.support.Ports;
import org.lprgateway.support.ProcessTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The edge's one MQTT connection and the presence it carries, with a real Mosquitto and edge and
 * server as processes: every MQTT path of the edge goes through one broker connection, which comes
 * back with its subscriptions after the broker lost everything; the server shows the camera online
 * while that connection is up and offline once it is gone.
 */
class PresenceIT extends ProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATUS = "lprserver/cameras/CAM001/status";
    private static final Pattern CLIENT_CONNECTED = Pattern.compile("New client connected from \\S+ as (\\S+) \\(");

    private final Path dir;
    private final int serverHttp = Ports.free();
    private final int edgeHttp = Ports.free();
    private final String server = "http://127.0.0.1:" + serverHttp;
    private Mosquitto broker;
    private MqttProbe probe;

    PresenceIT() throws Exception {
        dir = Files.createTempDirectory("presence");
    }

    @BeforeEach
    void startBrokerAndServer() throws Exception {
        broker = track(new Mosquitto()).start();
        probe = track(new MqttProbe(broker.url(), "probe-" + UUID.randomUUID()))
                .subscribe("lprserver/#", 1).subscribe("$SYS/broker/clients/connected", 0);
        track(new GatewayProcess("presence-server", "server"))
                .filesUnder(dir)
                .set("gateway.http.port", serverHttp)
                .set("websocket.port", Ports.free())
                .set("server.db.path", dir.resolve("server.db"))
                .set("mqtt.brokerUrl", broker.url())
                .set("mqtt.maxReconnectDelayMillis", 1000)
                .set("metrics.cameraPresenceIntervalMillis", 500)
                .start().awaitHttp(serverHttp, "/health");
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(server + "/ready").statusCode() == 200);
    }

    private GatewayProcess startEdge(int keepAliveSeconds) throws Exception {
        return track(new GatewayProcess("presence-edge", "edge"))
                .filesUnder(dir)
                .set("gateway.http.port", edgeHttp)
                .set("edge.db.path", dir.resolve("edge.db"))
                .set("mqtt.brokerUrl", broker.url())
                .set("mqtt.keepAliveSeconds", keepAliveSeconds)
                .set("mqtt.maxReconnectDelayMillis", 1000)
                .set("gateway.transport.pinned", "mqtt")
                .set("rest.url", server + "/api/lpr/data")
                .set("network.probe.url", server + "/health")
                .set("images.enabled", false)
                .set("health.intervalMillis", 1000)
                // a detection published while the server's ingest had not subscribed again yet (broker
                // restart below) is sent again soon
                .set("mqtt.confirm.graceSeconds", 5)
                .set("mqtt.confirm.checkIntervalMillis", 1000)
                .start().awaitHttp(edgeHttp, "/health");
    }

    private Map<String, Object> camera() throws Exception {
        List<Map<String, Object>> cameras = JSON.readValue(Http.get(server + "/api/cameras").body(), new TypeReference<>() { });
        return cameras.stream().filter(c -> "CAM001".equals(c.get("camera_id"))).findFirst().orElse(Map.of());
    }

    private String presence() throws Exception {
        return String.valueOf(camera().get("presence"));
    }

    /** Client ids of the MQTT connections the broker accepted in this part of its log. */
    private static List<String> clients(String log) {
        Matcher m = CLIENT_CONNECTED.matcher(log);
        List<String> ids = new java.util.ArrayList<>();
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    private static long count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }

    private static Map<String, Object> json(String text) throws Exception {
        return JSON.readValue(text, new TypeReference<>() { });
    }

    /** Every MQTT path of the edge: detections and their acknowledgements, health, config, control, blacklist. */
    private void useEveryMqttPath(Db edgeDb, String plate, int version) throws Exception {
        edgeDb.insertDetections(5, plate);
        edgeDb.insertHealth("camera", "PASS", "ok " + plate);
        // the gateway's own bookkeeping (confirmations, blacklist copy) is in its outbox file
        Db outbox = new Db(dir.resolve("edge.db-outbox.db"));
        await().atMost(Duration.ofSeconds(60)).until(() ->
                edgeDb.count("SELECT count(*) FROM detection_results WHERE sent_to_server = 0") == 0
                        && edgeDb.count("SELECT count(*) FROM health_checks WHERE sent_to_server = 0") == 0
                        && outbox.count("SELECT count(*) FROM mqtt_unconfirmed") == 0);
        assertThat(outbox.count("SELECT count(*) FROM outbox_detections WHERE license_plate LIKE '" + plate + " %' AND sent_at IS NOT NULL"))
                .isEqualTo(5);
        var config = Http.postJson(server + "/api/cameras/CAM001/config", "{\"version\": " + version + ", \"config_data\": {\"batch_size\": 50}}");
        assertThat(config.statusCode()).as(config.body()).isEqualTo(200);
        assertThat(json(config.body())).containsEntry("status", "applied");
        var control = Http.postJson(server + "/api/cameras/CAM001/control", "{\"command\": \"report_status\"}");
        assertThat(control.statusCode()).as(control.body()).isEqualTo(200);
        assertThat(json(control.body())).containsEntry("status", "success");
        var listed = Http.postJson(server + "/api/blacklist", "{\"plate\": \"" + plate + "-9\", \"reason\": \"test\"}");
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                outbox.count("SELECT count(*) FROM plate_blacklist WHERE plate = '" + plate + "9'") == 1);
    }

    @Test
    void the_edge_keeps_one_broker_connection_for_all_its_topics_also_after_the_broker_lost_its_sessions() throws Exception {
        int logBeforeEdge = broker.log().length();
        GatewayProcess edge = startEdge(60);
        Db edgeDb = new Db(dir.resolve("edge.db"));
        await().atMost(Duration.ofSeconds(30)).until(() -> "online".equals(presence()));

        useEveryMqttPath(edgeDb, "ONE", 3);
        // the gateway's own health report went out too
        await().atMost(Duration.ofSeconds(10)).until(() -> probe.on("lprserver/cameras/CAM001/health").stream()
                .anyMatch(r -> r.payload().contains("\"component\":\"lpr-gateway\"")));

        String edgeLog = broker.log().substring(logBeforeEdge);
        assertThat(clients(edgeLog)).as(edgeLog).containsExactly("lpr-edge-CAM001");
        assertThat(count(edgeLog, "New connection from")).as("TCP connections of the edge, MQTT or not").isEqualTo(1);
        // the broker's own count: probe, the server's three (own, detection ingest, health ingest), the edge
        assertThat(clients(broker.log())).containsExactlyInAnyOrder(probe.clientId(),
                "lpr-server-1", "lpr-server-1-detection", "lpr-server-1-health", "lpr-edge-CAM001");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<Received> sys = probe.on("$SYS/broker/clients/connected");
            return !sys.isEmpty() && "5".equals(sys.get(sys.size() - 1).payload());
        });

        // a broker that lost every session and retained message on the same port: the edge
        // reconnects, subscribes again and says online again; still one connection
        broker.stop();
        broker = track(new Mosquitto(broker.port())).start();
        try (MqttProbe fresh = new MqttProbe(broker.url(), "fresh-" + UUID.randomUUID()).subscribe(STATUS, 1)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> fresh.on(STATUS).stream().anyMatch(r -> "online".equals(r.payload())));
        }
        try (MqttProbe late = new MqttProbe(broker.url(), "late-" + UUID.randomUUID()).subscribe(STATUS, 1)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !late.on(STATUS).isEmpty());
            assertThat(late.on(STATUS).get(0)).isEqualTo(new Received(STATUS, "online", 1, true));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(server + "/ready").statusCode() == 200
                && Http.get("http://127.0.0.1:" + edgeHttp + "/ready").statusCode() == 200);
        useEveryMqttPath(edgeDb, "TWO", 4);
        assertThat(clients(broker.log()).stream().filter(id -> id.startsWith("lpr-edge")).toList()).containsExactly("lpr-edge-CAM001");

        // a graceful stop says offline itself
        String since = String.valueOf(camera().get("presence_since"));
        edge.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> "offline".equals(presence()));
        assertThat(camera().get("presence_since")).isNotEqualTo(since);
    }

    @Test
    void the_server_shows_the_camera_online_while_its_edge_is_connected_and_offline_after_its_keep_alive_expired() throws Exception {
        GatewayProcess edge = startEdge(2);
        await().atMost(Duration.ofSeconds(30)).until(() -> "online".equals(presence()));
        assertThat(camera()).containsKeys("presence_since", "last_seen", "last_health_status");
        await().atMost(Duration.ofSeconds(10)).until(() -> Metrics.value(serverHttp, "lpr_camera_online", "camera_id=\"CAM001\"") == 1);
        assertThat(Metrics.value(serverHttp, "lpr_camera_status_age_seconds", "camera_id=\"CAM001\"")).isGreaterThanOrEqualTo(0);

        // frozen: the socket stays open, so the broker waits for 1.5 x the keep-alive (3 s), then
        // publishes the edge's last will
        edge.pause();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> "online".equals(presence()));
        await().atMost(Duration.ofSeconds(15)).until(() -> "offline".equals(presence()));
        await().atMost(Duration.ofSeconds(10)).until(() -> Metrics.value(serverHttp, "lpr_camera_online", "camera_id=\"CAM001\"") == 0);
        String offlineSince = String.valueOf(camera().get("presence_since"));

        // back: Paho finds its connection closed, reconnects and says online again
        edge.resume();
        await().atMost(Duration.ofSeconds(30)).until(() -> "online".equals(presence()));
        assertThat(camera().get("presence_since")).isNotEqualTo(offlineSince);

        // killed: the will again (on loopback the kernel closes the socket at once, so the broker
        // need not even wait for the keep-alive)
        edge.kill();
        await().atMost(Duration.ofSeconds(15)).until(() -> "offline".equals(presence()));
        try (MqttProbe late = new MqttProbe(broker.url(), "late-" + UUID.randomUUID()).subscribe(STATUS, 1)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !late.on(STATUS).isEmpty());
            assertThat(late.on(STATUS).get(0)).isEqualTo(new Received(STATUS, "offline", 1, true));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Metrics.value(serverHttp, "lpr_camera_online", "camera_id=\"CAM001\"") == 0);
    }
}
