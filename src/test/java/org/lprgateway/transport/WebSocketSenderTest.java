package org.lprgateway.transport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lprgateway.outbox.RecordRejectedException;
import org.lprgateway.support.Ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The edge's WebSocket sender against small real WebSocket servers on loopback: one that answers
 * as the existing Python server does (no {@code message_id} in its replies), and one that echoes
 * the id as this gateway's server does.
 */
class WebSocketSenderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx = Vertx.vertx();
    private final WebSocketSender sender = new WebSocketSender();
    private final ExecutorService callers = Executors.newFixedThreadPool(8);

    /** What a test server saw: the record id it gave each plate, and the most frames it held unanswered on one connection. */
    private final Map<String, Integer> recordIds = new ConcurrentHashMap<>();
    private final AtomicInteger nextRecordId = new AtomicInteger(1000);
    private final AtomicInteger mostUnanswered = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();

    @AfterEach
    void stop() throws Exception {
        callers.shutdownNow();
        sender.stop();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /**
     * A server that answers each frame after {@code delayMillis} (plates starting {@code SLOW}
     * after {@code slowMillis}), in the shape of the Python server: success with {@code record_id},
     * {@code table} and {@code action}, or {@code {"status": "error", "message": ...}} for plates
     * starting {@code BAD}; with {@code message_id} only if {@code echoIds}.
     */
    private String server(boolean echoIds, long delayMillis, long slowMillis) throws Exception {
        int port = Ports.free();
        vertx.createHttpServer().webSocketHandler(ws -> serve(ws, echoIds, delayMillis, slowMillis))
                .listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return "ws://127.0.0.1:" + port + "/";
    }

    @SuppressWarnings("unchecked")
    private void serve(ServerWebSocket ws, boolean echoIds, long delayMillis, long slowMillis) {
        connections.incrementAndGet();
        AtomicInteger unanswered = new AtomicInteger();
        ws.textMessageHandler(text -> {
            mostUnanswered.accumulateAndGet(unanswered.incrementAndGet(), Math::max);
            Map<String, Object> reply = new LinkedHashMap<>();
            try {
                Map<String, Object> msg = JSON.readValue(text, Map.class);
                String plate = ((Map<String, Object>) msg.get("data")).get("license_plate").toString();
                if (plate.startsWith("BAD")) {
                    reply.put("status", "error");
                    reply.put("message", "Invalid data: license_plate");
                } else {
                    int recordId = nextRecordId.incrementAndGet();
                    recordIds.put(plate, recordId);
                    reply.put("status", "success");
                    reply.put("message", "Data saved successfully");
                    reply.put("record_id", recordId);
                    reply.put("table", msg.get("table"));
                    reply.put("action", msg.get("action"));
                }
                if (echoIds) {
                    reply.put("message_id", msg.get("message_id"));
                }
                String answer = JSON.writeValueAsString(reply);
                vertx.setTimer(plate.startsWith("SLOW") ? slowMillis : delayMillis, t -> {
                    unanswered.decrementAndGet();
                    if (!ws.isClosed()) {
                        ws.writeTextMessage(answer);
                    }
                });
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static String message(String plate) throws IOException {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("license_plate", plate);
        data.put("confidence", 90.0);
        data.put("checkpoint_id", "CP001");
        data.put("timestamp", "2024-08-06T10:30:00");
        data.put("hostname", "aicamera");
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("message_id", UUID.randomUUID().toString());
        msg.put("table", "lpr_detection");
        msg.put("action", "insert");
        msg.put("data", data);
        return JSON.writeValueAsString(msg);
    }

    private String send(String plate) throws Exception {
        String json = message(plate);
        return sender.send(json, JSON.readTree(json).get("message_id").asText());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> ack(String json) throws IOException {
        return JSON.readValue(json, Map.class);
    }

    /** Sends every plate from eight threads at once, as the outbox does; each result is the ack or the exception. */
    private Map<String, Object> sendAll(List<String> plates) throws Exception {
        Map<String, Future<String>> futures = new LinkedHashMap<>();
        for (String plate : plates) {
            futures.put(plate, callers.submit(() -> send(plate)));
        }
        Map<String, Object> results = new LinkedHashMap<>();
        for (Map.Entry<String, Future<String>> f : futures.entrySet()) {
            try {
                results.put(f.getKey(), ack(f.getValue().get(60, TimeUnit.SECONDS)));
            } catch (java.util.concurrent.ExecutionException e) {
                results.put(f.getKey(), e.getCause());
            }
        }
        return results;
    }

    private static List<String> plates(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + " " + i);
        }
        return out;
    }

    @Test
    void delivers_every_message_to_a_server_that_acknowledges_without_message_id_with_its_own_record_id() throws Exception {
        sender.setUrl(server(false, 2, 2));
        sender.setAckTimeoutMillis(20_000);

        Map<String, Object> results = sendAll(plates("LEGACY", 60));

        assertThat(recordIds).hasSize(60);
        results.forEach((plate, ack) -> assertThat(ack).as(plate).isInstanceOfSatisfying(Map.class, a -> assertThat(a)
                .containsEntry("status", "success")
                .containsEntry("record_id", recordIds.get(plate))
                .containsEntry("table", "lpr_detection")));
        // replies without id are matched by order, so the server never holds two of ours at once
        assertThat(mostUnanswered.get()).isEqualTo(1);
        assertThat(connections.get()).isEqualTo(1);
    }

    @Test
    void an_error_reply_without_message_id_refuses_that_message_and_the_others_are_acknowledged() throws Exception {
        sender.setUrl(server(false, 2, 2));
        sender.setAckTimeoutMillis(20_000);
        List<String> plates = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            plates.add((i % 3 == 0 ? "BAD " : "GOOD ") + i);
        }

        Map<String, Object> results = sendAll(plates);

        results.forEach((plate, result) -> {
            if (plate.startsWith("BAD")) {
                assertThat(result).as(plate).isInstanceOfSatisfying(RecordRejectedException.class,
                        e -> assertThat(e).hasMessageContaining("Invalid data: license_plate"));
            } else {
                assertThat(result).as(plate).isInstanceOfSatisfying(Map.class,
                        a -> assertThat(a).containsEntry("record_id", recordIds.get(plate)));
            }
        });
        assertThat(recordIds).hasSize(20);
        // a refusal is an answer, not a broken connection
        assertThat(connections.get()).isEqualTo(1);
    }

    @Test
    void a_reply_that_comes_after_the_timeout_is_not_taken_for_the_next_message() throws Exception {
        sender.setUrl(server(false, 2, 1500));
        sender.setAckTimeoutMillis(500);

        assertThatExceptionOfType(IOException.class).isThrownBy(() -> send("SLOW 1"))
                .withMessageContaining("no acknowledgement within 500 ms");
        Map<String, Object> next = ack(send("NEXT 1"));
        Map<String, Object> after = ack(send("NEXT 2"));

        assertThat(next).containsEntry("record_id", recordIds.get("NEXT 1"));
        assertThat(after).containsEntry("record_id", recordIds.get("NEXT 2"));
        // the timed-out connection was dropped, so the late reply had nowhere to go
        assertThat(connections.get()).isEqualTo(2);
    }

    @Test
    void a_server_that_echoes_message_ids_gets_many_messages_in_flight() throws Exception {
        sender.setUrl(server(true, 20, 20));
        sender.setAckTimeoutMillis(20_000);

        Map<String, Object> results = sendAll(plates("WINDOW", 80));

        results.forEach((plate, ack) -> assertThat(ack).as(plate).isInstanceOfSatisfying(Map.class,
                a -> assertThat(a).containsEntry("record_id", recordIds.get(plate))));
        assertThat(mostUnanswered.get()).isGreaterThan(1);
        assertThat(connections.get()).isEqualTo(1);
    }
}
