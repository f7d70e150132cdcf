package org.lprgateway.it;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.lprgateway.security.PayloadCipher;
import org.lprgateway.support.Db;
import org.lprgateway.support.FaultyProxy;
import org.lprgateway.support.GatewayProcess;
import org.lprgateway.support.Http;
import org.lprgateway.support.Mosquitto;
import org.lprgateway.support.MqttProbe;
import org.lprgateway.support.Ports;
import org.lprgateway.support.ProcessTest;
import org.lprgateway.support.WsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Payload encryption end to end: edges seal their records with AES-256-GCM on WebSocket, REST and
 * MQTT, the server opens and stores them in clear, and what crossed the wire (a recording proxy in
 * front of the server's HTTP and WebSocket ports, a subscriber on the broker) holds no plate text.
 * The key is handed to every process in its environment only.
 */
class PayloadEncryptionIT extends ProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] KEY = randomKey(1);
    private static final String KEY_BASE64 = Base64.getEncoder().encodeToString(KEY);

    private final Path dir;

    PayloadEncryptionIT() throws Exception {
        dir = Files.createTempDirectory("payload-encryption");
    }

    private static byte[] randomKey(int seed) {
        byte[] k = new byte[32];
        new Random(seed).nextBytes(k);
        return k;
    }

    private GatewayProcess server(String name, int http, int ws, Mosquitto broker, boolean withKey) {
        GatewayProcess p = track(new GatewayProcess(name, "server"))
                .set("gateway.http.port", http)
                .set("websocket.port", ws)
                .set("server.db.path", dir.resolve(name + ".db"))
                .set("mqtt.brokerUrl", broker.url())
                .set("mqtt.server.clientId", name)
                .filesUnder(dir.resolve(name));
        return withKey ? p.env("PAYLOAD_ENCRYPTION_KEY", KEY_BASE64) : p;
    }

    private GatewayProcess edge(int http, int serverHttp, Mosquitto broker) {
        return track(new GatewayProcess("sealed-edge", "edge"))
                .env("PAYLOAD_ENCRYPTION_KEY", KEY_BASE64)
                .set("payload.encryption.transports", "websocket,rest,mqtt")
                .set("camera.id", "CAM042")
                .set("gateway.http.port", http)
                .set("edge.db.path", dir.resolve("edge.db"))
                .set("gateway.transport.pinned", "websocket")
                .set("images.enabled", false)
                .set("health.enabled", false)
                .set("mqtt.brokerUrl", broker.url())
                .set("network.probe.url", "http://127.0.0.1:" + serverHttp + "/health")
                .set("outbox.backoff.baseMillis", 200)
                .set("outbox.backoff.maxMillis", 2000)
                .filesUnder(dir.resolve("edge"));
    }

    @Test
    void records_cross_websocket_rest_and_mqtt_sealed_and_the_server_stores_them_in_clear() throws Exception {
        Mosquitto broker = track(new Mosquitto()).start();
        MqttProbe probe = track(new MqttProbe(broker.url(), "wire-" + UUID.randomUUID())).subscribe("lprserver/cameras/#", 1);
        int serverHttp = Ports.free();
        int serverWs = Ports.free();
        int edgeHttp = Ports.free();
        FaultyProxy restTap = track(new FaultyProxy(serverHttp)).record();
        FaultyProxy wsTap = track(new FaultyProxy(serverWs)).record();
        GatewayProcess server = server("sealed-server", serverHttp, serverWs, broker, true).start();
        GatewayProcess edge = edge(edgeHttp, serverHttp, broker)
                .set("websocket.url", "ws://127.0.0.1:" + wsTap.port() + "/")
                .set("rest.url", "http://127.0.0.1:" + restTap.port() + "/api/lpr/data")
                .start();
        server.awaitHttp(serverHttp, "/health");
        edge.awaitHttp(edgeHttp, "/");
        // the edge's subscriptions are up once it has published its effective config
        await().atMost(Duration.ofSeconds(30)).until(() -> !probe.on("lprserver/cameras/CAM042/config").isEmpty());

        Db camera = new Db(dir.resolve("edge.db"));
        Db serverDb = new Db(dir.resolve("sealed-server.db"));
        int version = 1;
        for (String transport : List.of("websocket", "rest", "mqtt")) {
            if (!transport.equals("websocket")) {
                // the transport is switched live by the server's config API
                var applied = Http.postJson("http://127.0.0.1:" + serverHttp + "/api/cameras/CAM042/config",
                        "{\"version\": " + version++ + ", \"config_data\": {\"pinned_transport\": \"" + transport + "\"}}");
                assertThat(applied.body()).as(transport).contains("\"status\":\"applied\"");
            }
            camera.insertDetections(5, "SEAL" + transport.toUpperCase());
            if (transport.equals("mqtt")) {
                camera.insertHealth("camera", "FAIL", "lens blocked SEALHEALTH");
            }
            await(transport).atMost(Duration.ofSeconds(30)).until(() ->
                    serverDb.count("SELECT count(*) FROM lpr_detections WHERE transport = '" + transport + "'") == 5);
            assertThat(serverDb.strings("SELECT license_plate FROM lpr_detections WHERE transport = '" + transport
                    + "' ORDER BY license_plate")).as(transport)
                    .containsExactly("SEAL%1$s 0|SEAL%1$s 1|SEAL%1$s 2|SEAL%1$s 3|SEAL%1$s 4"
                            .formatted(transport.toUpperCase()).split("\\|"));
        }
        await().atMost(Duration.ofSeconds(20)).until(() ->
                serverDb.count("SELECT count(*) FROM health_monitors WHERE component = 'camera'") == 1);
        assertThat(serverDb.string("SELECT message FROM health_monitors WHERE component = 'camera'")).isEqualTo("lens blocked SEALHEALTH");
        // the camera's last health is kept as opened, not as the envelope
        await().atMost(Duration.ofSeconds(10)).until(() ->
                serverDb.count("SELECT count(*) FROM cameras WHERE camera_id = 'CAM042' AND last_health LIKE '%lens blocked SEALHEALTH%'") == 1);
        assertThat(serverDb.count("SELECT count(*) FROM lpr_detections")).isEqualTo(15);

        // on the wire: envelopes only
        assertThat(probe.on("lprserver/cameras/CAM042/detection")).hasSize(5).allSatisfy(r -> assertSealed(r.payload()));
        assertThat(probe.on("lprserver/cameras/CAM042/health")).singleElement().satisfies(r -> assertSealed(r.payload()));
        assertThat(probe.received()).noneSatisfy(r -> assertThat(r.payload()).contains("SEAL"));

        String restWire = new String(restTap.clientBytes(), StandardCharsets.UTF_8);
        assertThat(restWire).contains("POST /api/lpr/data").contains("\"encryption\":\"aes-256-gcm\"").doesNotContain("SEAL");
        List<String> wsFrames = clientTextFrames(wsTap.clientBytes());
        assertThat(wsFrames).hasSizeGreaterThanOrEqualTo(5).allSatisfy(PayloadEncryptionIT::assertSealed);
        assertThat(String.join("\n", wsFrames)).doesNotContain("SEAL");

        // the key never reaches a log
        for (GatewayProcess p : List.of(server, edge)) {
            assertThat(Files.readString(p.logFile())).doesNotContain(KEY_BASE64);
        }
    }

    @Test
    void a_sealed_record_that_cannot_be_opened_is_refused_with_its_reason_and_the_stream_goes_on() throws Exception {
        Mosquitto broker = track(new Mosquitto()).start();
        int http = Ports.free();
        int ws = Ports.free();
        int keylessHttp = Ports.free();
        int keylessWs = Ports.free();
        GatewayProcess server = server("opening-server", http, ws, broker, true).start();
        GatewayProcess keyless = server("keyless-server", keylessHttp, keylessWs, broker, false)
                .set("mqtt.server.shareGroup", "keyless").start();
        server.awaitHttp(http, "/health");
        keyless.awaitHttp(keylessHttp, "/health");
        Db serverDb = new Db(dir.resolve("opening-server.db"));
        String url = "http://127.0.0.1:" + http + "/api/lpr/data";

        String[] id = new String[9];
        for (int i = 0; i < id.length; i++) {
            id[i] = UUID.randomUUID().toString();
        }
        // REST: altered, foreign key, and then a good one
        String altered = alter(seal(KEY, Http.detection(id[0], "TAMPERED1")));
        var refused = Http.postJson(url, altered);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("cannot be decrypted: authentication failed").doesNotContain("TAMPERED1");
        var foreign = Http.postJson(url, seal(randomKey(2), Http.detection(id[1], "FOREIGN2")));
        assertThat(foreign.statusCode()).isEqualTo(400);
        assertThat(foreign.body()).contains("encrypted with another key");
        var layout = Http.postJson(url, "{\"message_id\":\"" + id[2] + "\",\"encryption\":\"aes-256-gcm\",\"payload\":\"AAEC\"}");
        assertThat(layout.statusCode()).isEqualTo(400);
        assertThat(layout.body()).contains("too short");
        assertThat(Http.postJson(url, seal(KEY, Http.detection(id[3], "GOOD4"))).statusCode()).isEqualTo(200);

        // WebSocket: the same on one connection
        try (WsClient client = new WsClient("ws://127.0.0.1:" + ws + "/")) {
            String reply = client.request(alter(seal(KEY, Http.detection(id[4], "TAMPERED5"))));
            assertThat(reply).contains("\"status\":\"error\"").contains("\"message_id\":\"" + id[4] + "\"").contains("authentication failed");
            assertThat(client.request(seal(KEY, Http.detection(id[5], "GOOD6")))).contains("\"status\":\"success\"");
        }

        // MQTT: an altered message gets an error acknowledgement, the next one is stored
        try (MqttProbe camera = new MqttProbe(broker.url(), "cam-" + UUID.randomUUID())) {
            camera.subscribe("lprserver/cameras/CAM777/detection/ack", 1);
            String good = UUID.randomUUID().toString();
            String seed002 = """
                    {"message_id": "%s", "timestamp": "2024-01-15T10:30:00Z", "camera_id": "CAM777", "checkpoint_id": "CP009",
                     "detection_data": {"confidence_score": 0.95, "detection_type": "lpr",
                       "plates": [{"plate_index": 0, "plate_number": "%s", "confidence": 0.92}]}}
                    """;
            camera.publish("lprserver/cameras/CAM777/detection", alter(seal(KEY, seed002.formatted(id[6], "TAMPERED7"))), 1);
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                camera.publish("lprserver/cameras/CAM777/detection", seal(KEY, seed002.formatted(good, "GOOD8")), 1);
                return serverDb.count("SELECT count(*) FROM lpr_detections WHERE message_id = '" + good + "'") == 1;
            });
            assertThat(camera.received()).anySatisfy(r -> assertThat(r.payload())
                    .contains("\"message_id\":\"" + id[6] + "\"").contains("\"status\":\"error\"").contains("authentication failed"));
        }

        assertThat(serverDb.strings("SELECT license_plate FROM lpr_detections ORDER BY license_plate"))
                .containsExactly("GOOD4", "GOOD6", "GOOD8");
        String log = Files.readString(server.logFile());
        assertThat(log).contains("cannot be decrypted").doesNotContain("TAMPERED").doesNotContain("FOREIGN").doesNotContain(KEY_BASE64);

        // a server without the key: a clear answer, nothing stored, the sender may try again later (it
        // also took the MQTT messages above in its own subscription group, and stored none of them)
        String keylessUrl = "http://127.0.0.1:" + keylessHttp + "/api/lpr/data";
        var noKey = Http.postJson(keylessUrl, seal(KEY, Http.detection(id[7], "NOKEY9")));
        assertThat(noKey.statusCode()).isEqualTo(500);
        assertThat(noKey.body()).contains("no payload encryption key is configured").doesNotContain("NOKEY9");
        assertThat(new Db(dir.resolve("keyless-server.db")).count("SELECT count(*) FROM lpr_detections")).isZero();
        assertThat(Http.postJson(keylessUrl, Http.detection(id[8], "CLEAR10")).statusCode()).isEqualTo(200);
    }

    /** A seed 003 or seed 002 message as an edge with this key seals it. */
    private static String seal(byte[] key, String message) throws Exception {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("message_id", JSON.readTree(message).path("message_id").asText());
        envelope.put("encryption", "aes-256-gcm");
        envelope.put("payload", new PayloadCipher(key).seal(message.getBytes(StandardCharsets.UTF_8)));
        return JSON.writeValueAsString(envelope);
    }

    /** The envelope with one bit of its ciphertext changed. */
    private static String alter(String envelope) throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = JSON.readValue(envelope, LinkedHashMap.class);
        byte[] raw = Base64.getDecoder().decode((String) m.get("payload"));
        raw[raw.length - 3] ^= 0x04;
        m.put("payload", Base64.getEncoder().encodeToString(raw));
        return JSON.writeValueAsString(m);
    }

    private static void assertSealed(String json) {
        try {
            Map<?, ?> m = JSON.readValue(json, Map.class);
            assertThat(m.keySet().stream().map(Object::toString).toList()).containsExactlyInAnyOrder("message_id", "encryption", "payload");
            assertThat(m.get("encryption")).isEqualTo("aes-256-gcm");
            assertThat(Base64.getDecoder().decode((String) m.get("payload")).length).isGreaterThan(28);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    /**
     * The text frames clients sent through the proxy: handshakes skipped, frames unmasked (a
     * client masks every frame, so the raw bytes would hide plain text anyway).
     */
    private static List<String> clientTextFrames(byte[] wire) {
        List<String> texts = new java.util.ArrayList<>();
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        int i = 0;
        while (i < wire.length) {
            if (wire.length - i >= 4 && new String(wire, i, 4, StandardCharsets.ISO_8859_1).equals("GET ")) {
                String rest = new String(wire, i, wire.length - i, StandardCharsets.ISO_8859_1);
                i += rest.indexOf("\r\n\r\n") + 4;
                continue;
            }
            int opcode = wire[i] & 0x0f;
            boolean fin = (wire[i] & 0x80) != 0;
            long length = wire[i + 1] & 0x7f;
            int at = i + 2;
            if (length == 126) {
                length = ((wire[at] & 0xff) << 8) | (wire[at + 1] & 0xff);
                at += 2;
            } else if (length == 127) {
                length = 0;
                for (int b = 0; b < 8; b++) {
                    length = (length << 8) | (wire[at + b] & 0xff);
                }
                at += 8;
            }
            byte[] mask = java.util.Arrays.copyOfRange(wire, at, at + 4);
            at += 4;
            if (opcode < 8) {
                for (int b = 0; b < length; b++) {
                    message.write(wire[at + b] ^ mask[b % 4]);
                }
                if (fin) {
                    texts.add(message.toString(StandardCharsets.UTF_8));
                    message.reset();
                }
            }
            i = at + (int) length;
        }
        return texts;
    }
}
