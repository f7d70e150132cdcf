package org.lprgateway.it;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
import org.lprgateway.support.MqttProbe;
import org.lprgateway.support.Ports;
import org.lprgateway.support.ProcessTest;
import org.lprgateway.support.SecureMosquitto;
import org.lprgateway.support.Signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Edge and server as processes on the shipped secured broker: they log in (camera id and
 * lpr-server, passwords from the environment), talk TLS checked against a throwaway CA, and the
 * edge obeys only what the server signed. The forger below holds the server's broker login but
 * not the signing key: what the broker's ACL lets through, the signature still stops.
 */
class SecureMqttIT extends ProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERVER_PW = "server-" + UUID.randomUUID();
    private static final String CAMERA_PW = "camera-" + UUID.randomUUID();
    private static final String CONTROL = "lprserver/cameras/CAM001/control";
    private static final String CONFIG = "lprserver/cameras/CAM001/config/update";
    private static final String BLACKLIST = "lprserver/blacklist/updates";
    private static final String ACK = "lprserver/cameras/CAM001/detection/ack";

    private final Path dir;
    private final int serverHttp = Ports.free();
    private final int edgeHttp = Ports.free();
    private MqttProbe forger;
    private Db edgeDb;
    private Db outbox;
    private Db serverDb;

    SecureMqttIT() throws Exception {
        dir = Files.createTempDirectory("secure-mqtt");
    }

    @BeforeEach
    void start() throws Exception {
        SecureMosquitto broker = track(new SecureMosquitto().user(SecureMosquitto.SERVER_USER, SERVER_PW).user("CAM001", CAMERA_PW)).start();
        forger = track(new MqttProbe(broker.plainUrl(), "forger-" + UUID.randomUUID(), MqttProbe.login(SecureMosquitto.SERVER_USER, SERVER_PW)))
                .subscribe("lprserver/#", 2);
        GatewayProcess server = track(new GatewayProcess("secure-server", "server"))
                .filesUnder(dir)
                .set("gateway.http.port", serverHttp)
                .set("websocket.port", Ports.free())
                .set("server.db.path", dir.resolve("server.db"))
                .set("mqtt.brokerUrl", broker.tlsUrl())
                .set("mqtt.tls.caFile", broker.caFile())
                .set("mqtt.username", SecureMosquitto.SERVER_USER)
                .env("MQTT_PASSWORD", SERVER_PW)
                .set("downlink.responseTimeoutMillis", 5000)
                .start();
        GatewayProcess edge = track(new GatewayProcess("secure-edge", "edge"))
                .filesUnder(dir)
                .set("gateway.http.port", edgeHttp)
                .set("edge.db.path", dir.resolve("edge.db"))
                .set("mqtt.brokerUrl", broker.tlsUrl())
                .set("mqtt.tls.caFile", broker.caFile())
                .set("mqtt.username", "CAM001")
                .env("MQTT_PASSWORD", CAMERA_PW)
                .set("gateway.transport.pinned", "mqtt")
                .set("network.probe.url", "http://127.0.0.1:" + serverHttp + "/health")
                .set("images.enabled", false)
                .set("health.intervalMillis", 60000)
                .start();
        server.awaitHttp(serverHttp, "/health");
        edge.awaitHttp(edgeHttp, "/health");
        edgeDb = new Db(dir.resolve("edge.db"));
        outbox = new Db(dir.resolve("edge.db-outbox.db"));
        serverDb = new Db(dir.resolve("server.db"));
        // the edge's subscriptions are up once its effective config is published
        await().atMost(Duration.ofSeconds(60)).until(() -> !forger.on("lprserver/cameras/CAM001/config").isEmpty());
    }

    /** One pair of processes for both parts: starting them is most of this test's time. */
    @Test
    void over_tls_with_logins_only_signed_downlink_is_obeyed_and_far_future_versions_are_refused() throws Exception {
        recordsArriveAndOnlySignedDownlinkMessagesAreObeyed();
        farFutureVersionsAreRefusedAndTheOperatorResetsAStoredVersion();
    }

    private void recordsArriveAndOnlySignedDownlinkMessagesAreObeyed() throws Exception {
        edgeDb.insertDetections(3, "TLS", 80.0);
        await().atMost(Duration.ofSeconds(30)).until(() -> serverDb.count("SELECT count(*) FROM lpr_detections WHERE license_plate LIKE 'TLS %' AND transport = 'mqtt'") == 3);
        // the server's signed acknowledgements confirm them on the edge
        await().atMost(Duration.ofSeconds(20)).until(() -> outbox.count("SELECT count(*) FROM mqtt_unconfirmed") == 0);
        String delivered = outbox.string("SELECT message_id FROM outbox_detections ORDER BY id LIMIT 1");

        // forgeries: unsigned, signed with another key, signed for another camera's topic
        String stop = control("stop_sender", Instant.now());
        forger.publish(CONTROL, stop, 2);
        forger.publish(CONTROL, stop, 2, false, Signing.signed(CONTROL, stop, "another-key-0123456789abcdef0123456789"));
        forger.publish(CONTROL, stop, 2, false, Signing.signed("lprserver/cameras/CAM002/control", stop));
        String config = "{\"message_id\": \"" + UUID.randomUUID() + "\", \"camera_id\": \"CAM001\", \"version\": 2,"
                + " \"config_data\": {\"pinned_transport\": \"rest\"}}";
        forger.publish(CONFIG, config, 2);
        String blacklist = "{\"action\": \"add\", \"plate\": \"FORGED1\", \"version\": " + System.currentTimeMillis()
                + ", \"blacklist\": [{\"plate\": \"FORGED1\", \"reason\": \"forged\"}]}";
        forger.publish(BLACKLIST, blacklist, 1);
        String errorAck = "{\"message_id\": \"" + delivered + "\", \"status\": \"error\", \"message\": \"forged refusal\"}";
        forger.publish(ACK, errorAck, 1);

        // the real server's downlink goes through: the sender still runs, config and blacklist apply
        Map<String, Object> status = json(Http.postJson(api("/api/cameras/CAM001/control"), "{\"command\": \"report_status\"}").body());
        assertThat(status).containsEntry("status", "success");
        assertThat(status.get("details").toString()).contains("poll-detections=Started");
        HttpResponse<String> applied = Http.postJson(api("/api/cameras/CAM001/config"), "{\"version\": 3, \"config_data\": {\"batch_size\": 9}}");
        assertThat(json(applied.body())).containsEntry("status", "applied");
        assertThat(Http.postJson(api("/api/blacklist"), "{\"plate\": \"REAL1\", \"reason\": \"stolen\"}").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> outbox.count("SELECT count(*) FROM plate_blacklist WHERE plate = 'REAL1'") == 1);
        assertThat(outbox.count("SELECT count(*) FROM plate_blacklist WHERE plate = 'FORGED1'")).isZero();
        assertThat(responseIds("lprserver/cameras/CAM001/control/response")).doesNotContain(idOf(stop));
        assertThat(responseIds("lprserver/cameras/CAM001/config/response")).doesNotContain(idOf(config));
        assertThat(outbox.string("SELECT coalesce(parked_reason, 'none') FROM outbox_detections WHERE message_id = '" + delivered + "'")).isEqualTo("none");

        // a signed refusal is obeyed (the same message as the forged one, signed)
        forger.publish(ACK, errorAck, 1, false, Signing.signed(ACK, errorAck));
        await().atMost(Duration.ofSeconds(20)).until(() -> "forged refusal".equals(
                outbox.string("SELECT parked_reason FROM outbox_detections WHERE message_id = '" + delivered + "'")));

        // a signed command replayed after the window is refused; a repeat within it is not carried out again
        String old = control("stop_sender", Instant.now().minus(1, ChronoUnit.HOURS));
        forger.publish(CONTROL, old, 2, false, Signing.signed(CONTROL, old));
        await().atMost(Duration.ofSeconds(20)).until(() -> responses("lprserver/cameras/CAM001/control/response").stream()
                .anyMatch(r -> idOf(old).equals(r.get("message_id"))));
        Map<String, Object> stale = responses("lprserver/cameras/CAM001/control/response").stream()
                .filter(r -> idOf(old).equals(r.get("message_id"))).findFirst().orElseThrow();
        assertThat(stale).containsEntry("status", "error");
        assertThat(stale.get("details").toString()).contains("stale command");
        assertThat(json(Http.postJson(api("/api/cameras/CAM001/control"), "{\"command\": \"report_status\"}").body())
                .get("details").toString()).contains("poll-detections=Started");

        // every refusal is counted by reason and kind
        String metrics = Http.get("http://127.0.0.1:" + edgeHttp + "/metrics").body();
        assertThat(metrics).containsPattern("lpr_mqtt_refused_messages_total\\{kind=\"control\",reason=\"unsigned\"\\} 1\\.0")
                .containsPattern("lpr_mqtt_refused_messages_total\\{kind=\"control\",reason=\"bad signature\"\\} 2\\.0")
                .containsPattern("lpr_mqtt_refused_messages_total\\{kind=\"config/update\",reason=\"unsigned\"\\} 1\\.0")
                .containsPattern("lpr_mqtt_refused_messages_total\\{kind=\"blacklist/updates\",reason=\"unsigned\"\\} 1\\.0")
                .containsPattern("lpr_mqtt_refused_messages_total\\{kind=\"detection/ack\",reason=\"unsigned\"\\} 1\\.0");
    }

    private void farFutureVersionsAreRefusedAndTheOperatorResetsAStoredVersion() throws Exception {
        long farAhead = Instant.now().plus(3650, ChronoUnit.DAYS).toEpochMilli();
        long hourAhead = Instant.now().plus(1, ChronoUnit.HOURS).toEpochMilli();

        // config: far ahead refused and not stored
        Map<String, Object> refused = publishConfig(farAhead, 11);
        assertThat(refused).containsEntry("status", "refused").containsEntry("field", "version");
        // an hour ahead (a server whose clock runs fast) is within the bound and sticks ...
        assertThat(publishConfig(hourAhead, 11)).containsEntry("status", "applied");
        assertThat(json(Http.postJson(api("/api/cameras/CAM001/config"), "{\"version\": 7, \"config_data\": {\"batch_size\": 12}}").body()))
                .containsEntry("status", "ignored");
        // ... until the operator resets it on the edge
        Map<String, Object> reset = json(Http.postJson(edge("/api/downlink/config/reset-version"), "").body());
        assertThat(reset).containsEntry("status", "success").containsEntry("previous_version", hourAhead);
        assertThat(json(Http.postJson(api("/api/cameras/CAM001/config"), "{\"version\": 8, \"config_data\": {\"batch_size\": 12}}").body()))
                .containsEntry("status", "applied");

        // blacklist: the same
        publishBlacklist(farAhead, "FUTURE1");
        publishBlacklist(hourAhead, "AHEAD1");
        await().atMost(Duration.ofSeconds(20)).until(() -> outbox.count("SELECT count(*) FROM plate_blacklist WHERE plate = 'AHEAD1'") == 1);
        assertThat(outbox.count("SELECT count(*) FROM plate_blacklist WHERE plate = 'FUTURE1'")).isZero();
        assertThat(outbox.count("SELECT version FROM plate_blacklist_version")).isEqualTo(hourAhead);
        assertThat(Http.postJson(api("/api/blacklist"), "{\"plate\": \"LATER1\", \"reason\": \"stolen\"}").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> !forger.on(BLACKLIST).isEmpty());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> outbox.count("SELECT count(*) FROM plate_blacklist WHERE plate = 'LATER1'") == 0);
        Map<String, Object> resetList = json(Http.postJson(edge("/api/downlink/blacklist/reset-version"), "").body());
        assertThat(resetList).containsEntry("previous_version", hourAhead);
        assertThat(Http.postJson(api("/api/blacklist"), "{\"plate\": \"LATER2\", \"reason\": \"stolen\"}").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> outbox.count("SELECT count(*) FROM plate_blacklist WHERE plate IN ('LATER1', 'LATER2')") == 2);
        assertThat(outbox.count("SELECT count(*) FROM plate_blacklist WHERE plate = 'AHEAD1'")).isZero();

        assertThat(Http.postJson(edge("/api/downlink/everything/reset-version"), "").statusCode()).isEqualTo(400);
    }

    private Map<String, Object> publishConfig(long version, int batchSize) throws Exception {
        String id = UUID.randomUUID().toString();
        String msg = "{\"message_id\": \"" + id + "\", \"camera_id\": \"CAM001\", \"version\": " + version
                + ", \"config_data\": {\"batch_size\": " + batchSize + "}}";
        forger.publish(CONFIG, msg, 2, false, Signing.signed(CONFIG, msg));
        await().atMost(Duration.ofSeconds(20)).until(() -> responseIds("lprserver/cameras/CAM001/config/response").contains(id));
        return responses("lprserver/cameras/CAM001/config/response").stream().filter(r -> id.equals(r.get("message_id"))).findFirst().orElseThrow();
    }

    private void publishBlacklist(long version, String plate) throws Exception {
        String msg = "{\"action\": \"add\", \"plate\": \"" + plate + "\", \"version\": " + version
                + ", \"blacklist\": [{\"plate\": \"" + plate + "\", \"reason\": \"test\"}]}";
        forger.publish(BLACKLIST, msg, 1, false, Signing.signed(BLACKLIST, msg));
    }

    private static String control(String command, Instant at) {
        return "{\"message_id\": \"" + UUID.randomUUID() + "\", \"timestamp\": \"" + at + "\", \"camera_id\": \"CAM001\","
                + " \"command\": \"" + command + "\", \"parameters\": {}}";
    }

    private static String idOf(String message) {
        try {
            return (String) json(message).get("message_id");
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private String api(String path) {
        return "http://127.0.0.1:" + serverHttp + path;
    }

    private String edge(String path) {
        return "http://127.0.0.1:" + edgeHttp + path;
    }

    private List<Map<String, Object>> responses(String topic) throws Exception {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (MqttProbe.Received r : forger.on(topic)) {
            out.add(json(r.payload()));
        }
        return out;
    }

    private List<Object> responseIds(String topic) throws Exception {
        return responses(topic).stream().map(r -> r.get("message_id")).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String text) throws Exception {
        return JSON.readValue(text, Map.class);
    }
}
