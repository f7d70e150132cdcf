package org.lprgateway.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.lprgateway.support.Db;
import org.lprgateway.support.GatewayProcess;
import org.lprgateway.support.Http;
import org.lprgateway.support.Mosquitto;
import org.lprgateway.support.Ports;
import org.lprgateway.support.ProcessTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The seed 003 endpoints of the existing web UI, and readiness. */
class ManagementApiIT extends ProcessTest {

    @Test
    void the_web_ui_endpoints_stop_list_and_start_the_sender_and_readiness_follows() throws Exception {
        Path dir = Files.createTempDirectory("management");
        int serverHttp = Ports.free();
        int edgeHttp = Ports.free();
        String edge = "http://127.0.0.1:" + edgeHttp;
        Mosquitto broker = track(new Mosquitto()).start();
        track(new GatewayProcess("mgmt-edge", "edge"))
                .set("mqtt.brokerUrl", broker.url())
                .set("gateway.http.port", edgeHttp)
                .set("edge.db.path", dir.resolve("edge.db"))
                .set("gateway.transport.pinned", "rest")
                .set("rest.url", "http://127.0.0.1:" + serverHttp + "/api/lpr/data")
                .start().awaitHttp(edgeHttp, "/health");
        Db edgeDb = new Db(dir.resolve("edge.db"));
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(edge + "/ready").statusCode() == 200
                && Http.get(edge + "/api/websocket_status").body().contains("\"running\":true"));

        assertThat(Http.postJson(edge + "/api/stop_websocket_sender", "").body()).contains("\"status\":\"success\"");
        await().atMost(Duration.ofSeconds(10)).until(() -> Http.get(edge + "/api/websocket_status").body()
                .contains("\"running\":false"));
        var notReady = Http.get(edge + "/ready");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).contains("route poll-detections is Stopped");

        // stopped: rows wait, and the UI lists them
        edgeDb.insertDetections(3, "WAITING");
        assertThat(Http.get(edge + "/api/websocket_unsent_data").body()).contains("WAITING 0").contains("WAITING 2");
        assertThat(Http.get(edge + "/api/websocket_status").body()).contains("\"detection_results\":3");

        track(new GatewayProcess("mgmt-server", "server"))
                .set("mqtt.brokerUrl", broker.url())
                .set("gateway.http.port", serverHttp)
                .set("websocket.port", Ports.free())
                .set("server.db.path", dir.resolve("server.db"))
                .start().awaitHttp(serverHttp, "/health");
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get("http://127.0.0.1:" + serverHttp + "/ready").statusCode() == 200);
        assertThat(edgeDb.count("SELECT count(*) FROM detection_results WHERE sent_to_server = 1")).isZero();

        assertThat(Http.postJson(edge + "/api/start_websocket_sender", "").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                edgeDb.count("SELECT count(*) FROM detection_results WHERE sent_to_server = 1") == 3);
        assertThat(Http.get(edge + "/ready").statusCode()).isEqualTo(200);
        assertThat(Http.postJson(edge + "/api/restart_websocket_sender", "").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> Http.get(edge + "/api/websocket_status").body()
                .contains("\"running\":true"));
    }
}
