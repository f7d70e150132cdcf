package org.lprgateway.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.lprgateway.support.Db;
import org.lprgateway.support.GatewayProcess;
import org.lprgateway.support.Http;
import org.lprgateway.support.Jpeg;
import org.lprgateway.support.Ports;
import org.lprgateway.support.WsClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The server's WebSocket ingest (seed 003, ws://host:8765) as the existing Python senders use it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebSocketIngestIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Path dir;
    private GatewayProcess server;
    private String url;
    private Db db;

    @BeforeAll
    void startServer() throws Exception {
        dir = Files.createTempDirectory("ws-ingest");
        int http = Ports.free();
        int ws = Ports.free();
        server = new GatewayProcess("ws-ingest-server", "server")
                .set("gateway.http.port", http)
                .set("websocket.port", ws)
                .set("server.db.path", dir.resolve("server.db"))
                .set("server.imageDir", dir.resolve("server-images"))
                .set("server.previewDir", dir.resolve("server-previews"))
                .start().awaitHttp(http, "/api/lpr/data");
        url = "ws://127.0.0.1:" + ws;
        db = new Db(dir.resolve("server.db"));
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    @Test
    void concurrent_clients_without_message_id_are_acknowledged_on_their_own_connection_and_stored_once() throws Exception {
        int clients = 10;
        int perClient = 20;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<List<Map<String, Object>>>> results = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            results.add(pool.submit(() -> {
                List<Map<String, Object>> acks = new ArrayList<>();
                try (WsClient ws = new WsClient(url)) {
                    for (int i = 0; i < perClient; i++) {
                        acks.add(parse(ws.request(Http.detection(null, "WSC " + client + "-" + i))));
                    }
                }
                return acks;
            }));
        }
        Set<Object> recordIds = new HashSet<>();
        for (Future<List<Map<String, Object>>> f : results) {
            List<Map<String, Object>> acks = f.get();
            assertThat(acks).hasSize(perClient).allSatisfy(ack -> {
                assertThat(ack).containsEntry("status", "success").containsEntry("table", "lpr_detection")
                        .containsEntry("action", "insert").containsKey("record_id").containsKey("message");
            });
            acks.forEach(a -> recordIds.add(a.get("record_id")));
        }
        pool.shutdown();
        assertThat(recordIds).hasSize(clients * perClient);
        assertThat(db.count("SELECT count(*) FROM lpr_detections WHERE license_plate LIKE 'WSC %' AND transport = 'websocket'"))
                .isEqualTo(clients * perClient);

        // the same reading sent again without an id is recognised by its natural key
        try (WsClient ws = new WsClient(url)) {
            Map<String, Object> again = parse(ws.request(Http.detection(null, "WSC 3-7")));
            assertThat(again.get("status")).isEqualTo("success");
            assertThat(again.get("message").toString()).contains("duplicate");
            assertThat(db.count("SELECT count(*) FROM lpr_detections WHERE license_plate = 'WSC 3-7'")).isEqualTo(1);
            assertThat(((Number) again.get("record_id")).longValue())
                    .isEqualTo(db.count("SELECT id FROM lpr_detections WHERE license_plate = 'WSC 3-7'"));
        }
    }

    @Test
    void invalid_input_gets_an_error_naming_the_problem_and_the_connection_stays_usable() throws Exception {
        try (WsClient ws = new WsClient(url)) {
            Map<String, Object> malformed = parse(ws.request("{not json"));
            assertThat(malformed.get("status")).isEqualTo("error");
            assertThat(malformed.get("message").toString()).contains("malformed JSON");

            Map<String, Object> invalid = parse(ws.request(Http.detection(null, "WS BAD").replace("95.5", "\"high\"")));
            assertThat(invalid).containsEntry("status", "error").containsEntry("field", "data.confidence");

            Map<String, Object> valid = parse(ws.request(Http.detection(UUID.randomUUID().toString(), "WS GOOD")));
            assertThat(valid.get("status")).isEqualTo("success");
        }
        assertThat(db.count("SELECT count(*) FROM lpr_detections WHERE license_plate = 'WS BAD'")).isZero();
    }

    @Test
    void an_inline_jpeg_is_checked_and_stored_as_its_record_id_file_and_a_non_jpeg_is_refused() throws Exception {
        byte[] jpeg = Jpeg.bytes(320, 240);
        String id = UUID.randomUUID().toString();
        String withImage = Http.detection(id, "WS IMG").replace("\"image\":null",
                "\"image\":\"data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg) + "\"");
        try (WsClient ws = new WsClient(url)) {
            assertThat(parse(ws.request(withImage)).get("status")).isEqualTo("success");

            byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0};
            String notJpeg = Http.detection(UUID.randomUUID().toString(), "WS PNG").replace("\"image\":null",
                    "\"image\":\"data:image/jpeg;base64," + Base64.getEncoder().encodeToString(png) + "\"");
            assertThat(parse(ws.request(notJpeg))).containsEntry("status", "error").containsEntry("field", "data.image");
        }
        Path stored = dir.resolve("server-previews/1/2024-08-06/" + id + ".jpg");
        assertThat(stored).exists();
        assertThat(Jpeg.sha256(Files.readAllBytes(stored))).isEqualTo(Jpeg.sha256(jpeg));
        assertThat(db.string("SELECT image_path FROM lpr_detections WHERE message_id = '" + id + "'")).endsWith(id + ".jpg");
        assertThat(db.count("SELECT count(*) FROM lpr_detections WHERE license_plate = 'WS PNG'")).isZero();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String json) throws Exception {
        return JSON.readValue(json, Map.class);
    }
}
