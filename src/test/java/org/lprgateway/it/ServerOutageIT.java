package org.lprgateway.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.lprgateway.support.Db;
import org.lprgateway.support.GatewayProcess;
import org.lprgateway.support.Mosquitto;
import org.lprgateway.support.Ports;
import org.lprgateway.support.ProcessTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End to end with the server process killed: WebSocket and REST fail, MQTT takes the records and
 * the broker keeps them for the server's persistent session until it returns.
 */
class ServerOutageIT extends ProcessTest {

    private Mosquitto broker;
    private GatewayProcess server;
    private GatewayProcess edge;


    @Test
    void with_the_server_killed_rows_still_leave_by_mqtt_and_all_400_are_stored_once_when_it_returns() throws Exception {
        Path dir = Files.createTempDirectory("server-outage");
        int serverHttp = Ports.free();
        int serverWs = Ports.free();
        int edgeHttp = Ports.free();
        broker = track(new Mosquitto()).start();
        GatewayProcess serverDef = track(new GatewayProcess("outage-server", "server"))
                .set("gateway.http.port", serverHttp)
                .set("websocket.port", serverWs)
                .set("server.db.path", dir.resolve("server.db"))
                .set("mqtt.brokerUrl", broker.url())
                .set("mqtt.server.clientId", "outage-server");
        server = serverDef.start().awaitHttp(serverHttp, "/health");
        edge = track(new GatewayProcess("outage-edge", "edge"))
                .set("gateway.http.port", edgeHttp)
                .set("edge.db.path", dir.resolve("edge.db"))
                .set("websocket.url", "ws://127.0.0.1:" + serverWs + "/")
                .set("rest.url", "http://127.0.0.1:" + serverHttp + "/api/lpr/data")
                .set("mqtt.brokerUrl", broker.url())
                .set("network.probe.url", "http://127.0.0.1:" + serverHttp + "/health")
                .set("network.probe.intervalMillis", 500)
                // longer than the outage below: no row is queued again while the server is away, so
                // the broker's queue for the server's session is what is tested here (FaultSuiteIT
                // has rows queued again mid-outage)
                .set("mqtt.confirm.graceSeconds", 45)
                .set("mqtt.confirm.checkIntervalMillis", 2000)
                .start().awaitHttp(edgeHttp, "/health");
        Db edgeDb = new Db(dir.resolve("edge.db"));
        Db outbox = new Db(dir.resolve("edge.db-outbox.db"));
        Db serverDb = new Db(dir.resolve("server.db"));
        await().atMost(Duration.ofSeconds(30)).until(() -> edgeDb.count("SELECT count(*) FROM detection_results") == 0);

        edgeDb.insertDetections(200, "UP", 80.0);
        await().atMost(Duration.ofSeconds(60)).until(() -> serverDb.count("SELECT count(*) FROM lpr_detections") == 200);

        server.kill();
        edgeDb.insertDetections(200, "DOWN", 80.0);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                edgeDb.count("SELECT count(*) FROM detection_results WHERE sent_to_server = 0") == 0);
        assertThat(serverDb.count("SELECT count(*) FROM lpr_detections")).isEqualTo(200);
        // with the server away, the broker took them all
        assertThat(outbox.count("SELECT count(*) FROM outbox_detections WHERE license_plate LIKE 'DOWN %' AND sent_via = 'mqtt'"))
                .isEqualTo(200);

        server = serverDef.start().awaitHttp(serverHttp, "/health");
        // a detection the broker lost is noticed by its missing confirmation and sent again
        await().atMost(Duration.ofSeconds(120)).until(() -> serverDb.count("SELECT count(*) FROM lpr_detections") == 400);
        assertThat(serverDb.count("SELECT count(DISTINCT message_id) FROM lpr_detections")).isEqualTo(400);
        // (each through the broker, or sent again once the server answered because its confirmation
        // was overdue, mqtt.confirm.graceSeconds: which copy arrives first is a race, each is stored once)
        // records sent again stay unsent in the outbox until delivered (their camera rows stay marked)
        await().atMost(Duration.ofSeconds(60)).until(() -> outbox.count("SELECT count(*) FROM mqtt_unconfirmed") == 0
                && outbox.count("SELECT count(*) FROM outbox_detections WHERE sent_to_server = 0") == 0
                && edgeDb.count("SELECT count(*) FROM detection_results WHERE sent_to_server = 0") == 0);
    }
}
