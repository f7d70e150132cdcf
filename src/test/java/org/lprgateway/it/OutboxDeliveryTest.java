package org.lprgateway.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.lprgateway.app.Application;
import org.lprgateway.support.Db;
import org.lprgateway.support.GatewayProcess;
import org.lprgateway.support.Ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The edge role booted in this JVM from the real application.properties and YAML routes, sending
 * to a server role running as a separate process that the tests stop and start.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutboxDeliveryTest extends CamelMainTestSupport {

    private static final Duration DRAIN = Duration.ofSeconds(60);

    // static: the Camel context is configured from the base class constructor
    private static final Path dir = tempDir();
    private static final int serverPort = Ports.free();
    private final Db edge = new Db(dir.resolve("edge.db"));
    // the gateway's own records, beside the camera's file
    private final Db outbox = new Db(dir.resolve("edge.db-outbox.db"));
    private final Db serverDb = new Db(dir.resolve("server.db"));
    private GatewayProcess server;

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("outbox-delivery");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    protected Class<?> getMainClass() {
        return Application.class;
    }

    @BeforeAll
    void startServer() throws Exception {
        server = newServer().start().awaitHttp(serverPort, "/api/lpr/data");
    }

    private GatewayProcess newServer() {
        return new GatewayProcess("server", "server")
                .set("gateway.http.port", serverPort)
                // not the shared default WebSocket port: other gateways may run on this machine
                .set("websocket.port", Ports.free())
                .set("server.db.path", dir.resolve("server.db"));
    }

    @AfterAll
    void stopServer() throws Exception {
        server.close();
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = new Properties();
        p.put("gateway.role", "edge");
        p.put("gateway.http.port", String.valueOf(Ports.free()));
        // the camera application's tables, as the demo's simulated camera has them
        p.put("camera.createTables", "true");
        p.put("edge.db.path", dir.resolve("edge.db").toString());
        p.put("rest.url", "http://127.0.0.1:" + serverPort + "/api/lpr/data");
        p.put("mqtt.brokerUrl", "tcp://127.0.0.1:" + Ports.free());
        p.put("security.client.apiKey", org.lprgateway.support.TestCredentials.FLEET);
        // the outbox is under test, not the router: which transport a record takes would otherwise
        // follow the network class the probe happens to measure while the backlog drains
        p.put("gateway.transport.pinned", "rest");
        p.put("outbox.pollInterval", "200");
        p.put("outbox.backoff.baseMillis", "300");
        p.put("outbox.backoff.maxMillis", "1500");
        p.put("outbox.parkAfterAttempts", "2");
        return p;
    }

    @Test
    @Order(1)
    void delivers_each_row_exactly_once_and_marks_it_sent() {
        edge.insertDetections(300, "กข");
        edge.exec("INSERT INTO health_checks (checkpoint_id, hostname, timestamp, component, status, message, system_info) "
                + "VALUES ('CP001', 'cam-test', '2026-11-26T10:00:00', 'camera', 'PASS', 'ok', '{\"cpu_usage\": \"12%\"}')");

        await().atMost(DRAIN).until(() -> edge.count("SELECT count(*) FROM detection_results WHERE sent_to_server = 0") == 0
                && edge.count("SELECT count(*) FROM health_checks WHERE sent_to_server = 0") == 0);

        assertThat(serverDb.count("SELECT count(*) FROM lpr_detections")).isEqualTo(300);
        assertThat(serverDb.count("SELECT count(DISTINCT message_id) FROM lpr_detections")).isEqualTo(300);
        assertThat(serverDb.count("SELECT count(*) FROM lpr_detections l WHERE license_plate LIKE 'กข %' AND transport = 'rest'"))
                .isEqualTo(300);
        // the server holds exactly the message ids the edge chose
        assertThat(serverDb.strings("SELECT message_id FROM lpr_detections ORDER BY message_id"))
                .containsExactlyElementsOf(outbox.strings("SELECT message_id FROM outbox_detections ORDER BY message_id"));
        assertThat(serverDb.string("SELECT system_info FROM health_monitors")).contains("cpu_usage");
    }

    @Test
    @Order(2)
    void rows_stay_unsent_with_backoff_while_the_server_is_down_and_arrive_once_when_it_returns() throws Exception {
        server.kill();
        long before = serverDb.count("SELECT count(*) FROM lpr_detections");
        edge.insertDetections(40, "DOWN");

        // every row is looked at and fails; once REST's breaker opens, rows are no longer tried
        // (no attempt counted) until it lets a trial call through
        await().atMost(DRAIN).until(() -> outbox.count(
                "SELECT count(*) FROM outbox_detections WHERE license_plate LIKE 'DOWN %' AND last_error IS NOT NULL") == 40
                && outbox.count("SELECT count(*) FROM outbox_detections WHERE license_plate LIKE 'DOWN %' AND attempts >= 1") >= 5);
        assertThat(edge.count("SELECT count(*) FROM detection_results WHERE license_plate LIKE 'DOWN %' AND sent_to_server = 1"))
                .isZero();
        assertThat(outbox.count("SELECT count(*) FROM outbox_detections WHERE license_plate LIKE 'DOWN %' "
                + "AND last_error IS NOT NULL AND parked_reason IS NULL AND message_id IS NOT NULL")).isEqualTo(40);
        // next attempts are spread out in time (jittered backoff, short-circuits a second apart), not all at once
        assertThat(outbox.count("SELECT count(DISTINCT next_attempt_at) FROM outbox_detections WHERE license_plate LIKE 'DOWN %'"))
                .isGreaterThan(4);
        String idsWhileDown = String.join(",", outbox.strings(
                "SELECT message_id FROM outbox_detections WHERE license_plate LIKE 'DOWN %' ORDER BY id"));

        server = newServer().start().awaitHttp(serverPort, "/api/lpr/data");

        await().atMost(DRAIN).until(() -> edge.count(
                "SELECT count(*) FROM detection_results WHERE license_plate LIKE 'DOWN %' AND sent_to_server = 0") == 0);
        assertThat(serverDb.count("SELECT count(*) FROM lpr_detections")).isEqualTo(before + 40);
        assertThat(serverDb.count("SELECT count(*) FROM lpr_detections WHERE license_plate LIKE 'DOWN %'")).isEqualTo(40);
        // message ids were kept across the retries
        assertThat(String.join(",", outbox.strings(
                "SELECT message_id FROM outbox_detections WHERE license_plate LIKE 'DOWN %' ORDER BY id"))).isEqualTo(idsWhileDown);
    }

    @Test
    @Order(3)
    void a_row_the_server_refuses_is_parked_with_its_reason_and_the_rest_flow() {
        edge.insertDetections(5, "OK-BEFORE");
        edge.insertDetections(1, "POISON", 250.0);
        edge.insertDetections(5, "OK-AFTER");

        await().atMost(DRAIN).until(() -> outbox.count(
                "SELECT count(*) FROM outbox_detections WHERE license_plate LIKE 'POISON%' AND parked_reason IS NOT NULL") == 1);
        await().atMost(DRAIN).until(() -> edge.count(
                "SELECT count(*) FROM detection_results WHERE license_plate LIKE 'OK-%' AND sent_to_server = 1") == 10);

        assertThat(outbox.string("SELECT parked_reason FROM outbox_detections WHERE license_plate LIKE 'POISON%'"))
                .contains("HTTP 400").contains("data.confidence");
        // parked after two refusals; a stale keep-alive connection from before the server restart may add a transient failure
        assertThat(outbox.count("SELECT attempts FROM outbox_detections WHERE license_plate LIKE 'POISON%'")).isBetween(2L, 4L);
        assertThat(edge.count("SELECT sent_to_server FROM detection_results WHERE license_plate LIKE 'POISON%'")).isZero();
        assertThat(serverDb.count("SELECT count(*) FROM lpr_detections WHERE license_plate LIKE 'POISON%'")).isZero();
    }
}
