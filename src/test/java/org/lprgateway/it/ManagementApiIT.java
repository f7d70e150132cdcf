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

/** The endpoints of the camera's existing web UI, the management API, and readiness. */
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

        // stopped: rows wait, and the UI lists them once the gateway has taken them from the camera's table
        edgeDb.insertDetections(3, "WAITING");
        await().atMost(Duration.ofSeconds(10)).until(() -> Http.get(edge + "/api/websocket_status").body()
                .contains("\"detection_results\":3"));
        assertThat(Http.get(edge + "/api/websocket_unsent_data").body()).contains("WAITING 0").contains("WAITING 2");

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

    @Test
    void route_groups_backlog_parked_images_config_trace_and_jolokia() throws Exception {
        Path dir = Files.createTempDirectory("management-api");
        int serverHttp = Ports.free();
        int edgeHttp = Ports.free();
        String edge = "http://127.0.0.1:" + edgeHttp;
        Mosquitto broker = track(new Mosquitto()).start();
        track(new GatewayProcess("mgmt-server", "server"))
                .filesUnder(dir)
                .set("mqtt.brokerUrl", broker.url())
                .set("gateway.http.port", serverHttp)
                .set("websocket.port", Ports.free())
                .set("server.db.path", dir.resolve("server.db"))
                .start().awaitHttp(serverHttp, "/health");
        track(new GatewayProcess("mgmt-edge", "edge"))
                .filesUnder(dir)
                .set("mqtt.brokerUrl", broker.url())
                .env("MQTT_PASSWORD", "s3cret-pass")
                .set("gateway.http.port", edgeHttp)
                .set("edge.db.path", dir.resolve("edge.db"))
                .set("gateway.transport.pinned", "rest")
                .set("rest.url", "http://127.0.0.1:" + serverHttp + "/api/lpr/data")
                .set("network.probe.url", "http://127.0.0.1:" + serverHttp + "/health")
                .start().awaitHttp(edgeHttp, "/health");
        Db edgeDb = new Db(dir.resolve("edge.db"));
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(edge + "/api/routes").body().contains("\"outbox\":{\"state\":\"Started\""));

        // route groups: stop and start one; unknown group 404, unknown action 400
        assertThat(Http.postJson(edge + "/api/routes/outbox/stop", "").body()).contains("\"poll-detections\":\"Stopped\"");
        edgeDb.insertDetections(2, "TRACE");
        Thread.sleep(1500);
        assertThat(Http.get(edge + "/api/backlog").body()).contains("\"detections_unsent\":2");
        assertThat(Http.postJson(edge + "/api/routes/outbox/start", "").body()).contains("\"state\":\"Started\"");
        assertThat(Http.postJson(edge + "/api/routes/nope/stop", "").statusCode()).isEqualTo(404);
        assertThat(Http.postJson(edge + "/api/routes/outbox/explode", "").statusCode()).isEqualTo(400);

        // trace: where is plate "TRACE 1" - sent, by which transport
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(edge + "/api/trace?plate=trace-1").body().contains("\"sent_via\":\"rest\""));
        assertThat(Http.get(edge + "/api/trace?plate=trace-1").body()).contains("\"license_plate\":\"TRACE 1\"")
                .contains("\"sent_to_server\":1").contains("\"image_state\":\"none\"");
        // the server counts what it ingested by transport and result
        assertThat(org.lprgateway.support.Metrics.value(serverHttp, "lpr_ingest_total", "transport=\"rest\"", "result=\"200\""))
                .isGreaterThanOrEqualTo(2.0);

        // a parked image is listed with its reason and queued again on request
        edgeDb.insertDetections(1, "NOFILE", 80.0, "later.jpg");
        await().atMost(Duration.ofSeconds(20)).until(() -> Http.get(edge + "/api/parked").body().contains("image file missing: later.jpg"));
        // the management API names the gateway's own records (the outbox, beside the camera's file)
        Db outbox = new Db(dir.resolve("edge.db-outbox.db"));
        String id = outbox.string("SELECT id FROM outbox_detections WHERE license_plate = 'NOFILE 0'");
        assertThat(Http.get(edge + "/api/parked").body()).contains("\"id\":" + id);
        Files.createDirectories(dir.resolve("images"));
        Files.write(dir.resolve("images/later.jpg"), org.lprgateway.support.Jpeg.bytes(40, 30));
        assertThat(Http.postJson(edge + "/api/parked/images/" + id + "/requeue", "").body()).contains("queued again");
        await().atMost(Duration.ofSeconds(20)).until(() ->
                "pending".equals(outbox.string("SELECT image_state FROM outbox_detections WHERE id = " + id)));
        assertThat(Http.postJson(edge + "/api/parked/images/" + id + "/requeue", "").statusCode()).isEqualTo(404);
        assertThat(Http.postJson(edge + "/api/parked/bananas/1/requeue", "").statusCode()).isEqualTo(400);

        // effective configuration with the secret masked
        String config = Http.get(edge + "/api/config").body();
        assertThat(config).contains("\"gateway.transport.pinned\":\"rest\"").contains("\"mqtt.password\":\"****\"")
                .doesNotContain("s3cret-pass");

        // Jolokia (what Hawtio uses): list the route MBeans, stop and start a route
        String jolokia = edge + "/observe/jolokia";
        assertThat(Http.get(jolokia + "/search/org.apache.camel:type=routes,*").body())
                .contains("name=\\\"poll-detections\\\"").contains("name=\\\"send-rest\\\"");
        String mbean = "org.apache.camel:context=lpr-gateway,type=routes,name=\\\"poll-health-checks\\\"";
        assertThat(Http.postJson(jolokia, "{\"type\":\"exec\",\"mbean\":\"" + mbean + "\",\"operation\":\"stop()\"}").body())
                .contains("\"status\":200");
        assertThat(Http.get(edge + "/api/routes").body()).contains("\"poll-health-checks\":\"Stopped\"");
        assertThat(Http.postJson(jolokia, "{\"type\":\"read\",\"mbean\":\"" + mbean + "\",\"attribute\":\"State\"}").body())
                .contains("\"value\":\"Stopped\"");
        assertThat(Http.postJson(jolokia, "{\"type\":\"exec\",\"mbean\":\"" + mbean + "\",\"operation\":\"start()\"}").body())
                .contains("\"status\":200");
        assertThat(Http.get(edge + "/api/routes").body()).contains("\"poll-health-checks\":\"Started\"");
    }
}
