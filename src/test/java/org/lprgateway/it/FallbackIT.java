package org.lprgateway.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.lprgateway.support.Db;
import org.lprgateway.support.FaultyProxy;
import org.lprgateway.support.GatewayProcess;
import org.lprgateway.support.Http;
import org.lprgateway.support.Metrics;
import org.lprgateway.support.Mosquitto;
import org.lprgateway.support.Ports;
import org.lprgateway.support.ProcessTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Circuit breakers and fallback chains against real servers turned off or cut: edge and server
 * as processes, Mosquitto, and a fault-injecting TCP proxy in front of the WebSocket.
 */
class FallbackIT extends ProcessTest {

    private final Path dir;
    private final int serverHttp = Ports.free();
    private final int serverWs = Ports.free();
    private final int edgeHttp = Ports.free();
    private Mosquitto broker;
    private GatewayProcess server;
    private GatewayProcess edge;
    private FaultyProxy wsLink;

    FallbackIT() throws Exception {
        dir = Files.createTempDirectory("fallback");
    }


    private GatewayProcess newServer() {
        return track(new GatewayProcess("fallback-server", "server"))
                .set("gateway.http.port", serverHttp)
                .set("websocket.port", serverWs)
                .set("server.db.path", dir.resolve("server.db"))
                .set("mqtt.brokerUrl", broker.url())
                .set("mqtt.server.clientId", "fallback-server");
    }

    private GatewayProcess newEdge(String wsUrl, String restUrl) {
        return track(new GatewayProcess("fallback-edge", "edge"))
                .set("gateway.http.port", edgeHttp)
                .set("edge.db.path", dir.resolve("edge.db"))
                .set("websocket.url", wsUrl)
                .set("rest.url", restUrl)
                .set("mqtt.brokerUrl", broker.url())
                .set("network.probe.url", "http://127.0.0.1:" + serverHttp + "/health")
                .set("network.probe.intervalMillis", 300)
                .set("mqtt.confirm.graceSeconds", 10)
                .set("mqtt.confirm.checkIntervalMillis", 2000)
                .set("breaker.minimumNumberOfCalls", 3)
                .set("breaker.slidingWindowSize", 5)
                .set("breaker.waitDurationInOpenStateSeconds", 2)
                .set("breaker.permittedCallsInHalfOpenState", 2)
                .set("outbox.backoff.baseMillis", 300)
                .set("outbox.backoff.maxMillis", 3000);
    }

    private String restUrl() {
        return "http://127.0.0.1:" + serverHttp + "/api/lpr/data";
    }

    private Db startEdge(GatewayProcess e) throws Exception {
        edge = e.start().awaitHttp(edgeHttp, "/health");
        Db edgeDb = new Db(dir.resolve("edge.db"));
        await().atMost(Duration.ofSeconds(30)).until(() -> edgeDb.count("SELECT count(*) FROM detection_results") == 0);
        return edgeDb;
    }

    private double breaker(String transport, String state) {
        return Metrics.value(edgeHttp, "resilience4j_circuitbreaker_state", "breaker-" + transport + "\"", "state=\"" + state + "\"");
    }

    @Test
    void websocket_cut_falls_back_to_rest_opens_its_breaker_then_half_opens_closes_and_fails_back() throws Exception {
        broker = track(new Mosquitto()).start();
        server = newServer().start().awaitHttp(serverHttp, "/health");
        wsLink = track(new FaultyProxy(serverWs)).drop(1.0);
        Db edgeDb = startEdge(newEdge("ws://127.0.0.1:" + wsLink.port() + "/", restUrl()));
        // a good network: small messages prefer WebSocket
        await().atMost(Duration.ofSeconds(30)).until(() -> Metrics.value(edgeHttp, "lpr_network_quality_level") >= 3);
        assertThat(Http.get("http://127.0.0.1:" + edgeHttp + "/api/status").body())
                .containsPattern("\"class\":\"(excellent|good)\"").contains("\"latency_ms\"").contains("\"loss_percent\":0.0");

        edgeDb.insertDetections(40, "CUT", 80.0);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                edgeDb.count("SELECT count(*) FROM detection_results WHERE sent_to_server = 0") == 0);
        Db serverDb = new Db(dir.resolve("server.db"));
        assertThat(serverDb.count("SELECT count(*) FROM lpr_detections WHERE transport = 'rest'")).isEqualTo(40);
        assertThat(Metrics.value(edgeHttp, "lpr_transport_fallback_total", "from=\"websocket\"", "to=\"rest\"")).isPositive();
        assertThat(Metrics.value(edgeHttp, "lpr_transport_failed_total", "transport=\"websocket\"")).isGreaterThanOrEqualTo(3);
        // after three failures in its window the WebSocket breaker opened and stopped trying; its trial calls
        // after each wait fail too, so it is open or half-open (depending on the instant), never closed
        assertThat(breaker("websocket", "open") + breaker("websocket", "half_open")).isEqualTo(1.0);
        assertThat(Metrics.value(edgeHttp, "lpr_transport_failed_total", "transport=\"websocket\"")).isLessThan(40);
        assertThat(Metrics.value(edgeHttp, "lpr_transport_short_circuited_total", "transport=\"websocket\"")).isPositive();

