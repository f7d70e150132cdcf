package org.lprgateway.it;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lprgateway.support.Db;
import org.lprgateway.support.GatewayProcess;
import org.lprgateway.support.Http;
import org.lprgateway.support.Mosquitto;
import org.lprgateway.support.MqttProbe;
import org.lprgateway.support.MqttProbe.Received;
import org.lprgateway.support.Ports;
import org.lprgateway.support.ProcessTest;
import org.lprgateway.support.Signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Health, remote config, control and the blacklist over a real Mosquitto, with edge and server as
 * processes: the server's API sends config and control down and returns the camera's answer.
 */
class DownlinkIT extends ProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final int serverHttp = Ports.free();
    private final int serverWs = Ports.free();
    private final int edgeHttp = Ports.free();
    private Mosquitto broker;
    private MqttProbe probe;
    private GatewayProcess edge;
    private Db edgeDb;
    private Db outbox;
    private Db serverDb;

    DownlinkIT() throws Exception {
        dir = Files.createTempDirectory("downlink");
    }

    @BeforeEach
    void start() throws Exception {
        broker = track(new Mosquitto()).start();
        probe = track(new MqttProbe(broker.url(), "probe-" + UUID.randomUUID())).subscribe("lprserver/#", 2);
        track(new GatewayProcess("downlink-server", "server"))
                .filesUnder(dir)
                .set("gateway.http.port", serverHttp)
                .set("websocket.port", serverWs)
                .set("server.db.path", dir.resolve("server.db"))
                .set("mqtt.brokerUrl", broker.url())
                .set("downlink.responseTimeoutMillis", 5000)
                .start().awaitHttp(serverHttp, "/health");
        serverDb = new Db(dir.resolve("server.db"));
        edge = startEdge();
        edgeDb = new Db(dir.resolve("edge.db"));
        outbox = new Db(dir.resolve("edge.db-outbox.db"));
        // the edge's subscriptions are up once its effective config is published
        await().atMost(Duration.ofSeconds(60)).until(() -> !probe.on("lprserver/cameras/CAM001/config").isEmpty());
    }

    private GatewayProcess startEdge() throws Exception {
        return track(new GatewayProcess("downlink-edge", "edge"))
                .filesUnder(dir)
                .set("gateway.http.port", edgeHttp)
                .set("edge.db.path", dir.resolve("edge.db"))
                .set("mqtt.brokerUrl", broker.url())
                .set("rest.url", "http://127.0.0.1:" + serverHttp + "/api/lpr/data")
                .set("websocket.url", "ws://127.0.0.1:" + serverWs + "/")
                .set("network.probe.url", "http://127.0.0.1:" + serverHttp + "/health")
                .set("images.enabled", false)
                .set("outbox.batchSize", 5)
                .set("health.intervalMillis", 1000)
                .set("health.coalesceIntervalMillis", 500)
                .set("control.restartCamera.command", "/bin/sh")
                .set("control.restartCamera.args", "-c \"echo restarted >> " + dir.resolve("restarts.txt") + "\"")
                .start().awaitHttp(edgeHttp, "/health");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String text) throws Exception {
        return JSON.readValue(text, Map.class);
    }

    private Map<String, Object> control(String body) throws Exception {
        HttpResponse<String> r = Http.postJson("http://127.0.0.1:" + serverHttp + "/api/cameras/CAM001/control", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r.body());
    }

    private HttpResponse<String> config(String body) {
        return Http.postJson("http://127.0.0.1:" + serverHttp + "/api/cameras/CAM001/config", body);
    }

    private List<Map<String, Object>> responses(String topic) throws Exception {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (Received r : probe.on(topic)) {
            out.add(json(r.payload()));
        }
        return out;
    }

    @Test
    void every_control_command_is_answered_with_its_message_id_and_carried_out_once() throws Exception {
        // a camera that does not answer: 504 after downlink.responseTimeoutMillis; a bad camera id: 400
        HttpResponse<String> silent = Http.postJson("http://127.0.0.1:" + serverHttp + "/api/cameras/CAM999/control", "{\"command\": \"report_status\"}");
        assertThat(silent.statusCode()).isEqualTo(504);
        assertThat(json(silent.body())).containsEntry("status", "timeout");
        assertThat(Http.postJson("http://127.0.0.1:" + serverHttp + "/api/cameras/CAM%2B1/control", "{\"command\": \"report_status\"}")
                .statusCode()).isEqualTo(400);

        Map<String, Object> status = control("{\"command\": \"report_status\"}");
        assertThat(status).containsEntry("status", "success").containsEntry("command", "report_status").containsKey("message_id");
        assertThat(status.get("details").toString()).contains("network").contains("poll-detections=Started");

        Map<String, Object> stopped = control("{\"command\": \"stop_sender\"}");
        assertThat(stopped.get("details").toString()).contains("poll-detections=Stopped").contains("poll-health-checks=Stopped");
        edgeDb.insertDetections(3, "HELD", 80.0);
        Thread.sleep(2000);
        assertThat(edgeDb.count("SELECT count(*) FROM detection_results WHERE sent_to_server = 0")).isEqualTo(3);
        assertThat(control("{\"command\": \"start_sender\"}").get("details").toString()).contains("poll-detections=Started");
        await().atMost(Duration.ofSeconds(30)).until(() -> serverDb.count("SELECT count(*) FROM lpr_detections WHERE license_plate LIKE 'HELD %'") == 3);
        assertThat(control("{\"command\": \"restart_sender\"}").get("details").toString()).contains("poll-detections=Started");

        Map<String, Object> health = control("{\"command\": \"run_health_check\"}");
        assertThat(health).containsEntry("status", "success");
        assertThat(((Map<?, ?>) health.get("details")).get("health_status").toString()).isIn("healthy", "degraded", "unhealthy");

        // resend: the range is queued again; the server's idempotency keeps one copy
        String from = LocalDateTime.now().minusMinutes(5).toString();
        String to = LocalDateTime.now().plusMinutes(5).toString();
        Map<String, Object> resent = control("{\"command\": \"resend\", \"parameters\": {\"from\": \"" + from + "\", \"to\": \"" + to + "\"}}");
        assertThat(resent).containsEntry("status", "success");
        assertThat(resent.get("details").toString()).contains("requeued detection_results=3");
        await().atMost(Duration.ofSeconds(30)).until(() -> outbox.count("SELECT count(*) FROM outbox_detections WHERE sent_to_server = 0") == 0);
        assertThat(serverDb.count("SELECT count(*) FROM lpr_detections WHERE license_plate LIKE 'HELD %'")).isEqualTo(3);
        assertThat(control("{\"command\": \"resend\", \"parameters\": {\"from\": \"yesterday\"}}"))
                .containsEntry("status", "error").extractingByKey("details").asString().contains("parameters.from");

        // the hook runs once per message_id, however often the command arrives
        String id = UUID.randomUUID().toString();
        String restart = "{\"message_id\": \"" + id + "\", \"timestamp\": \"" + Instant.now() + "\", \"camera_id\": \"CAM001\","
                + " \"command\": \"restart_camera\", \"parameters\": {\"reason\": \"test\"}}";
        publishSigned("lprserver/cameras/CAM001/control", restart);
        publishSigned("lprserver/cameras/CAM001/control", restart);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                responses("lprserver/cameras/CAM001/control/response").stream().filter(r -> id.equals(r.get("message_id"))).count() == 2);
        List<Map<String, Object>> answers = responses("lprserver/cameras/CAM001/control/response").stream()
                .filter(r -> id.equals(r.get("message_id"))).toList();
        assertThat(answers.get(0)).containsEntry("status", "success").containsEntry("details", "exit code 0");
        assertThat(answers.get(1)).containsEntry("status", "success").containsEntry("duplicate", true);
        assertThat(Files.readAllLines(dir.resolve("restarts.txt"))).containsExactly("restarted");

        // unknown and malformed commands get an error answer
        Map<String, Object> unknown = control("{\"command\": \"self_destruct\"}");
        assertThat(unknown).containsEntry("status", "error");
        assertThat(unknown.get("details").toString()).contains("unknown command 'self_destruct'");
        publishSigned("lprserver/cameras/CAM001/control", "this is not json");
        await().atMost(Duration.ofSeconds(20)).until(() -> responses("lprserver/cameras/CAM001/control/response").stream()
                .anyMatch(r -> r.get("message_id") == null && String.valueOf(r.get("details")).startsWith("not a JSON object")));
        // every answer names its command's message_id and the camera
        assertThat(responses("lprserver/cameras/CAM001/control/response")).allSatisfy(r ->
                assertThat(r).containsEntry("camera_id", "CAM001").containsKeys("message_id", "status", "details"));
    }

    @Test
    void a_config_changes_live_settings_survives_a_restart_and_old_or_invalid_ones_change_nothing() throws Exception {
        HttpResponse<String> applied = config("{\"version\": 5, \"config_data\": {\"pinned_transport\": \"rest\", \"batch_size\": 50,"
                + " \"image_quality\": 60, \"poll_interval_ms\": 700, \"detection_interval\": 1000}}");
        assertThat(applied.statusCode()).isEqualTo(200);
        assertThat(json(applied.body())).containsEntry("status", "applied").containsEntry("version", 5)
                .containsEntry("ignored_keys", List.of("detection_interval"));
        await().atMost(Duration.ofSeconds(10)).until(() -> effective().get("version").equals(5));
        assertThat(map(effective().get("config_data"))).containsEntry("pinned_transport", "rest")
                .containsEntry("batch_size", 50).containsEntry("image_quality", 60);
        assertThat(probe.on("lprserver/cameras/CAM001/config").get(probe.on("lprserver/cameras/CAM001/config").size() - 1).qos()).isEqualTo(2);
        // the poll timer runs at the new period (read from its endpoint through Jolokia)
        assertThat(Http.postJson("http://127.0.0.1:" + edgeHttp + "/observe/jolokia", "{\"type\":\"read\",\"mbean\":"
                + "\"org.apache.camel:context=lpr-gateway,type=endpoints,name=\\\"timer://outbox-outbox_detections*\\\"\","
                + "\"attribute\":\"Period\"}").body()).contains("{\"Period\":700}");
        edgeDb.insertDetections(10, "PINNED", 99.0);
        await().atMost(Duration.ofSeconds(30)).until(() -> serverDb.count("SELECT count(*) FROM lpr_detections WHERE license_plate LIKE 'PINNED %'") == 10);
        assertThat(serverDb.count("SELECT count(*) FROM lpr_detections WHERE license_plate LIKE 'PINNED %' AND transport <> 'rest'")).isZero();

        assertThat(json(config("{\"version\": 5, \"config_data\": {\"batch_size\": 7}}").body())).containsEntry("status", "ignored");
        assertThat(json(config("{\"version\": 4, \"config_data\": {\"batch_size\": 7}}").body())).containsEntry("status", "ignored");
        Map<String, Object> invalid = json(config("{\"version\": 6, \"config_data\": {\"batch_size\": 7, \"poll_interval_ms\": 10}}").body());
        assertThat(invalid).containsEntry("status", "refused").containsEntry("field", "config_data.poll_interval_ms");
        assertThat(json(config("{\"version\": 6, \"config_data\": {\"pinned_transport\": \"pigeon\"}}").body()))
                .containsEntry("status", "refused").containsEntry("field", "config_data.pinned_transport");
        // neither version nor timestamp (the server's API always stamps its messages, so straight to the broker)
        assertThat(publishConfig("{\"camera_id\": \"CAM001\", \"config_data\": {\"batch_size\": 7}}"))
                .containsEntry("status", "refused").containsEntry("field", "version");
        assertThat(map(effective().get("config_data"))).containsEntry("batch_size", 50);

        // kept across a restart: the effective config comes back with version 5 and still applies
        edge.stop();
        int before = probe.on("lprserver/cameras/CAM001/config").size();
        edge = startEdge();
        await().atMost(Duration.ofSeconds(60)).until(() -> probe.on("lprserver/cameras/CAM001/config").size() > before);
        assertThat(effective()).containsEntry("version", 5);
        assertThat(map(effective().get("config_data"))).containsEntry("pinned_transport", "rest").containsEntry("batch_size", 50);
        edgeDb.insertDetections(10, "AFTER", 99.0);
        await().atMost(Duration.ofSeconds(30)).until(() -> serverDb.count("SELECT count(*) FROM lpr_detections WHERE license_plate LIKE 'AFTER %'") == 10);
        assertThat(serverDb.count("SELECT count(*) FROM lpr_detections WHERE license_plate LIKE 'AFTER %' AND transport <> 'rest'")).isZero();
        assertThat(json(config("{\"version\": 5, \"config_data\": {\"batch_size\": 7}}").body())).containsEntry("status", "ignored");
    }

    /** Publishes as the server does: QoS 2, signed with the test gateways' key. */
    private void publishSigned(String topic, String payload) throws Exception {
        probe.publish(topic, payload, 2, false, Signing.signed(topic, payload));
    }

    /** Publishes a config message as another server would, with a fresh message_id, and returns the edge's answer. */
    private Map<String, Object> publishConfig(String jsonWithoutId) throws Exception {
        String id = UUID.randomUUID().toString();
        publishSigned("lprserver/cameras/CAM001/config/update", "{\"message_id\": \"" + id + "\", " + jsonWithoutId.substring(1));
        await().atMost(Duration.ofSeconds(20)).until(() -> responses("lprserver/cameras/CAM001/config/response").stream()
                .anyMatch(r -> id.equals(r.get("message_id"))));
        return responses("lprserver/cameras/CAM001/config/response").stream().filter(r -> id.equals(r.get("message_id"))).findFirst().orElseThrow();
    }

    /** A config message in the existing Python server's shape: no version, the time it was sent. */
    private static String stampedConfig(Instant sent, int batchSize) {
        return "{\"timestamp\": \"" + sent + "\", \"camera_id\": \"CAM001\", \"config_type\": \"detection_settings\","
                + " \"config_data\": {\"batch_size\": " + batchSize + ", \"detection_interval\": 1000, \"confidence_threshold\": 0.8}}";
    }

    @Test
    void a_config_without_version_is_ordered_by_its_timestamp_and_the_order_survives_a_restart() throws Exception {
        Instant sent = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Map<String, Object> applied = publishConfig(stampedConfig(sent, 40));
        assertThat(applied).containsEntry("status", "applied").containsEntry("version", sent.toEpochMilli())
                .containsEntry("ignored_keys", List.of("detection_interval", "confidence_threshold"));
        await().atMost(Duration.ofSeconds(10)).until(() -> map(effective().get("config_data")).get("batch_size").equals(40));

        assertThat(publishConfig(stampedConfig(sent.minusSeconds(60), 7))).containsEntry("status", "ignored");
        assertThat(publishConfig(stampedConfig(sent, 8))).containsEntry("status", "ignored");

        edge.stop();
        int before = probe.on("lprserver/cameras/CAM001/config").size();
        edge = startEdge();
        await().atMost(Duration.ofSeconds(60)).until(() -> probe.on("lprserver/cameras/CAM001/config").size() > before);
        assertThat(effective()).containsEntry("version", sent.toEpochMilli());
        assertThat(map(effective().get("config_data"))).containsEntry("batch_size", 40);
        assertThat(publishConfig(stampedConfig(sent, 9))).containsEntry("status", "ignored");
        assertThat(publishConfig(stampedConfig(sent.plusMillis(1), 45))).containsEntry("status", "applied");
        // this gateway's server API, given no version, stamps the message with its own (later) time
        assertThat(json(config("{\"config_data\": {\"batch_size\": 46}}").body())).containsEntry("status", "applied");
        await().atMost(Duration.ofSeconds(10)).until(() -> map(effective().get("config_data")).get("batch_size").equals(46));
    }

    private Map<String, Object> effective() throws Exception {
        List<Received> configs = probe.on("lprserver/cameras/CAM001/config");
        return json(configs.get(configs.size() - 1).payload());
    }

    @Test
    void health_is_published_retained_at_qos_0_and_stale_camera_checks_are_coalesced() throws Exception {
        // a subscriber arriving after the first report gets it retained, in the seed 002 shape
        // a report made before the edge's connection came up says so, and is published once it is up: wait for one made after
        await().atMost(Duration.ofSeconds(30)).until(() -> probe.on("lprserver/cameras/CAM001/health").stream()
                .anyMatch(r -> r.payload().contains("\"mqtt_connected\":true")));
        try (MqttProbe late = new MqttProbe(broker.url(), "late-" + UUID.randomUUID())) {
            late.subscribe("lprserver/cameras/CAM001/health", 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> !late.on("lprserver/cameras/CAM001/health").isEmpty());
            Received first = late.on("lprserver/cameras/CAM001/health").get(0);
            assertThat(first.retained()).isTrue();
            assertThat(first.qos()).isZero();
            Map<String, Object> report = json(first.payload());
            assertThat(report).containsKeys("message_id", "timestamp", "health_status", "health_details", "alerts")
                    .containsEntry("camera_id", "CAM001");
            assertThat(report.get("health_status").toString()).isIn("healthy", "degraded", "unhealthy");
            assertThat(map(report.get("health_details"))).containsKeys("cpu_usage", "memory_usage", "disk_usage",
                    "temperature", "uptime_seconds", "network_class", "server_reachable", "mqtt_connected", "unsent_backlog",
                    "oldest_unsent_age_seconds", "last_detection");
            assertThat(((Map<?, ?>) report.get("health_details")).get("mqtt_connected")).isEqualTo(true);
        }
        // the server keeps each camera's last health and contact
        await().atMost(Duration.ofSeconds(10)).until(() -> Http.get("http://127.0.0.1:" + serverHttp + "/api/cameras").body().contains("CAM001"));
        assertThat(Http.get("http://127.0.0.1:" + serverHttp + "/api/cameras").body()).contains("\"last_seen\"").contains("\"last_health_status\"")
                .contains("\"cpu_usage\"");

        // an outage's worth of camera checks: only those within health.coalesceAfterSeconds of the newest go
        control("{\"command\": \"stop_sender\"}");
        LocalDateTime t0 = LocalDateTime.now().minusMinutes(10);
        for (int i = 0; i <= 10; i++) {
            edgeDb.exec("INSERT INTO health_checks (checkpoint_id, hostname, timestamp, component, status, message) VALUES "
                    + "('CP001', 'cam-test', '" + t0.plusMinutes(i) + "', 'camera', 'PASS', 'check " + i + "')");
        }
        edgeDb.exec("INSERT INTO health_checks (checkpoint_id, hostname, timestamp, component, status, message) VALUES "
                + "('CP001', 'cam-test', '" + t0 + "', 'disk', 'WARN', 'disk check')");
        await().atMost(Duration.ofSeconds(10)).until(() -> outbox.count("SELECT count(*) FROM outbox_health WHERE superseded_by IS NOT NULL") == 9);
        control("{\"command\": \"start_sender\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> outbox.count("SELECT count(*) FROM outbox_health WHERE sent_at IS NULL") == 9);
        await().atMost(Duration.ofSeconds(10)).until(() -> serverDb.count("SELECT count(*) FROM health_monitors WHERE component = 'camera'") == 2);
        assertThat(serverDb.strings("SELECT message FROM health_monitors WHERE component = 'camera' ORDER BY message"))
                .containsExactly("check 10", "check 9");
        assertThat(serverDb.count("SELECT count(*) FROM health_monitors WHERE component = 'disk'")).isEqualTo(1);
    }

    @Test
    void a_blacklisted_plate_goes_first_on_the_edge_and_is_stored_marked_and_notified_by_the_server() throws Exception {
        HttpResponse<String> added = Http.postJson("http://127.0.0.1:" + serverHttp + "/api/blacklist",
                "{\"plate\": \"กข-1234\", \"reason\": \"stolen\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        assertThat(Http.postJson("http://127.0.0.1:" + serverHttp + "/api/blacklist", "{\"reason\": \"no plate\"}").statusCode()).isEqualTo(400);
        assertThat(Http.get("http://127.0.0.1:" + serverHttp + "/api/blacklist").body()).contains("กข-1234").contains("กข1234").contains("stolen");
        // the edge copies the list from the updates topic (QoS 1, retained)
        await().atMost(Duration.ofSeconds(20)).until(() -> outbox.count("SELECT count(*) FROM plate_blacklist WHERE plate = 'กข1234'") == 1);
        Received update = probe.on("lprserver/blacklist/updates").get(0);
        assertThat(update.qos()).isEqualTo(1);
        assertThat(json(update.payload())).containsEntry("action", "add").containsKey("blacklist");

        // a backlog, then the listed plate (written differently, a normal confidence): it overtakes the backlog
        control("{\"command\": \"stop_sender\"}");
        edgeDb.insertDetections(40, "QUEUE", 80.0);
        edgeDb.exec("INSERT INTO detection_results (license_plate, confidence, checkpoint_id, timestamp, hostname) VALUES "
                + "('กข 1234', 60.0, 'CP001', '" + LocalDateTime.now() + "', 'cam-test')");
        control("{\"command\": \"start_sender\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> serverDb.count("SELECT count(*) FROM lpr_detections") == 41);
        assertThat(serverDb.count("SELECT id FROM lpr_detections WHERE license_plate = 'กข 1234'")).isLessThanOrEqualTo(5);
        assertThat(serverDb.string("SELECT blacklisted || ':' || blacklist_reason FROM lpr_detections WHERE license_plate = 'กข 1234'"))
                .isEqualTo("1:stolen");
        assertThat(serverDb.count("SELECT count(*) FROM lpr_detections WHERE blacklisted = 1")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> !probe.on("lprserver/blacklist/notifications").isEmpty());
        Received hit = probe.on("lprserver/blacklist/notifications").get(0);
        assertThat(hit.qos()).isEqualTo(1);
        assertThat(json(hit.payload())).containsEntry("license_plate", "กข 1234").containsEntry("reason", "stolen")
                .containsKeys("record_id", "detection_message_id");
        assertThat(probe.on("lprserver/blacklist/notifications")).hasSize(1);

        HttpResponse<String> removed = Http.delete("http://127.0.0.1:" + serverHttp + "/api/blacklist/"
                + URLEncoder.encode("กข 1234", StandardCharsets.UTF_8).replace("+", "%20"));
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> outbox.count("SELECT count(*) FROM plate_blacklist") == 0);
        assertThat(Http.delete("http://127.0.0.1:" + serverHttp + "/api/blacklist/NOPE").statusCode()).isEqualTo(404);
    }
}
