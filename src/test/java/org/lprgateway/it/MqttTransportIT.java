package org.lprgateway.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lprgateway.support.Db;
import org.lprgateway.support.GatewayProcess;
import org.lprgateway.support.Mosquitto;
import org.lprgateway.support.MqttProbe;
import org.lprgateway.support.MqttProbe.Received;
import org.lprgateway.support.Ports;
import org.lprgateway.support.ProcessTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The MQTT 5 transport (seed 002) through a real Mosquitto: edge publisher, server shared subscription. */
class MqttTransportIT extends ProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DETECTION = "lprserver/cameras/CAM001/detection";

    private final Path dir;
    private final int serverHttp = Ports.free();
    private final int edgeHttp = Ports.free();
    private Mosquitto broker;
    private GatewayProcess server;
    private GatewayProcess edge;
    private MqttProbe probe;

    MqttTransportIT() throws Exception {
        dir = Files.createTempDirectory("mqtt");
    }

    @AfterEach
    void closeProbe() throws Exception {
        if (probe != null) {
            probe.close();
        }
    }

    private GatewayProcess newServer() {
        return track(new GatewayProcess("mqtt-server", "server"))
                .set("gateway.http.port", serverHttp)
                .set("websocket.port", Ports.free())
                .set("server.db.path", dir.resolve("server.db"))
                .set("mqtt.brokerUrl", broker.url())
                .set("mqtt.server.clientId", "lpr-server-test");
    }

    private GatewayProcess newEdge() {
        return track(new GatewayProcess("mqtt-edge", "edge"))
                .set("gateway.http.port", edgeHttp)
                .set("edge.db.path", dir.resolve("edge.db"))
                .set("gateway.transport.pinned", "mqtt")
                // the camera's health rows are under test here: the gateway's own report (which
                // shares the retained topic, DownlinkIT) stays off
                .set("health.enabled", false)
                .set("mqtt.brokerUrl", broker.url())
                .set("network.probe.url", "http://127.0.0.1:" + serverHttp + "/health")
                .set("network.probe.intervalMillis", 500)
                .set("mqtt.confirm.graceSeconds", 15)
                .set("mqtt.confirm.checkIntervalMillis", 2000)
                .set("outbox.backoff.baseMillis", 200)
                .set("outbox.backoff.maxMillis", 2000);
    }

    private Db startEdge() throws Exception {
        edge = newEdge().start().awaitHttp(edgeHttp, "/");
        Db edgeDb = new Db(dir.resolve("edge.db"));
        await().atMost(Duration.ofSeconds(30)).until(() -> edgeDb.count("SELECT count(*) FROM detection_results") == 0);
        return edgeDb;
    }

    /** The gateway's own records (attempts, MQTT confirmations), beside the camera's file. */
    private Db outbox() {
        return new Db(dir.resolve("edge.db-outbox.db"));
    }

    private Db serverDb() {
        return new Db(dir.resolve("server.db"));
    }

    private static Map<?, ?> parse(String json) throws Exception {
        return JSON.readValue(json, Map.class);
    }

    @Test
    void rows_reach_the_broker_in_seed_002_shape_with_seed_qos_and_the_server_stores_and_acknowledges_each_once() throws Exception {
        broker = track(new Mosquitto()).start();
        probe = new MqttProbe(broker.url(), "probe-" + UUID.randomUUID()).subscribe("lprserver/#", 1);
        // acknowledgements go out on the server's own connection, up only once the server is ready
        server = newServer().start().awaitHttp(serverHttp, "/api/lpr/data").awaitReady(serverHttp);
        Db edgeDb = startEdge();

        edgeDb.insertDetections(50, "MQTT");
        edgeDb.insertHealth("camera", "FAIL", "lens blocked");
        await().atMost(Duration.ofSeconds(60)).until(() ->
                edgeDb.count("SELECT count(*) FROM detection_results WHERE sent_to_server = 0") == 0
                        && edgeDb.count("SELECT count(*) FROM health_checks WHERE sent_to_server = 0") == 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> probe.on(DETECTION + "/ack").size() >= 50);

        assertThat(serverDb().count("SELECT count(*) FROM lpr_detections WHERE transport = 'mqtt'")).isEqualTo(50);
        assertThat(serverDb().count("SELECT count(*) FROM lpr_detections WHERE license_plate LIKE 'MQTT %' AND confidence = 91.5"))
                .isEqualTo(50);

        List<Received> detections = probe.on(DETECTION);
        assertThat(detections).hasSize(50).allSatisfy(r -> {
            assertThat(r.qos()).isEqualTo(1);
            assertThat(r.retained()).isFalse();
        });
        Map<?, ?> first = parse(detections.get(0).payload());
        assertThat(first.keySet().stream().map(Object::toString).toList()).contains("message_id", "timestamp", "camera_id", "checkpoint_id", "detection_data", "metadata");
        assertThat(first.get("camera_id")).isEqualTo("CAM001");
        Map<?, ?> data = (Map<?, ?>) first.get("detection_data");
        assertThat(data.get("detection_type")).isEqualTo("lpr");
        assertThat(((Map<?, ?>) ((List<?>) data.get("plates")).get(0)).get("plate_number").toString()).startsWith("MQTT ");
        assertThat(((Number) data.get("confidence_score")).doubleValue()).isEqualTo(0.915);

        List<Received> acks = probe.on(DETECTION + "/ack");
        assertThat(acks).allSatisfy(r -> assertThat(r.qos()).isEqualTo(1));
        assertThat(acks.stream().map(r -> {
            try {
                Map<?, ?> ack = parse(r.payload());
                assertThat(ack.get("status")).isEqualTo("success");
                assertThat(ack.get("record_id")).isNotNull();
                return ack.get("message_id");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).distinct().count()).isEqualTo(50);

        // health: QoS 0, retained, so a subscriber arriving later still gets the latest report
        try (MqttProbe late = new MqttProbe(broker.url(), "late-" + UUID.randomUUID())) {
            late.subscribe("lprserver/cameras/CAM001/health", 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> !late.received().isEmpty());
            Received health = late.received().get(0);
            assertThat(health.retained()).isTrue();
            assertThat(health.qos()).isZero();
            Map<?, ?> report = parse(health.payload());
            assertThat(report.get("health_status")).isEqualTo("unhealthy");
            assertThat(report.keySet().stream().map(Object::toString).toList()).contains("message_id", "timestamp", "camera_id", "health_details", "alerts");
        }
        assertThat(serverDb().count("SELECT count(*) FROM health_monitors WHERE component = 'camera' AND status = 'FAIL'"))
                .isEqualTo(1);
        // every detection sent over MQTT was confirmed end to end by the server's acknowledgement
        await().atMost(Duration.ofSeconds(30)).until(() -> outbox().count("SELECT count(*) FROM mqtt_unconfirmed") == 0);
    }

    @Test
    void rows_published_while_the_server_is_away_are_stored_once_when_it_returns() throws Exception {
        broker = track(new Mosquitto()).start();
        server = newServer().start().awaitHttp(serverHttp, "/api/lpr/data");
        Db edgeDb = startEdge();
        edgeDb.insertDetections(20, "BEFORE");
        await().atMost(Duration.ofSeconds(60)).until(() -> serverDb().count("SELECT count(*) FROM lpr_detections") == 20);

        server.kill();
        edgeDb.insertDetections(200, "AWAY");
        // the broker's PUBACK is the acknowledgement: rows are marked sent with no server running
        await().atMost(Duration.ofSeconds(60)).until(() ->
                edgeDb.count("SELECT count(*) FROM detection_results WHERE sent_to_server = 0") == 0);
        assertThat(serverDb().count("SELECT count(*) FROM lpr_detections")).isEqualTo(20);

        server = newServer().start().awaitHttp(serverHttp, "/api/lpr/data");
        // any message the broker failed to hand over is noticed by its missing confirmation and sent again
        await().atMost(Duration.ofSeconds(120)).until(() -> serverDb().count("SELECT count(*) FROM lpr_detections") == 220);
        assertThat(serverDb().count("SELECT count(DISTINCT message_id) FROM lpr_detections")).isEqualTo(220);
        await().atMost(Duration.ofSeconds(60)).until(() -> outbox().count("SELECT count(*) FROM mqtt_unconfirmed") == 0);
    }

    @Test
    void the_edge_starts_without_a_broker_keeps_rows_and_delivers_when_the_broker_comes() throws Exception {
        // the server's persistent session exists (it has run before), then the broker goes down
        broker = track(new Mosquitto()).start();
        server = newServer().start().awaitHttp(serverHttp, "/api/lpr/data");
        await().atMost(Duration.ofSeconds(30)).until(() -> serverDb().count("SELECT count(*) FROM lpr_detections") == 0);
        broker.stop();
        Db edgeDb = startEdge();
        edgeDb.insertDetections(30, "NOBROKER");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                outbox().count("SELECT count(*) FROM outbox_detections WHERE last_error IS NOT NULL AND sent_to_server = 0") == 30);

        broker.start();
        await().atMost(Duration.ofSeconds(90)).until(() ->
                edgeDb.count("SELECT count(*) FROM detection_results WHERE sent_to_server = 0") == 0);
        await().atMost(Duration.ofSeconds(60)).until(() -> serverDb().count("SELECT count(*) FROM lpr_detections") == 30);
    }

    @Test
    void a_foreign_publisher_in_seed_002_shape_is_stored_and_an_invalid_message_gets_an_error_ack() throws Exception {
        broker = track(new Mosquitto()).start();
        server = newServer().start().awaitHttp(serverHttp, "/api/lpr/data");
        probe = new MqttProbe(broker.url(), "foreign-" + UUID.randomUUID()).subscribe("lprserver/cameras/CAM900/#", 1);
        String id = UUID.randomUUID().toString();
        String seed002 = """
                {"message_id": "%s", "timestamp": "2024-01-15T10:30:00Z", "camera_id": "CAM900", "checkpoint_id": "CP009",
                 "detection_data": {"vehicles_count": 1, "plates_count": 1, "processing_time_ms": 150, "confidence_score": 0.95,
                   "detection_type": "lpr",
                   "vehicles": [{"vehicle_index": 0, "bbox": [100, 100, 200, 200], "confidence": 0.95, "vehicle_class": "car",
                                 "vehicle_type": "sedan", "color": "white", "brand": "Toyota", "model": "Camry", "year": 2020}],
                   "plates": [{"plate_index": 0, "plate_number": "ABC1234", "bbox": [150, 120, 180, 140], "confidence": 0.92,
                               "plate_type": "standard", "country": "TH", "province": "Bangkok", "is_valid": true}]},
                 "metadata": {"image_path": "/storage/images/CAM900_20240115_103000.jpg", "weather": "clear", "lighting": "daylight"}}
                """.formatted(id);
        // the server's subscription is in place once it is started; publish at QoS 1 as a camera would
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            probe.publish("lprserver/cameras/CAM900/detection", seed002, 1);
            return serverDb().count("SELECT count(*) FROM lpr_detections WHERE message_id = '" + id + "'") == 1;
        });
        assertThat(serverDb().string("SELECT license_plate || '|' || confidence || '|' || checkpoint_id || '|' || vehicle_type "
                + "FROM lpr_detections WHERE message_id = '" + id + "'")).isEqualTo("ABC1234|92.0|CP009|sedan");

        probe.publish("lprserver/cameras/CAM900/detection", "{\"message_id\": \"" + UUID.randomUUID()
                + "\", \"camera_id\": \"CAM900\", \"detection_data\": {\"plates\": []}}", 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> probe.on("lprserver/cameras/CAM900/detection/ack").stream()
                .anyMatch(r -> r.payload().contains("\"status\":\"error\"") && r.payload().contains("detection_data.plates")));
        assertThat(serverDb().count("SELECT count(*) FROM lpr_detections")).isEqualTo(1);
    }
}
