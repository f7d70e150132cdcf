package org.lprgateway.it;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.lprgateway.support.Db;
import org.lprgateway.support.GatewayProcess;
import org.lprgateway.support.Ports;
import org.lprgateway.support.ProcessTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The first-run demo: role all, camera simulator, embedded broker, nothing installed. The embedded
 * broker's store takes close to a gigabyte, so a passing test removes its folder.
 */
class AllInOneIT extends ProcessTest {

    private GatewayProcess demo;


    private GatewayProcess demo(Path dir, String transport) {
        int brokerPort = Ports.free();
        return track(new GatewayProcess("all-in-one-" + transport, "all"))
                .set("gateway.http.port", Ports.free())
                .set("websocket.port", Ports.free())
                .set("mqtt.embedded.port", brokerPort)
                .set("mqtt.embedded.dataDir", dir.resolve("broker"))
                .set("mqtt.brokerUrl", "tcp://127.0.0.1:" + brokerPort)
                .set("edge.db.path", dir.resolve("edge.db"))
                .set("server.db.path", dir.resolve("server.db"))
                .filesUnder(dir)
                .set("simulator.detectionInterval", 200)
                .set("simulator.healthInterval", 1000)
                .set("gateway.transport.pinned", transport);
    }

    @Test
    void the_demo_moves_simulated_detections_through_the_embedded_mqtt_broker(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
        demo = demo(dir, "mqtt").start();
        Db server = new Db(dir.resolve("server.db"));
        await().atMost(Duration.ofSeconds(90)).until(() -> server.count("SELECT count(*) FROM lpr_detections") >= 10);
        assertThat(server.count("SELECT count(*) FROM lpr_detections WHERE transport <> 'mqtt'")).isZero();
        assertThat(server.count("SELECT count(*) FROM lpr_detections WHERE license_plate GLOB '*[ก-ฮ]*'")).isPositive();
        assertThat(new Db(dir.resolve("edge.db")).count("SELECT count(*) FROM detection_results WHERE image_path IS NOT NULL"))
                .isPositive();
    }

    @Test
    void the_demo_moves_simulated_detections_with_their_images_over_websocket(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
        demo = demo(dir, "websocket").start();
        Db server = new Db(dir.resolve("server.db"));
        await().atMost(Duration.ofSeconds(90)).until(() ->
                server.count("SELECT count(*) FROM lpr_detections WHERE image_path IS NOT NULL") >= 10);
        assertThat(server.count("SELECT count(*) FROM lpr_detections WHERE transport <> 'websocket'")).isZero();
        String stored = server.string("SELECT image_path FROM lpr_detections WHERE image_path IS NOT NULL LIMIT 1");
        assertThat(Path.of(stored)).startsWith(dir.resolve("server-previews")).exists();
    }

    @Test
    void the_demo_delivers_the_original_images_by_its_embedded_sftp_server_and_local_rsync(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
        // no transport pinned: the router sends confident reads (high priority) by SFTP and, with
        // every file counted as large here, the rest by rsync
        demo = demo(dir, "").set("router.file.largeBytes", 1).start();
        // the gateway's own records (image state and transport), beside the simulated camera's file
        Db outbox = new Db(dir.resolve("edge.db-outbox.db"));
        Db server = new Db(dir.resolve("server.db"));
        // (-1 until the gateway has created its tables)
        await().atMost(Duration.ofSeconds(90)).until(() ->
                outbox.count("SELECT count(*) FROM outbox_detections WHERE image_state = 'sent' AND image_transport = 'sftp'") >= 5
                && outbox.count("SELECT count(*) FROM outbox_detections WHERE image_state = 'sent' AND image_transport = 'rsync'") >= 5);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                server.count("SELECT count(*) FROM lpr_detections WHERE image_state = 'received'") >= 10);
        // every received image is byte-for-byte the camera's file, under its documented name
        for (String row : server.strings("SELECT message_id || '|' || image_file FROM lpr_detections WHERE image_state = 'received'")) {
            String messageId = row.substring(0, row.indexOf('|'));
            String imageFile = row.substring(row.indexOf('|') + 1);
            assertThat(imageFile).matches("CAM001/\\d{4}-\\d{2}-\\d{2}/" + messageId + "\\.jpg");
            Path source = Path.of(outbox.string("SELECT image_path FROM outbox_detections WHERE message_id = '" + messageId + "'"));
            Path stored = dir.resolve("server-images").resolve(imageFile);
            assertThat(stored).exists().hasSameBinaryContentAs(source);
        }
        assertThat(server.count("SELECT count(*) FROM lpr_detections WHERE image_state = 'mismatch'")).isZero();
    }
}
