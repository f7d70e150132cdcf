package org.lprgateway.it;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.lprgateway.support.Db;
import org.lprgateway.support.GatewayProcess;
import org.lprgateway.support.Http;
import org.lprgateway.support.Jpeg;
import org.lprgateway.support.Mosquitto;
import org.lprgateway.support.MqttProbe;
import org.lprgateway.support.Ports;
import org.lprgateway.support.Signing;
import org.lprgateway.support.TestCredentials;
import org.lprgateway.support.WsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * An attacker on the same network against a server and an edge on their shipped settings (and
 * the test credentials): every hostile input over REST, WebSocket, MQTT (server and edge topics),
 * the management API, Jolokia and the camera's database is refused with a clear status and
 * reason and stores nothing, while valid records sent alongside all arrive and both processes
 * keep answering.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CAMERA = "CAM001";

    private Path dir;
    private Mosquitto broker;
    private MqttProbe attacker;
    private GatewayProcess server;
    private GatewayProcess edge;
    private String serverBase;
    private String edgeBase;
    private String rest;
    private String ws;
    private Db serverDb;
    private Db edgeDb;
    private Db outbox;
    private final Set<String> validPlates = ConcurrentHashMap.newKeySet();
    private final List<String> cases = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("hostile-input");
        broker = new Mosquitto().start();
        attacker = new MqttProbe(broker.url(), "attacker-" + UUID.randomUUID()).subscribe("lprserver/#", 1);
        int serverHttp = Ports.free();
        int wsPort = Ports.free();
        int edgeHttp = Ports.free();
        server = new GatewayProcess("hostile-server", "server")
                .filesUnder(dir)
                .set("gateway.http.port", serverHttp)
                .set("websocket.port", wsPort)
                .set("server.db.path", dir.resolve("server.db"))
                .set("mqtt.brokerUrl", broker.url())
                .set("mqtt.maxReconnectDelayMillis", 1000)
                .set("downlink.responseTimeoutMillis", 3000)
                // the attacks below fail authentication on purpose, many times a minute
                .set("security.rateLimit.failuresPerMinute", 10000)
                .start();
        edge = new GatewayProcess("hostile-edge", "edge")
                .filesUnder(dir)
                .set("gateway.http.port", edgeHttp)
                .set("edge.db.path", dir.resolve("edge.db"))
                .set("rest.url", "http://127.0.0.1:" + serverHttp + "/api/lpr/data")
                .set("network.probe.url", "http://127.0.0.1:" + serverHttp + "/health")
                .set("gateway.transport.pinned", "rest")
                .set("mqtt.brokerUrl", broker.url())
                .set("mqtt.maxReconnectDelayMillis", 1000)
                .set("images.enabled", false)
                .set("outbox.parkAfterAttempts", 1)
                .set("outbox.backoff.baseMillis", 200)
                .set("security.rateLimit.failuresPerMinute", 10000)
                .start();
        server.awaitHttp(serverHttp, "/health");
        edge.awaitHttp(edgeHttp, "/health");
        serverBase = "http://127.0.0.1:" + serverHttp;
        edgeBase = "http://127.0.0.1:" + edgeHttp;
        rest = serverBase + "/api/lpr/data";
        ws = "ws://127.0.0.1:" + wsPort + "/";
        serverDb = new Db(dir.resolve("server.db"));
        edgeDb = new Db(dir.resolve("edge.db"));
        outbox = new Db(dir.resolve("edge.db-outbox.db"));
        await().atMost(Duration.ofSeconds(60)).until(() -> Http.get(serverBase + "/ready").statusCode() == 200
                && Http.get(edgeBase + "/ready").statusCode() == 200);
    }

    @AfterAll
    void stop() throws Exception {
        edge.close();
        server.close();
        attacker.close();
        broker.close();
    }

    // ---- building blocks ----

    private DynamicTest attack(String name, ThrowingRunnable body) {
        cases.add(name);
        return DynamicTest.dynamicTest(name, body::run);
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Throwable;
    }

    private static String detection(String messageId, Consumer<Map<String, Object>> change) throws Exception {
        Map<String, Object> msg = JSON.readValue(Http.detection(messageId, "X"), new TypeReference<>() { });
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) msg.get("data");
        data.put("license_plate", "HOSTILE " + UUID.randomUUID().toString().substring(0, 8));
        data.put("timestamp", Instant.now().toString());
        change.accept(msg);
        return JSON.writeValueAsString(msg);
    }

    @SuppressWarnings("unchecked")
    private static Consumer<Map<String, Object>> field(String name, Object value) {
        return m -> ((Map<String, Object>) m.get("data")).put(name, value);
    }

    private static HttpResponse<String> post(String url, String body, String... headers) {
        HttpRequest.Builder b = Http.anonymous(url).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return Http.send(b.build());
    }

    private static HttpResponse<String> get(String url, String... headers) {
        HttpRequest.Builder b = Http.anonymous(url).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return Http.send(b.build());
    }

    /** As a camera with the fleet key; the answer must refuse with this status and name a reason. */
    private void refusedOverRest(String body, int status) throws Exception {
        long before = serverDb.count("SELECT count(*) FROM lpr_detections");
        HttpResponse<String> r = post(rest, body, "X-API-Key", TestCredentials.FLEET);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        Map<String, Object> reply = JSON.readValue(r.body(), new TypeReference<>() { });
        assertThat(reply).containsEntry("status", "error");
        assertThat(String.valueOf(reply.get("message")) + reply.get("reason")).isNotBlank();
        assertThat(serverDb.count("SELECT count(*) FROM lpr_detections")).isEqualTo(before);
        sendValidOverRest();
    }

    private void sendValidOverRest() throws Exception {
        String plate = "OK R" + validPlates.size();
        validPlates.add(plate);
        assertThat(post(rest, Http.detection(UUID.randomUUID().toString(), plate), "X-API-Key", TestCredentials.FLEET)
                .statusCode()).isEqualTo(200);
    }

    private static String jwt(String claims) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String head = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String body = b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(TestCredentials.JWT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return head + "." + body + "." + b64.encodeToString(mac.doFinal((head + "." + body).getBytes(StandardCharsets.UTF_8)));
    }

    // ---- REST ingest ----

    @TestFactory
    @Order(1)
    Stream<DynamicTest> rest_ingest() {
        long now = System.currentTimeMillis() / 1000;
        return Stream.of(
                attack("REST not JSON", () -> refusedOverRest("{\"table\": ", 400)),
                attack("REST JSON array", () -> refusedOverRest("[]", 400)),
                attack("REST JSON string", () -> refusedOverRest("\"lpr\"", 400)),
                attack("REST JSON number", () -> refusedOverRest("42", 400)),
                attack("REST JSON null", () -> refusedOverRest("null", 400)),
                attack("REST empty body", () -> refusedOverRest("", 400)),
                attack("REST no data", () -> refusedOverRest("{\"table\":\"lpr_detection\",\"action\":\"insert\"}", 400)),
                attack("REST data is a string", () -> refusedOverRest(detection(null, m -> m.put("data", "x")), 400)),
                attack("REST unknown table", () -> refusedOverRest(detection(null, m -> m.put("table", "users")), 400)),
                attack("REST action delete", () -> refusedOverRest(detection(null, m -> m.put("action", "delete")), 400)),
                attack("REST empty plate", () -> refusedOverRest(detection(null, field("license_plate", "")), 400)),
                attack("REST 5000-character plate", () -> refusedOverRest(detection(null, field("license_plate", "A".repeat(5000))), 400)),
                attack("REST plate forging a log line", () -> refusedOverRest(detection(null,
                        field("license_plate", "AB\n2026-01-01 INFO forged")), 400)),
                attack("REST plate with a right-to-left override", () -> refusedOverRest(detection(null, field("license_plate", "\u202eABC")), 400)),
                attack("REST plate with NUL", () -> refusedOverRest(detection(null, field("license_plate", "AB\u0000C")), 400)),
                attack("REST SQL in the plate", () -> refusedOverRest(detection(null,
                        field("license_plate", "'; DROP TABLE lpr_detections; --' OR 1=1")), 400)),
                attack("REST confidence 0x1p6", () -> refusedOverRest(detection(null, field("confidence", "0x1p6")), 400)),
                attack("REST confidence 1e400", () -> refusedOverRest(detection(null, m -> { }).replace("95.5", "1e400"), 400)),
                attack("REST confidence -1", () -> refusedOverRest(detection(null, field("confidence", -1)), 400)),
                attack("REST confidence 101", () -> refusedOverRest(detection(null, field("confidence", 101)), 400)),
                attack("REST confidence NaN", () -> refusedOverRest(detection(null, field("confidence", "NaN")), 400)),
                attack("REST year 9999", () -> refusedOverRest(detection(null, field("timestamp", "9999-12-31T23:59:59")), 400)),
                attack("REST year 0001", () -> refusedOverRest(detection(null, field("timestamp", "0001-01-01T00:00:00")), 400)),
                attack("REST timestamp not a time", () -> refusedOverRest(detection(null, field("timestamp", "yesterday")), 400)),
                attack("REST camera id ..", () -> refusedOverRest(detection(null, field("camera_id", "..")), 400)),
                attack("REST camera id HTML", () -> refusedOverRest(detection(null, field("camera_id", "<script>x</script>")), 400)),
                attack("REST 5000-character camera id", () -> refusedOverRest(detection(null, field("camera_id", "C".repeat(5000))), 400)),
                attack("REST image not base64", () -> refusedOverRest(detection(null, field("image", "%%%not-base64%%%")), 400)),
                attack("REST image declaring 30000x30000", () -> refusedOverRest(detection(null,
                        field("image", Base64.getEncoder().encodeToString(Jpeg.declaring(30000, 30000)))), 400)),
                attack("REST image file outside the folder", () -> refusedOverRest(detection(null, field("image_file", "../../etc/passwd")), 400)),
                attack("REST JSON nested 100000 deep", () -> refusedOverRest("[".repeat(100_000) + "]".repeat(100_000), 400)),
                attack("REST body of 6 MB", () -> {
                    HttpResponse<String> r = post(rest, "{\"x\":\"" + "A".repeat(6 * 1024 * 1024) + "\"}", "X-API-Key", TestCredentials.FLEET);
                    assertThat(r.statusCode()).isEqualTo(413);
                    sendValidOverRest();
                }),
                attack("REST without a credential", () -> assertThat(post(rest, detection(null, m -> { })).statusCode()).isEqualTo(401)),
                attack("REST with a wrong key", () -> assertThat(post(rest, detection(null, m -> { }), "X-API-Key", "guess-0123456789abcdef")
                        .statusCode()).isEqualTo(401)),
                attack("REST as a viewer", () -> assertThat(post(rest, detection(null, m -> { }), "X-API-Key", TestCredentials.VIEWER)
                        .statusCode()).isEqualTo(403)),
                attack("REST with an expired token", () -> assertThat(post(rest, detection(null, m -> { }), "Authorization", "Bearer "
                        + jwt("{\"role\":\"cameras\",\"aud\":\"lpr-gateway\",\"exp\":" + (now - 600) + "}")).statusCode()).isEqualTo(401)),
                attack("REST with an unsigned token", () -> assertThat(post(rest, detection(null, m -> { }), "Authorization", "Bearer "
                        + Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                        + Base64.getUrlEncoder().withoutPadding().encodeToString(("{\"role\":\"operator\",\"aud\":\"lpr-gateway\",\"exp\":"
                        + (now + 600) + "}").getBytes(StandardCharsets.UTF_8)) + ".").statusCode()).isEqualTo(401)),
                attack("REST same message_id with other content", () -> {
                    String id = UUID.randomUUID().toString();
                    String plate = "OK DUP" + validPlates.size();
                    validPlates.add(plate);
                    assertThat(post(rest, Http.detection(id, plate), "X-API-Key", TestCredentials.FLEET).statusCode()).isEqualTo(200);
                    refusedOverRest(Http.detection(id, "OTHER " + plate), 409);
                    assertThat(serverDb.string("SELECT license_plate FROM lpr_detections WHERE message_id = '" + id + "'")).isEqualTo(plate);
                }));
    }

    // ---- WebSocket ingest ----

    private Map<String, Object> overWebSocket(String frame) throws Exception {
        try (WsClient client = new WsClient(ws)) {
            return JSON.readValue(client.request(frame), new TypeReference<>() { });
        }
    }

    private void refusedOverWebSocket(String frame, int code) throws Exception {
        long before = serverDb.count("SELECT count(*) FROM lpr_detections");
        try (WsClient client = new WsClient(ws)) {
            Map<String, Object> reply = JSON.readValue(client.request(frame), new TypeReference<>() { });
            assertThat(reply).containsEntry("status", "error").containsEntry("code", code);
            // the connection stays usable for the next, valid record
            String plate = "OK W" + validPlates.size();
            validPlates.add(plate);
            assertThat(client.request(Http.detection(UUID.randomUUID().toString(), plate))).contains("success");
        }
        assertThat(serverDb.count("SELECT count(*) FROM lpr_detections")).isEqualTo(before + 1);
    }

    @TestFactory
    @Order(2)
    Stream<DynamicTest> websocket_ingest() {
        return Stream.of(
                attack("WS not JSON", () -> refusedOverWebSocket("{{{", 400)),
                attack("WS JSON array", () -> refusedOverWebSocket("[1,2]", 400)),
                attack("WS camera id HTML", () -> refusedOverWebSocket(detection(null, field("camera_id", "<b>x</b>")), 400)),
                attack("WS plate forging a log line", () -> refusedOverWebSocket(detection(null, field("license_plate", "X\r\nERROR forged")), 400)),
                attack("WS confidence 0x1p6", () -> refusedOverWebSocket(detection(null, field("confidence", "0x1p6")), 400)),
                attack("WS same message_id with other content", () -> {
                    String id = UUID.randomUUID().toString();
                    String plate = "OK WDUP" + validPlates.size();
                    validPlates.add(plate);
                    assertThat(overWebSocket(Http.detection(id, plate))).containsEntry("status", "success");
                    refusedOverWebSocket(Http.detection(id, "OTHER " + plate), 409);
                }),
                attack("WS handshake without a credential", () -> assertThatThrownBy(() -> new WsClient(ws, Map.of()))
                        .hasStackTraceContaining("401")),
                attack("WS handshake with a wrong key", () -> assertThatThrownBy(() -> new WsClient(ws, Map.of("X-API-Key", "guess-0123456789abcdef")))
                        .hasStackTraceContaining("401")),
                attack("WS handshake from a foreign page", () -> assertThatThrownBy(() -> new WsClient(ws,
                        Map.of("X-API-Key", TestCredentials.FLEET, "Origin", "http://evil.example"))).hasStackTraceContaining("403")),
                attack("WS handshake as a viewer", () -> assertThatThrownBy(() -> new WsClient(ws, Map.of("X-API-Key", TestCredentials.VIEWER)))
                        .hasStackTraceContaining("403")));
    }

    // ---- MQTT, the server's topics ----

    private static String mqttDetection(String camera, String plate) throws Exception {
        return JSON.writeValueAsString(Map.of("message_id", UUID.randomUUID().toString(), "timestamp", Instant.now().toString(),
                "camera_id", camera, "checkpoint_id", "CP001",
                "detection_data", Map.of("plates", List.of(Map.of("plate_number", plate, "confidence", 0.9))),
                "metadata", Map.of("hostname", "aicamera")));
    }

    private void refusedOverMqtt(String topic, String payload) throws Exception {
        long before = serverDb.count("SELECT count(*) FROM lpr_detections");
        attacker.publish(topic, payload, 1);
        String plate = "OK M" + validPlates.size();
        validPlates.add(plate);
        attacker.publish("lprserver/cameras/CAM009/detection", mqttDetection("CAM009", plate), 1);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                serverDb.count("SELECT count(*) FROM lpr_detections WHERE license_plate = '" + plate + "'") == 1);
        assertThat(serverDb.count("SELECT count(*) FROM lpr_detections")).isEqualTo(before + 1);
    }

    @TestFactory
    @Order(3)
    Stream<DynamicTest> mqtt_server_topics() {
        return Stream.of(
                attack("MQTT topic camera id ..", () -> refusedOverMqtt("lprserver/cameras/../detection", mqttDetection("..", "HOSTILE M1"))),
                attack("MQTT topic camera id HTML", () -> refusedOverMqtt("lprserver/cameras/<img src=x>/detection",
                        mqttDetection("<img src=x>", "HOSTILE M2"))),
                attack("MQTT topic camera id of 5000 characters", () -> refusedOverMqtt("lprserver/cameras/" + "C".repeat(5000) + "/detection",
                        mqttDetection("C".repeat(5000), "HOSTILE M3"))),
                attack("MQTT topic camera id with a right-to-left override", () -> refusedOverMqtt("lprserver/cameras/\u202eCAM/detection",
                        mqttDetection("\u202eCAM", "HOSTILE M4"))),
                attack("MQTT JSON array", () -> refusedOverMqtt("lprserver/cameras/CAM008/detection", "[]")),
                attack("MQTT not JSON", () -> refusedOverMqtt("lprserver/cameras/CAM008/detection", "not json")),
                attack("MQTT camera id in the message is not the topic's", () -> refusedOverMqtt("lprserver/cameras/CAM008/detection",
                        mqttDetection("CAM007", "HOSTILE M7"))),
                attack("MQTT garbage health never becomes last health", () -> {
                    attacker.publish("lprserver/cameras/CAM008/health", "{\"health_status\": \"<script>\", \"x\": [1,2,3]}", 0);
                    attacker.publish("lprserver/cameras/CAM008/health", "{\"health_status\": \"healthy\", \"health_details\": {\"cpu\": 500}}", 0);
                    refusedOverMqtt("lprserver/cameras/CAM008/health", "[\"not\", \"a\", \"report\"]");
                    assertThat(Http.get(serverBase + "/api/cameras").body()).doesNotContain("<script>").doesNotContain("\"cpu\":500");
                }),
                attack("MQTT refused messages are acknowledged, not redelivered", () -> {
                    int port = Integer.parseInt(serverBase.substring(serverBase.lastIndexOf(':') + 1));
                    double before = org.lprgateway.support.Metrics.value(port, "lpr_ingest_total", "transport=\"mqtt\"", "result=\"400\"");
                    attacker.publish("lprserver/cameras/CAM008/detection", "[\"once\"]", 1);
                    await().atMost(Duration.ofSeconds(10)).until(() -> org.lprgateway.support.Metrics.value(port, "lpr_ingest_total",
                            "transport=\"mqtt\"", "result=\"400\"") == before + 1);
                    Thread.sleep(3000);
                    assertThat(org.lprgateway.support.Metrics.value(port, "lpr_ingest_total", "transport=\"mqtt\"", "result=\"400\""))
                            .isEqualTo(before + 1);
                }));
    }

    // ---- MQTT, the edge's topics ----

    private static String control(String command, Instant at) {
        return "{\"message_id\": \"" + UUID.randomUUID() + "\", \"timestamp\": \"" + at + "\", \"camera_id\": \"" + CAMERA + "\","
                + " \"command\": \"" + command + "\", \"parameters\": {}}";
    }

    private void edgeStillDelivers() throws Exception {
        String prefix = "OK E" + validPlates.size();
        edgeDb.insertDetections(1, prefix);
        validPlates.add(prefix + " 0");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                serverDb.count("SELECT count(*) FROM lpr_detections WHERE license_plate = '" + prefix + " 0'") == 1);
    }

    @TestFactory
    @Order(4)
    Stream<DynamicTest> mqtt_edge_topics() {
        String controlTopic = "lprserver/cameras/" + CAMERA + "/control";
        String configTopic = "lprserver/cameras/" + CAMERA + "/config/update";
        String blacklistTopic = "lprserver/blacklist/updates";
        return Stream.of(
                attack("MQTT unsigned stop_sender", () -> {
                    attacker.publish(controlTopic, control("stop_sender", Instant.now()), 2);
                    Thread.sleep(1000);
                    edgeStillDelivers();
                }),
                attack("MQTT stop_sender signed with another key", () -> {
                    String stop = control("stop_sender", Instant.now());
                    attacker.publish(controlTopic, stop, 2, false, Signing.signed(controlTopic, stop, "another-key-0123456789abcdef0123"));
                    Thread.sleep(1000);
                    edgeStillDelivers();
                }),
                attack("MQTT stop_sender signed for another camera", () -> {
                    String stop = control("stop_sender", Instant.now());
                    attacker.publish(controlTopic, stop, 2, false, Signing.signed("lprserver/cameras/CAM002/control", stop));
                    Thread.sleep(1000);
                    edgeStillDelivers();
                }),
                attack("MQTT replayed stop_sender an hour old", () -> {
                    String stop = control("stop_sender", Instant.now().minusSeconds(3600));
                    attacker.publish(controlTopic, stop, 2, false, Signing.signed(controlTopic, stop));
                    Thread.sleep(1000);
                    edgeStillDelivers();
                }),
                attack("MQTT unsigned resend of everything", () -> {
                    attacker.publish(controlTopic, control("resend", Instant.now()).replace("{}",
                            "{\"from\": \"2000-01-01T00:00:00\", \"to\": \"2100-01-01T00:00:00\"}"), 2);
                    Thread.sleep(1000);
                    assertThat(outbox.count("SELECT count(*) FROM outbox_detections WHERE sent_to_server = 0 AND parked_reason IS NULL"))
                            .isZero();
                }),
                attack("MQTT unsigned config of version 2^63-1", () -> {
                    attacker.publish(configTopic, "{\"message_id\": \"" + UUID.randomUUID() + "\", \"camera_id\": \"" + CAMERA
                            + "\", \"version\": 9223372036854775807, \"config_data\": {\"batch_size\": 1}}", 2);
                    Thread.sleep(1000);
                    assertThat(Http.get(edgeBase + "/api/config").body()).doesNotContain("9223372036854775807");
                }),
                attack("MQTT signed config a year ahead", () -> {
                    long ahead = System.currentTimeMillis() + 365L * 24 * 3600 * 1000;
                    String msg = "{\"message_id\": \"" + UUID.randomUUID() + "\", \"camera_id\": \"" + CAMERA + "\", \"version\": " + ahead
                            + ", \"config_data\": {\"batch_size\": 3}}";
                    attacker.publish(configTopic, msg, 2, false, Signing.signed(configTopic, msg));
                    await().atMost(Duration.ofSeconds(10)).until(() -> attacker.on("lprserver/cameras/" + CAMERA + "/config/response")
                            .stream().anyMatch(r -> r.payload().contains("refused")));
                    assertThat(outbox.count("SELECT count(*) FROM gateway_config WHERE CAST(version AS TEXT) = '" + ahead + "'")).isZero();
                }),
                attack("MQTT unsigned retained blacklist of a huge version", () -> {
                    attacker.publish(blacklistTopic, "{\"action\": \"add\", \"plate\": \"FORGED1\", \"version\": 9223372036854775807,"
                            + " \"blacklist\": [{\"plate\": \"FORGED1\", \"reason\": \"forged\"}]}", 1, true, null);
                    Thread.sleep(1500);
                    assertThat(outbox.count("SELECT count(*) FROM plate_blacklist WHERE plate = 'FORGED1'")).isZero();
                    attacker.publish(blacklistTopic, "", 1, true, null);
                }),
                attack("MQTT unsigned error acknowledgement for a stored record", () -> {
                    String delivered = outbox.string("SELECT message_id FROM outbox_detections WHERE sent_to_server = 1 ORDER BY id LIMIT 1");
                    attacker.publish("lprserver/cameras/" + CAMERA + "/detection/ack",
                            "{\"message_id\": \"" + delivered + "\", \"status\": \"error\", \"message\": \"forged\"}", 1);
                    Thread.sleep(1000);
                    assertThat(outbox.string("SELECT coalesce(parked_reason, 'none') FROM outbox_detections WHERE message_id = '"
                            + delivered + "'")).isEqualTo("none");
                }),
                attack("MQTT forged control response for a camera that does not exist", () -> {
                    var answer = java.util.concurrent.CompletableFuture.supplyAsync(() -> Http.send(Http.anonymous(serverBase
                            + "/api/cameras/NOSUCH9/control").timeout(Duration.ofSeconds(30)).header("X-API-Key", TestCredentials.OPERATOR)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"command\": \"report_status\"}")).build()));
                    for (int i = 0; i < 20 && !answer.isDone(); i++) {
                        attacker.publish("lprserver/cameras/NOSUCH9/control/response", "{\"status\": \"success\"}", 1);
                        Thread.sleep(250);
                    }
                    HttpResponse<String> r = answer.get(30, java.util.concurrent.TimeUnit.SECONDS);
                    assertThat(r.statusCode()).isEqualTo(504);
                    assertThat(r.body()).contains("\"status\":\"timeout\"").doesNotContain("\"status\":\"success\"");
                }));
    }

    // ---- management API ----

    @TestFactory
    @Order(5)
    Stream<DynamicTest> management_api() {
        return Stream.of(
                attack("API status without a credential", () -> assertThat(get(edgeBase + "/api/status").statusCode()).isEqualTo(401)),
                attack("API config without a credential", () -> assertThat(get(edgeBase + "/api/config").statusCode()).isEqualTo(401)),
                attack("API stop the sender as a viewer", () -> assertThat(post(edgeBase + "/api/routes/outbox/stop", "",
                        "X-API-Key", TestCredentials.VIEWER).statusCode()).isEqualTo(403)),
                attack("API stop the sender as a camera", () -> assertThat(post(edgeBase + "/api/routes/outbox/stop", "",
                        "X-API-Key", TestCredentials.FLEET).statusCode()).isEqualTo(403)),
                attack("API stop the sender from a foreign page", () -> assertThat(post(edgeBase + "/api/routes/outbox/stop", "",
                        "X-API-Key", TestCredentials.OPERATOR, "Origin", "http://evil.example").statusCode()).isEqualTo(403)),
                attack("API stop the sender, browser says cross-site", () -> assertThat(post(edgeBase + "/api/routes/outbox/stop", "",
                        "X-API-Key", TestCredentials.OPERATOR, "Sec-Fetch-Site", "cross-site").statusCode()).isEqualTo(403)),
                attack("API unknown route group", () -> assertThat(Http.postJson(edgeBase + "/api/routes/bananas/stop", "").statusCode())
                        .isEqualTo(404)),
                attack("API unknown action", () -> assertThat(Http.postJson(edgeBase + "/api/routes/outbox/explode", "").statusCode())
                        .isEqualTo(400)),
                attack("API route group with a path", () -> assertThat(Http.postJson(edgeBase + "/api/routes/..%2F..%2Fetc/stop", "")
                        .statusCode()).isBetween(400, 404)),
                attack("API requeue of an unknown kind", () -> assertThat(Http.postJson(edgeBase + "/api/parked/bananas/1/requeue", "")
                        .statusCode()).isEqualTo(400)),
                attack("API camera control for a camera id with HTML", () -> assertThat(Http.postJson(serverBase
                        + "/api/cameras/%3Cscript%3E/control", "{\"command\": \"report_status\"}").statusCode()).isEqualTo(400)),
                attack("API blacklist from a foreign page", () -> {
                    assertThat(post(serverBase + "/api/blacklist", "{\"plate\": \"CSRF9\", \"reason\": \"x\"}",
                            "X-API-Key", TestCredentials.OPERATOR, "Origin", "http://evil.example").statusCode()).isEqualTo(403);
                    assertThat(Http.get(serverBase + "/api/blacklist").body()).doesNotContain("CSRF9");
                }),
                attack("API blacklist delete without a credential", () -> assertThat(Http.send(Http.anonymous(serverBase
                        + "/api/blacklist/ABC").DELETE().build()).statusCode()).isEqualTo(401)));
    }

    // ---- Jolokia ----

    @TestFactory
    @Order(6)
    Stream<DynamicTest> jolokia() {
        String jolokia = edgeBase + "/observe/jolokia";
        String context = "org.apache.camel:context=lpr-gateway,type=context,name=\\\"lpr-gateway\\\"";
        Path marker = dir.resolve("jolokia-was-here");
        String send = "{\"type\":\"exec\",\"mbean\":\"" + context + "\",\"operation\":\"sendStringBody(java.lang.String,java.lang.String)\","
                + "\"arguments\":[\"exec:touch?args=" + marker + "\",\"x\"]}";
        String sql = "{\"type\":\"exec\",\"mbean\":\"" + context + "\",\"operation\":\"requestStringBody(java.lang.String,java.lang.String)\","
                + "\"arguments\":[\"sql:DELETE FROM outbox_detections?dataSource=#edgeDb\",\"x\"]}";
        String stop = "{\"type\":\"exec\",\"mbean\":\"org.apache.camel:context=lpr-gateway,type=routes,name=\\\"poll-detections\\\"\","
                + "\"operation\":\"stop()\"}";
        return Stream.of(
                attack("Jolokia without a credential", () -> assertThat(get(jolokia + "/version").statusCode()).isEqualTo(401)),
                attack("Jolokia exec: URI as operator", () -> {
                    assertThat(post(jolokia, send, "X-API-Key", TestCredentials.OPERATOR).body()).contains("\"status\":403");
                    assertThat(marker).doesNotExist();
                }),
                attack("Jolokia sql: URI as operator", () -> {
                    long rows = outbox.count("SELECT count(*) FROM outbox_detections");
                    assertThat(post(jolokia, sql, "X-API-Key", TestCredentials.OPERATOR).body()).contains("\"status\":403");
                    assertThat(outbox.count("SELECT count(*) FROM outbox_detections")).isEqualTo(rows);
                }),
                attack("Jolokia route stop as a viewer", () -> assertThat(post(jolokia, stop, "X-API-Key", TestCredentials.VIEWER).statusCode())
                        .isEqualTo(403)),
                attack("Jolokia route stop without a credential", () -> assertThat(post(jolokia, stop).statusCode()).isEqualTo(401)),
                attack("Jolokia route stop as text/plain from a foreign page", () -> assertThat(Http.send(Http.anonymous(jolokia)
                        .POST(HttpRequest.BodyPublishers.ofString(stop)).header("Content-Type", "text/plain")
                        .header("Origin", "http://evil.example").header("X-API-Key", TestCredentials.OPERATOR).build()).statusCode())
                        .isEqualTo(403)),
                attack("Jolokia attribute write as operator", () -> assertThat(post(jolokia, "{\"type\":\"write\",\"mbean\":\"org.apache.camel:"
                        + "context=lpr-gateway,type=routes,name=\\\"poll-detections\\\"\",\"attribute\":\"Tracing\",\"value\":true}",
                        "X-API-Key", TestCredentials.OPERATOR).body()).contains("\"status\":403")),
                attack("Jolokia system properties", () -> assertThat(get(jolokia + "/read/java.lang:type=Runtime/SystemProperties",
                        "X-API-Key", TestCredentials.OPERATOR).body()).contains("\"status\":403")),
                attack("Jolokia JVM arguments", () -> assertThat(get(jolokia + "/read/java.lang:type=Runtime/InputArguments",
                        "X-API-Key", TestCredentials.OPERATOR).body()).contains("\"status\":403")),
                attack("Jolokia diagnostic command", () -> assertThat(post(jolokia, "{\"type\":\"exec\",\"mbean\":\"com.sun.management:"
                        + "type=DiagnosticCommand\",\"operation\":\"vmSystemProperties()\"}", "X-API-Key", TestCredentials.OPERATOR).body())
                        .contains("\"status\":403")),
                attack("Jolokia exec by GET as a viewer", () -> assertThat(get(jolokia + "/exec/org.apache.camel:context=lpr-gateway,"
                        + "type=routes,name=%22poll-detections%22/stop()", "X-API-Key", TestCredentials.VIEWER).statusCode()).isEqualTo(403)));
    }

    // ---- the camera's database ----

    private void hostileCameraRow(String plate, Object confidence, String timestamp) {
        edgeDb.exec("INSERT INTO detection_results (license_plate, confidence, checkpoint_id, timestamp, hostname, vehicle_type, "
                + "vehicle_color, sent_to_server) VALUES (" + sqlText(plate) + ", " + confidence + ", 'CP001', " + sqlText(timestamp)
                + ", 'cam-test', 'car', 'white', 0)");
    }

    private static String sqlText(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    @TestFactory
    @Order(7)
    Stream<DynamicTest> camera_database() {
        String now = java.time.LocalDateTime.now().toString();
        return Stream.of(
                attack("camera row with a plate forging a log line", () -> hostileCameraRow("DB1\nERROR forged by the camera", 90, now)),
                attack("camera row with confidence 1e9", () -> hostileCameraRow("DB2 HOSTILE", "1e9", now)),
                attack("camera row with a timestamp that is not a time", () -> hostileCameraRow("DB3 HOSTILE", 90, "not a time")),
                attack("camera row with a 5000-character plate", () -> hostileCameraRow("DB4" + "X".repeat(5000), 90, now)),
                attack("camera row from the year 9999", () -> hostileCameraRow("DB5 HOSTILE", 90, "9999-01-01T00:00:00")),
                attack("camera rows refused are parked with a reason, the rest flow", () -> {
                    edgeStillDelivers();
                    await().atMost(Duration.ofSeconds(60)).until(() -> outbox.count(
                            "SELECT count(*) FROM outbox_detections WHERE parked_reason IS NOT NULL AND license_plate LIKE 'DB%'") >= 4);
                    assertThat(serverDb.count("SELECT count(*) FROM lpr_detections WHERE license_plate LIKE 'DB%'")).isZero();
                    assertThat(Files.readString(edge.logFile())).doesNotContain("\nERROR forged by the camera");
                }));
    }

    // ---- afterwards ----

    @Test
    @Order(8)
    void afterwards_both_processes_answer_and_every_valid_record_sent_alongside_is_stored() throws Exception {
        assertThat(cases).hasSizeGreaterThanOrEqualTo(60);
        assertThat(Http.get(serverBase + "/health").statusCode()).isEqualTo(200);
        assertThat(Http.get(edgeBase + "/health").statusCode()).isEqualTo(200);
        assertThat(server.isAlive()).isTrue();
        assertThat(edge.isAlive()).isTrue();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                serverDb.strings("SELECT license_plate FROM lpr_detections WHERE license_plate LIKE 'OK %'"))
                .containsAll(validPlates));
        assertThat(serverDb.count("SELECT count(*) FROM lpr_detections WHERE license_plate LIKE 'HOSTILE%' OR license_plate LIKE 'OTHER%'"))
                .isZero();
        // no raw control character reached a log line
        for (GatewayProcess p : List.of(server, edge)) {
            String log = Files.readString(p.logFile());
            assertThat(log).doesNotContain("\n2026-01-01 INFO forged").doesNotContain("\nERROR forged").doesNotContain("\u202e");
        }
    }
}
