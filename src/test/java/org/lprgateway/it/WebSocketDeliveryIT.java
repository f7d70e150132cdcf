package org.lprgateway.it;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.Test;
import org.lprgateway.support.Db;
import org.lprgateway.support.GatewayProcess;
import org.lprgateway.support.Jpeg;
import org.lprgateway.support.Metrics;
import org.lprgateway.support.Ports;
import org.lprgateway.support.ProcessTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The edge's WebSocket sender against a real server process: acknowledgements, images, reconnects. */
class WebSocketDeliveryIT extends ProcessTest {

    private final Path dir;
    private final int serverHttp = Ports.free();
    private final int serverWs = Ports.free();
    private final int edgeHttp = Ports.free();
    private GatewayProcess server;
    private GatewayProcess edge;

    WebSocketDeliveryIT() throws Exception {
        dir = Files.createTempDirectory("ws-delivery");
    }

    /** The gateway's own records (attempts, errors, parking), beside the camera's file. */
    private Db outbox() {
        return new Db(dir.resolve("edge.db-outbox.db"));
    }


    private GatewayProcess newServer() {
        return track(new GatewayProcess("ws-server", "server"))
                .set("gateway.http.port", serverHttp)
                .set("websocket.port", serverWs)
                .set("server.db.path", dir.resolve("server.db"))
                .set("server.imageDir", dir.resolve("server-images"))
                .set("server.previewDir", dir.resolve("server-previews"));
    }

    private GatewayProcess newEdge(String wsUrl) {
        return newEdge(wsUrl, 5000);
    }

    private GatewayProcess newEdge(String wsUrl, int ackTimeoutMillis) {
        return track(new GatewayProcess("ws-edge", "edge"))
                .set("gateway.http.port", edgeHttp)
                .set("edge.db.path", dir.resolve("edge.db"))
                .set("gateway.transport.pinned", "websocket")
                .set("images.dir", dir.resolve("images"))
                // only the inline copy is under test here; the file routes have their own test
                .set("images.enabled", false)
                .set("websocket.url", wsUrl)
                .set("websocket.ackTimeoutMillis", ackTimeoutMillis)
                .set("outbox.backoff.baseMillis", 200)
                .set("outbox.backoff.maxMillis", 2000);
    }

    @Test
    void a_backlog_with_images_arrives_once_over_websocket_with_images_shrunk_and_missing_ones_null() throws Exception {
        Path image = Jpeg.write(dir.resolve("images/big.jpg"), 1280, 960);
        server = newServer().start().awaitHttp(serverHttp, "/api/lpr/data");
        edge = newEdge("ws://127.0.0.1:" + serverWs + "/").start().awaitHttp(edgeHttp, "/");
        Db edgeDb = new Db(dir.resolve("edge.db"));
        await().atMost(Duration.ofSeconds(30)).until(() -> edgeDb.count("SELECT count(*) FROM detection_results") == 0);

        edgeDb.insertDetections(300, "WSIMG", 90.0, image.toString());
        edgeDb.insertDetections(5, "WSNOIMG", 90.0, dir.resolve("images/missing.jpg").toString());
        edgeDb.insertHealth("camera", "PASS", "ok");

        await().atMost(Duration.ofSeconds(120)).until(() ->
                edgeDb.count("SELECT count(*) FROM detection_results WHERE sent_to_server = 0") == 0
                        && edgeDb.count("SELECT count(*) FROM health_checks WHERE sent_to_server = 0") == 0);
        Db serverDb = new Db(dir.resolve("server.db"));
        assertThat(serverDb.count("SELECT count(*) FROM lpr_detections WHERE transport = 'websocket'")).isEqualTo(305);
        assertThat(serverDb.count("SELECT count(DISTINCT message_id) FROM lpr_detections")).isEqualTo(305);
        assertThat(serverDb.count("SELECT count(*) FROM lpr_detections WHERE license_plate LIKE 'WSIMG %' AND image_path IS NOT NULL"))
                .isEqualTo(300);
        assertThat(serverDb.count("SELECT count(*) FROM lpr_detections WHERE license_plate LIKE 'WSNOIMG %' AND image_path IS NULL"))
                .isEqualTo(5);
        assertThat(serverDb.count("SELECT count(*) FROM health_monitors WHERE transport = 'websocket'")).isEqualTo(1);
        BufferedImage stored = Jpeg.read(Path.of(serverDb.string("SELECT image_path FROM lpr_detections WHERE image_path IS NOT NULL")));
        assertThat(stored.getWidth()).isEqualTo(640);
        assertThat(stored.getHeight()).isEqualTo(480);
    }

