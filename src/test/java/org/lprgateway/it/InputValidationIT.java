package org.lprgateway.it;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.lprgateway.ingest.CameraIds;
import org.lprgateway.support.Db;
import org.lprgateway.support.GatewayProcess;
import org.lprgateway.support.Http;
import org.lprgateway.support.Jpeg;
import org.lprgateway.support.Metrics;
import org.lprgateway.support.Mosquitto;
import org.lprgateway.support.MqttProbe;
import org.lprgateway.support.Ports;
import org.lprgateway.support.WsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hostile input against a server process over REST, WebSocket and a real Mosquitto: each message is
 * refused with its status and reason (HTTP status and JSON, WebSocket error reply, MQTT acknowledgement
 * or log line and counter), nothing of it is stored, and the valid records sent alongside are.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InputValidationIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Path dir;
    private Mosquitto broker;
    private MqttProbe probe;
    private GatewayProcess server;
    private int http;
    private String rest;
    private String ws;
    private Db db;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("input-validation");
        broker = new Mosquitto().start();
        probe = new MqttProbe(broker.url(), "probe-" + UUID.randomUUID()).subscribe("lprserver/#", 1);
        http = Ports.free();
        int wsPort = Ports.free();
        server = new GatewayProcess("input-validation-server", "server")
                .filesUnder(dir)
                .set("gateway.http.port", http)
                .set("websocket.port", wsPort)
                .set("server.db.path", dir.resolve("server.db"))
                .set("mqtt.brokerUrl", broker.url())
                .set("mqtt.maxReconnectDelayMillis", 1000)
                .start().awaitHttp(http, "/health");
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get("http://127.0.0.1:" + http + "/ready").statusCode() == 200);
        rest = "http://127.0.0.1:" + http + "/api/lpr/data";
        ws = "ws://127.0.0.1:" + wsPort;
        db = new Db(dir.resolve("server.db"));
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (probe != null) {
            probe.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    // ---- messages ----

    private static Map<String, Object> detection(String messageId, String plate) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("license_plate", plate);
        data.put("confidence", 91.5);
        data.put("checkpoint_id", "CP001");
        data.put("timestamp", "2025-03-01T08:15:30");
        data.put("hostname", "aicamera");
        data.put("image", null);
        Map<String, Object> msg = new LinkedHashMap<>();
        if (messageId != null) {
            msg.put("message_id", messageId);
        }
        msg.put("table", "lpr_detection");
        msg.put("action", "insert");
        msg.put("data", data);
        return msg;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(Map<String, Object> msg) {
        return (Map<String, Object>) msg.get("data");
    }

    private static Map<String, Object> mqttDetection(String camera, String plate) {
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("message_id", UUID.randomUUID().toString());
        msg.put("timestamp", "2025-03-01T08:15:30Z");
        msg.put("camera_id", camera);
        msg.put("checkpoint_id", "CP001");
        msg.put("detection_data", Map.of("plates", List.of(Map.of("plate_number", plate, "confidence", 0.9))));
        msg.put("metadata", Map.of("hostname", "aicamera"));
        return msg;
    }

    private static String json(Object value) throws Exception {
        return JSON.writeValueAsString(value);
    }

    private static Map<String, Object> parse(String text) throws Exception {
        return JSON.readValue(text, new TypeReference<>() { });
    }

    private static String dataUri(byte[] jpeg) {
        return "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg);
    }

    private long plates(String plate) {
        return db.count("SELECT count(*) FROM lpr_detections WHERE license_plate = '" + plate + "'");
    }

    private void assertRefused(HttpResponse<String> response, int status, String reason, String field) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        Map<String, Object> body = parse(response.body());
        assertThat(body).containsEntry("status", "error").containsEntry("code", status).containsEntry("reason", reason);
        if (field != null) {
            assertThat(body).containsEntry("field", field);
        }
    }

    private double mqttRefusals() {
        return Metrics.value(http, "lpr_ingest_total", "transport=\"mqtt\"", "result=\"400\"");
    }

    // ---- REST ----

    @Test
    void rest_refuses_json_that_is_not_an_object_or_not_json_as_400_never_500() throws Exception {
        for (String body : List.of("[1,2]", "\"text\"", "42", "true", "null")) {
            assertRefused(Http.postJson(rest, body), 400, "invalid_record", null);
        }
        assertRefused(Http.postJson(rest, "{not json"), 400, "malformed_json", null);
        assertThat(Metrics.value(http, "lpr_ingest_total", "transport=\"rest\"", "result=\"500\"")).isZero();

        assertThat(Http.postJson(rest, json(detection(UUID.randomUUID().toString(), "REST OK1"))).statusCode()).isEqualTo(200);
        assertThat(plates("REST OK1")).isEqualTo(1);
    }

    @Test
    void rest_refuses_implausible_times_and_confidences_naming_the_field() throws Exception {
        for (String ts : List.of("9999-01-01T00:00:00", "0001-01-01T00:00:00", "1970-01-01T00:00:00Z")) {
            Map<String, Object> msg = detection(UUID.randomUUID().toString(), "REST TIME");
            data(msg).put("timestamp", ts);
            assertRefused(Http.postJson(rest, json(msg)), 400, "invalid_record", "data.timestamp");
        }
        for (Object confidence : List.of("0x1p6", "1e1", 100.5, -1)) {
            Map<String, Object> msg = detection(UUID.randomUUID().toString(), "REST CONF");
            data(msg).put("confidence", confidence);
            assertRefused(Http.postJson(rest, json(msg)), 400, "invalid_record", "data.confidence");
        }
        assertThat(plates("REST TIME") + plates("REST CONF")).isZero();

        Map<String, Object> valid = detection(UUID.randomUUID().toString(), "REST OK2");
        data(valid).put("confidence", "64.0");
        assertThat(Http.postJson(rest, json(valid)).statusCode()).isEqualTo(200);
        assertThat(plates("REST OK2")).isEqualTo(1);
    }

    @Test
    void a_line_break_in_a_field_is_refused_and_forges_no_log_line() throws Exception {
        Map<String, Object> forged = detection(UUID.randomUUID().toString(), "AB1\nFORGEDLINE INFO all is well");
        assertRefused(Http.postJson(rest, json(forged)), 400, "invalid_record", "data.license_plate");
        Map<String, Object> rtl = detection(UUID.randomUUID().toString(), "AB\u202E4321");
        assertRefused(Http.postJson(rest, json(rtl)), 400, "invalid_record", "data.license_plate");
        // a message_id is echoed in the log line of the refusal: its line break must not start a line
        Map<String, Object> badId = detection("x\nFORGEDLINE2 WARN forged", "REST ID");
        assertRefused(Http.postJson(rest, json(badId)), 400, "invalid_record", "message_id");

        assertThat(db.count("SELECT count(*) FROM lpr_detections WHERE license_plate LIKE 'AB%' OR license_plate = 'REST ID'")).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(server.logFile()).contains("FORGEDLINE2"));
        List<String> lines = Files.readAllLines(server.logFile());
        assertThat(lines).noneMatch(l -> l.startsWith("FORGEDLINE"));
        assertThat(lines).filteredOn(l -> l.contains("FORGEDLINE2")).singleElement()
                .satisfies(l -> assertThat(l).contains("x\\nFORGEDLINE2"));
    }

    @Test
    void rest_camera_api_refuses_invalid_camera_ids_in_its_path() throws Exception {
        for (String camera : List.of("CAM..1", "%3Cb%3Ex%3C%2Fb%3E", "C".repeat(200), "CAM%E2%80%AE1")) {
            HttpResponse<String> r = Http.postJson("http://127.0.0.1:" + http + "/api/cameras/" + camera + "/control",
                    "{\"command\":\"report_status\"}");
            assertRefused(r, 400, "invalid_record", "camera_id");
        }
    }

    @Test
    void records_without_message_id_whose_fields_hold_the_separator_do_not_collide() throws Exception {
        Map<String, Object> first = detection(null, "REST NK");
        data(first).put("checkpoint_id", "A|B");
        data(first).put("hostname", "C");
        Map<String, Object> second = detection(null, "REST NK");
        data(second).put("checkpoint_id", "A");
        data(second).put("hostname", "B|C");

        Map<String, Object> a = parse(Http.postJson(rest, json(first)).body());
        Map<String, Object> b = parse(Http.postJson(rest, json(second)).body());

        assertThat(a).containsEntry("status", "success");
        assertThat(b).containsEntry("status", "success").containsEntry("message", "Data saved successfully");
        assertThat(a.get("record_id")).isNotEqualTo(b.get("record_id"));
        assertThat(plates("REST NK")).isEqualTo(2);
    }

    // ---- inline images and duplicates (WebSocket and REST) ----

    @Test
    void an_image_declaring_30000_by_30000_pixels_is_refused_and_no_preview_is_written() throws Exception {
        byte[] bomb = Jpeg.declaring(30000, 30000);
        Map<String, Object> msg = detection(UUID.randomUUID().toString(), "WS BOMB");
        data(msg).put("image", dataUri(bomb));
        Map<String, Object> valid = detection(UUID.randomUUID().toString(), "WS IMG OK");
        data(valid).put("image", dataUri(Jpeg.bytes(64, 48)));
        try (WsClient client = new WsClient(ws)) {
            Map<String, Object> reply = parse(client.request(json(msg)));
            assertThat(reply).containsEntry("status", "error").containsEntry("code", 400)
                    .containsEntry("reason", "invalid_record").containsEntry("field", "data.image");
            assertThat(reply.get("message").toString()).contains("30000x30000");
            assertThat(parse(client.request(json(valid)))).containsEntry("status", "success");
        }
        assertThat(plates("WS BOMB")).isZero();
        assertThat(plates("WS IMG OK")).isEqualTo(1);
        try (var files = Files.walk(dir.resolve("server-previews"))) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.startsWith(msg.get("message_id").toString()) || n.startsWith("." + msg.get("message_id")));
        }
    }

    @Test
    void a_duplicate_message_id_with_another_image_is_a_conflict_and_the_stored_preview_stays() throws Exception {
        String id = UUID.randomUUID().toString();
        byte[] first = Jpeg.bytes(64, 48);
        Map<String, Object> original = detection(id, "WS DUP");
        data(original).put("image", dataUri(first));
        Map<String, Object> other = detection(id, "WS DUP");
        data(other).put("image", dataUri(Jpeg.bytes(32, 32)));
        Map<String, Object> otherPlate = detection(id, "WS DUP2");
        try (WsClient client = new WsClient(ws)) {
            assertThat(parse(client.request(json(original)))).containsEntry("status", "success");
            Map<String, Object> conflict = parse(client.request(json(other)));
            assertThat(conflict).containsEntry("status", "error").containsEntry("code", 409)
                    .containsEntry("reason", "duplicate_conflict").containsEntry("field", "preview_sha256")
                    .containsEntry("message_id", id);
            Map<String, Object> again = parse(client.request(json(original)));
            assertThat(again).containsEntry("status", "success");
            assertThat(again.get("message").toString()).contains("duplicate");
        }
        assertRefused(Http.postJson(rest, json(otherPlate)), 409, "duplicate_conflict", "license_plate");
        // the same record without its inline image (as REST and MQTT carry it) is the same record
        Map<String, Object> withoutImage = detection(id, "WS DUP");
        assertThat(Http.postJson(rest, json(withoutImage)).statusCode()).isEqualTo(200);

        assertThat(db.count("SELECT count(*) FROM lpr_detections WHERE message_id = '" + id + "'")).isEqualTo(1);
        assertThat(db.string("SELECT license_plate FROM lpr_detections WHERE message_id = '" + id + "'")).isEqualTo("WS DUP");
        Path preview = Path.of(db.string("SELECT image_path FROM lpr_detections WHERE message_id = '" + id + "'"));
        assertThat(preview).hasBinaryContent(first);
        try (var files = Files.walk(preview.getParent())) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .filteredOn(n -> n.contains(id)).containsExactly(id + ".jpg");
        }
    }

    @Test
    void websocket_refuses_a_non_object_and_keeps_the_connection() throws Exception {
        try (WsClient client = new WsClient(ws)) {
            assertThat(parse(client.request("[1,2,3]"))).containsEntry("status", "error").containsEntry("code", 400)
                    .containsEntry("reason", "invalid_record");
            assertThat(parse(client.request(json(detection(UUID.randomUUID().toString(), "WS OK3")))))
                    .containsEntry("status", "success");
        }
        assertThat(plates("WS OK3")).isEqualTo(1);
    }

    // ---- MQTT ----

    @Test
    void mqtt_non_object_and_foreign_camera_id_are_acknowledged_as_refused_and_counted() throws Exception {
        String ack = "lprserver/cameras/CAM001/detection/ack";
        double before = mqttRefusals();
        probe.publish("lprserver/cameras/CAM001/detection", "[1,2]", 1);
        probe.publish("lprserver/cameras/CAM001/detection", json(mqttDetection("CAM002", "MQ FOREIGN")), 1);
        Map<String, Object> conflictFirst = mqttDetection("CAM001", "MQ ORIGINAL");
        probe.publish("lprserver/cameras/CAM001/detection", json(conflictFirst), 1);
        await().atMost(Duration.ofSeconds(15)).until(() -> plates("MQ ORIGINAL") == 1);
        Map<String, Object> conflict = new LinkedHashMap<>(conflictFirst);
        conflict.put("detection_data", Map.of("plates", List.of(Map.of("plate_number", "MQ OTHER", "confidence", 0.9))));
        probe.publish("lprserver/cameras/CAM001/detection", json(conflict), 1);
        Map<String, Object> valid = mqttDetection("CAM001", "MQ OK1");
        probe.publish("lprserver/cameras/CAM001/detection", json(valid), 1);

        // the acknowledgement of the last one sent (earlier tests' acknowledgements are on the same topic)
        await().atMost(Duration.ofSeconds(15)).until(() -> probe.on(ack).stream()
                .anyMatch(r -> r.payload().contains(String.valueOf(valid.get("message_id")))));
        List<Map<String, Object>> acks = new java.util.ArrayList<>();
        for (MqttProbe.Received r : probe.on(ack)) {
            acks.add(parse(r.payload()));
        }
        assertThat(acks).anySatisfy(a -> assertThat(a).containsEntry("status", "error").containsEntry("code", 400)
                .containsEntry("reason", "invalid_record").doesNotContainKey("message_id"));
        assertThat(acks).anySatisfy(a -> assertThat(a).containsEntry("code", 400).containsEntry("field", "camera_id"));
        assertThat(acks).anySatisfy(a -> assertThat(a).containsEntry("code", 409).containsEntry("reason", "duplicate_conflict")
                .containsEntry("message_id", conflictFirst.get("message_id")));
        assertThat(acks).anySatisfy(a -> assertThat(a).containsEntry("status", "success").containsEntry("message_id", valid.get("message_id")));
        assertThat(mqttRefusals() - before).isEqualTo(2);
        assertThat(Metrics.value(http, "lpr_ingest_total", "transport=\"mqtt\"", "result=\"409\"")).isEqualTo(1);
        assertThat(Metrics.value(http, "lpr_ingest_total", "transport=\"mqtt\"", "result=\"500\"")).isZero();
        assertThat(plates("MQ FOREIGN") + plates("MQ OTHER")).isZero();
        assertThat(plates("MQ OK1")).isEqualTo(1);
    }

    @Test
    void mqtt_topic_levels_that_are_not_camera_ids_store_nothing_and_get_no_acknowledgement() throws Exception {
        List<String> hostile = List.of("..", "<img src=x onerror=alert(1)>", "C".repeat(5000), "CAM\u202E100", "CAM..1");
        double before = mqttRefusals();
        for (String camera : hostile) {
            probe.publish("lprserver/cameras/" + camera + "/detection", json(mqttDetection(null, "MQ TOPIC")), 1);
            probe.publish("lprserver/cameras/" + camera + "/health", json(Map.of("health_status", "healthy",
                    "timestamp", "2025-03-01T08:15:30Z")), 0);
        }
        Map<String, Object> valid = mqttDetection("CAM001", "MQ OK2");
        probe.publish("lprserver/cameras/CAM001/detection", json(valid), 1);

        await().atMost(Duration.ofSeconds(15)).until(() -> plates("MQ OK2") == 1 && mqttRefusals() - before >= 2 * hostile.size());
        assertThat(mqttRefusals() - before).isEqualTo(2 * hostile.size());
        assertThat(plates("MQ TOPIC")).isZero();
        assertThat(probe.received()).noneMatch(r -> r.topic().endsWith("/ack") && !r.topic().startsWith("lprserver/cameras/CAM001/"));
        assertThat(db.strings("SELECT camera_id FROM cameras")).isNotEmpty().allMatch(CameraIds::valid);
    }

    @Test
    void a_garbage_health_report_is_refused_and_never_becomes_last_health() throws Exception {
        double before = mqttRefusals();
        probe.publish("lprserver/cameras/CAMH1/health", "{\"health_status\":\"<script>alert(1)</script>\",\"timestamp\":\"2025-03-01T08:15:30Z\"}", 0);
        probe.publish("lprserver/cameras/CAMH1/health", "{\"health_status\":\"healthy\",\"timestamp\":\"2025-03-01T08:15:30Z\",\"health_details\":{\"cpu_usage\":\"lots\"}}", 0);
        probe.publish("lprserver/cameras/CAMH1/health", "[\"healthy\"]", 0);
        probe.publish("lprserver/cameras/CAMH2/health", json(Map.of("message_id", UUID.randomUUID().toString(),
                "timestamp", "2025-03-01T08:15:30Z", "camera_id", "CAMH2", "health_status", "healthy",
                "health_details", Map.of("cpu_usage", 12.5, "camera_status", "active"), "alerts", List.of())), 0);

        await().atMost(Duration.ofSeconds(15)).until(() -> mqttRefusals() - before >= 3
                && db.count("SELECT count(*) FROM cameras WHERE camera_id = 'CAMH2' AND last_health IS NOT NULL") == 1);
        assertThat(mqttRefusals() - before).isEqualTo(3);
        assertThat(db.count("SELECT count(*) FROM cameras WHERE camera_id = 'CAMH1' AND last_health IS NOT NULL")).isZero();
        List<Map<String, Object>> cameras = JSON.readValue(Http.get("http://127.0.0.1:" + http + "/api/cameras").body(),
                new TypeReference<>() { });
        assertThat(cameras).filteredOn(c -> "CAMH2".equals(c.get("camera_id"))).singleElement()
                .satisfies(c -> assertThat(c).containsEntry("last_health_status", "healthy"));
        assertThat(cameras).filteredOn(c -> "CAMH1".equals(c.get("camera_id")))
                .allSatisfy(c -> assertThat(c.get("last_health")).isNull());
        assertThat(db.count("SELECT count(*) FROM health_monitors WHERE hostname = 'CAMH1'")).isZero();
    }
}