        // the link heals: after its wait the breaker lets trial calls through and closes again
        wsLink.drop(0);
        await().atMost(Duration.ofSeconds(20)).until(() -> breaker("websocket", "half_open") == 1.0
                || breaker("websocket", "closed") == 1.0);
        edgeDb.insertDetections(40, "HEALED", 80.0);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                edgeDb.count("SELECT count(*) FROM detection_results WHERE sent_to_server = 0") == 0);
        assertThat(breaker("websocket", "closed")).isEqualTo(1.0);
        // while half-open only the trial calls used the WebSocket; the rest fell back meanwhile
        assertThat(serverDb.count("SELECT count(*) FROM lpr_detections WHERE license_plate LIKE 'HEALED %' AND transport = 'websocket'"))
                .isPositive();

        // closed again: traffic is back on the preferred transport
        edgeDb.insertDetections(20, "BACK", 80.0);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                edgeDb.count("SELECT count(*) FROM detection_results WHERE sent_to_server = 0") == 0);
        assertThat(serverDb.count("SELECT count(*) FROM lpr_detections WHERE license_plate LIKE 'BACK %' AND transport = 'websocket'"))
                .isEqualTo(20);
        assertThat(serverDb.count("SELECT count(*) FROM lpr_detections")).isEqualTo(100);
    }

    @Test
    void websocket_and_rest_down_fall_back_to_mqtt() throws Exception {
        broker = track(new Mosquitto()).start();
        server = newServer().start().awaitHttp(serverHttp, "/health");
        Db edgeDb = startEdge(newEdge("ws://127.0.0.1:" + Ports.free() + "/", "http://127.0.0.1:" + Ports.free() + "/api/lpr/data"));
        await().atMost(Duration.ofSeconds(30)).until(() -> Metrics.value(edgeHttp, "lpr_network_quality_level") >= 3);

        edgeDb.insertDetections(30, "VIAMQTT", 80.0);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                edgeDb.count("SELECT count(*) FROM detection_results WHERE sent_to_server = 0") == 0);
        Db serverDb = new Db(dir.resolve("server.db"));
        await().atMost(Duration.ofSeconds(30)).until(() -> serverDb.count("SELECT count(*) FROM lpr_detections") == 30);
        assertThat(serverDb.count("SELECT count(*) FROM lpr_detections WHERE transport = 'mqtt'")).isEqualTo(30);
        assertThat(Metrics.value(edgeHttp, "lpr_transport_fallback_total", "from=\"rest\"", "to=\"mqtt\"")).isPositive();
        assertThat(Metrics.value(edgeHttp, "lpr_transport_sent_total", "transport=\"mqtt\"")).isEqualTo(30);
    }

    @Test
    void with_everything_down_nothing_is_lost_retries_back_off_and_each_row_arrives_once_after_recovery() throws Exception {
        // the server has run once, so the broker knows its persistent session; then all goes down
        broker = track(new Mosquitto()).start();
        server = newServer().start().awaitHttp(serverHttp, "/health");
        server.kill();
        broker.stop();
        Db edgeDb = startEdge(newEdge("ws://127.0.0.1:" + serverWs + "/", restUrl()));
        // the gateway's own records, beside the camera's file
        Db outbox = new Db(dir.resolve("edge.db-outbox.db"));

        edgeDb.insertDetections(25, "DARK", 80.0);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                outbox.count("SELECT count(*) FROM outbox_detections WHERE last_error LIKE 'no transport delivered%'") == 25
                        && Metrics.value(edgeHttp, "lpr_transport_short_circuited_total", "transport=\"rest\"") >= 25);
        assertThat(outbox.count("SELECT count(*) FROM outbox_detections WHERE sent_to_server = 1 OR parked_reason IS NOT NULL")).isZero();
        assertThat(edgeDb.count("SELECT count(*) FROM detection_results WHERE sent_to_server = 1")).isZero();
        // the breakers opened: their short-circuits are no attempts and grow no backoff, so rows
        // count far fewer attempts than they were looked at
        double tried = 0;
        double skipped = 0;
        for (String t : List.of("websocket", "rest", "mqtt")) {
            tried += Metrics.value(edgeHttp, "lpr_transport_failed_total", "transport=\"" + t + "\"");
            skipped += Metrics.value(edgeHttp, "lpr_transport_short_circuited_total", "transport=\"" + t + "\"");
        }
        assertThat(skipped).isGreaterThan(tried);
        assertThat(outbox.count("SELECT sum(attempts) FROM outbox_detections")).isLessThanOrEqualTo((long) tried);
        // a row really tried backs off: base 300 ms x 2^attempts, halved by jitter
        assertThat(outbox.count("SELECT count(*) FROM outbox_detections WHERE attempts >= 1")).isPositive();

        broker.start();
        server = newServer().start().awaitHttp(serverHttp, "/health");
        // the probe finds the server again: the waiting rows go at once, not when their backoff ends
        await().atMost(Duration.ofSeconds(30)).until(() ->
                edgeDb.count("SELECT count(*) FROM detection_results WHERE sent_to_server = 0") == 0);
        Db serverDb = new Db(dir.resolve("server.db"));
        await().atMost(Duration.ofSeconds(90)).until(() -> serverDb.count("SELECT count(*) FROM lpr_detections") == 25);
        assertThat(serverDb.count("SELECT count(DISTINCT message_id) FROM lpr_detections")).isEqualTo(25);
    }
}