    @Test
    void the_sender_survives_a_server_down_at_start_and_a_server_killed_mid_drain_without_loss_or_duplicates() throws Exception {
        edge = newEdge("ws://127.0.0.1:" + serverWs + "/").start().awaitHttp(edgeHttp, "/");
        Db edgeDb = new Db(dir.resolve("edge.db"));
        await().atMost(Duration.ofSeconds(30)).until(() -> edgeDb.count("SELECT count(*) FROM detection_results") == 0);
        edgeDb.insertDetections(100, "EARLY");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                outbox().count("SELECT count(*) FROM outbox_detections WHERE last_error IS NOT NULL AND sent_to_server = 0") == 100);
        // the first failures say why; once the breaker opens, later attempts say so instead
        assertThat(outbox().strings("SELECT DISTINCT last_error FROM outbox_detections"))
                .allSatisfy(e -> assertThat(e).containsAnyOf("cannot connect", "circuit breaker open"));

        server = newServer().start().awaitHttp(serverHttp, "/api/lpr/data");
        await().atMost(Duration.ofSeconds(60)).until(() ->
                edgeDb.count("SELECT count(*) FROM detection_results WHERE sent_to_server = 0") == 0);

        Db serverDb = new Db(dir.resolve("server.db"));
        edgeDb.insertDetections(2000, "LATE");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> serverDb.count("SELECT count(*) FROM lpr_detections WHERE license_plate LIKE 'LATE %'") >= 50);
        server.kill();
        assertThat(edgeDb.count("SELECT count(*) FROM detection_results WHERE sent_to_server = 0")).isPositive();
        server = newServer().start().awaitHttp(serverHttp, "/api/lpr/data");

        await().atMost(Duration.ofSeconds(120)).until(() ->
                edgeDb.count("SELECT count(*) FROM detection_results WHERE sent_to_server = 0") == 0);
        assertThat(serverDb.count("SELECT count(*) FROM lpr_detections")).isEqualTo(2100);
        assertThat(serverDb.count("SELECT count(DISTINCT message_id) FROM lpr_detections")).isEqualTo(2100);
    }

    @Test
    void a_server_that_never_acknowledges_leaves_rows_unsent_with_the_timeout_as_reason() throws Exception {
        int silentPort = Ports.free();
        Vertx vertx = Vertx.vertx();
        try {
            HttpServer silent = vertx.createHttpServer().webSocketHandler(ws -> ws.textMessageHandler(text -> { }))
                    .listen(silentPort, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
            edge = newEdge("ws://127.0.0.1:" + silentPort + "/", 1000).start().awaitHttp(edgeHttp, "/");
            Db edgeDb = new Db(dir.resolve("edge.db"));
            await().atMost(Duration.ofSeconds(30)).until(() -> edgeDb.count("SELECT count(*) FROM detection_results") == 0);
            edgeDb.insertDetections(10, "SILENT");

            Db outbox = outbox();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    outbox.count("SELECT count(*) FROM outbox_detections WHERE last_error IS NOT NULL") == 10
                            && outbox.count("SELECT count(*) FROM outbox_detections WHERE attempts >= 1") >= 5);
            assertThat(outbox.count("SELECT count(*) FROM outbox_detections WHERE sent_to_server = 1")).isZero();
            assertThat(edgeDb.count("SELECT count(*) FROM detection_results WHERE sent_to_server = 1")).isZero();
            assertThat(outbox.count("SELECT count(*) FROM outbox_detections WHERE parked_reason IS NOT NULL")).isZero();
            List<String> errors = outbox.strings("SELECT DISTINCT last_error FROM outbox_detections");
            assertThat(errors).allSatisfy(e -> assertThat(e).containsAnyOf("no acknowledgement within 1000 ms", "circuit breaker open"));
            // every send that was tried timed out: the failures counted are the timeouts
            assertThat(Metrics.value(edgeHttp, "lpr_transport_failed_total", "transport=\"websocket\"")).isGreaterThanOrEqualTo(5);
            assertThat(Metrics.value(edgeHttp, "lpr_transport_sent_total")).isZero();
            silent.close();
        } finally {
            vertx.close();
        }
    }

    /**
     * The existing Python WebSocket server answers without message_id: success with its record_id,
     * or {"status": "error", "message": ...}. Mimicked here, answering in order on each connection.
     */
    @Test
    @SuppressWarnings("unchecked")
    void rows_reach_a_server_that_answers_without_message_id_and_its_error_replies_park_rows() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Set<String> stored = ConcurrentHashMap.newKeySet();
        AtomicInteger recordId = new AtomicInteger();
        int legacyPort = Ports.free();
        Vertx vertx = Vertx.vertx();
        try {
            HttpServer legacy = vertx.createHttpServer().webSocketHandler(ws -> ws.textMessageHandler(text -> {
                Map<String, Object> reply = new LinkedHashMap<>();
                try {
                    Map<String, Object> msg = json.readValue(text, Map.class);
                    Map<String, Object> data = (Map<String, Object>) msg.get("data");
                    Object plate = data.get("license_plate");
                    if (plate != null && plate.toString().startsWith("REFUSED")) {
                        reply.put("status", "error");
                        reply.put("message", "Invalid data: license_plate");
                    } else {
                        stored.add(String.valueOf(plate != null ? plate : data.get("component")));
                        reply.put("status", "success");
                        reply.put("message", "Data saved successfully");
                        reply.put("record_id", recordId.incrementAndGet());
                        reply.put("table", msg.get("table"));
                        reply.put("action", msg.get("action"));
                    }
                    ws.writeTextMessage(json.writeValueAsString(reply));
                } catch (java.io.IOException e) {
                    ws.writeTextMessage("{\"status\": \"error\", \"message\": \"Invalid JSON\"}");
                }
            })).listen(legacyPort, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
            edge = newEdge("ws://127.0.0.1:" + legacyPort + "/").start().awaitHttp(edgeHttp, "/");
            Db edgeDb = new Db(dir.resolve("edge.db"));
            await().atMost(Duration.ofSeconds(30)).until(() -> edgeDb.count("SELECT count(*) FROM detection_results") == 0);

            edgeDb.insertDetections(100, "LEGACY", 90.0);
            edgeDb.insertDetections(2, "REFUSED", 90.0);
            edgeDb.insertHealth("camera", "PASS", "ok");

            await().atMost(Duration.ofSeconds(120)).until(() ->
                    edgeDb.count("SELECT count(*) FROM detection_results WHERE license_plate LIKE 'LEGACY %' AND sent_to_server = 1") == 100
                            && edgeDb.count("SELECT count(*) FROM health_checks WHERE sent_to_server = 1") == 1
                            && outbox().count("SELECT count(*) FROM outbox_detections WHERE parked_reason IS NOT NULL") == 2);
            assertThat(stored).filteredOn(p -> p.startsWith("LEGACY ")).hasSize(100);
            assertThat(outbox().strings("SELECT parked_reason FROM outbox_detections WHERE parked_reason IS NOT NULL"))
                    .allSatisfy(r -> assertThat(r).contains("Invalid data: license_plate"));
            assertThat(edgeDb.count("SELECT count(*) FROM detection_results WHERE license_plate LIKE 'REFUSED %' AND sent_to_server = 1")).isZero();
            legacy.close();
        } finally {
            vertx.close();
        }
    }
}
