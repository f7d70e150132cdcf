package org.lprgateway.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.lprgateway.support.Db;
import org.lprgateway.support.GatewayProcess;
import org.lprgateway.support.Ports;
import org.lprgateway.support.ProcessTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Edge and server as two processes; the edge is killed with SIGKILL in the middle of a drain. */
class CrashRecoveryIT extends ProcessTest {

    private GatewayProcess server;
    private GatewayProcess edge;


    @Test
    void an_edge_killed_hard_mid_drain_loses_nothing_and_stores_nothing_twice_after_restart() throws Exception {
        Path dir = Files.createTempDirectory("crash-recovery");
        int serverPort = Ports.free();
        int edgePort = Ports.free();
        server = track(new GatewayProcess("crash-server", "server"))
                .set("gateway.http.port", serverPort)
                .set("server.db.path", dir.resolve("server.db"))
                .start().awaitHttp(serverPort, "/api/lpr/data");
        edge = newEdge(dir, edgePort, serverPort).start().awaitHttp(edgePort, "/");
        Db edgeDb = new Db(dir.resolve("edge.db"));
        Db serverDb = new Db(dir.resolve("server.db"));
        await().atMost(Duration.ofSeconds(30)).until(() -> edgeDb.count("SELECT count(*) FROM detection_results") == 0);

        int total = 3000;
        edgeDb.insertDetections(total, "CRASH");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                .until(() -> serverDb.count("SELECT count(*) FROM lpr_detections") >= 100);
        edge.kill();

        long storedAtKill = serverDb.count("SELECT count(*) FROM lpr_detections");
        assertThat(storedAtKill).as("killed mid-drain").isLessThan(total);
        assertThat(edgeDb.count("SELECT count(*) FROM detection_results WHERE sent_to_server = 0")).isPositive();

        edge = newEdge(dir, edgePort, serverPort).start().awaitHttp(edgePort, "/");
        await().atMost(Duration.ofSeconds(180))
                .until(() -> edgeDb.count("SELECT count(*) FROM detection_results WHERE sent_to_server = 0") == 0);

        assertThat(serverDb.count("SELECT count(*) FROM lpr_detections")).isEqualTo(total);
        assertThat(serverDb.count("SELECT count(DISTINCT message_id) FROM lpr_detections")).isEqualTo(total);
        assertThat(serverDb.count("SELECT count(DISTINCT license_plate) FROM lpr_detections")).isEqualTo(total);
        assertThat(edgeDb.count("SELECT count(*) FROM detection_results WHERE sent_to_server = 1")).isEqualTo(total);
        // the gateway's own records: one per camera row, each delivered, none taken in twice across the kill
        Db outbox = new Db(dir.resolve("edge.db-outbox.db"));
        assertThat(outbox.count("SELECT count(*) FROM outbox_detections WHERE sent_to_server = 1")).isEqualTo(total);
        assertThat(outbox.count("SELECT count(*) FROM outbox_detections")).isEqualTo(total);
    }

    private GatewayProcess newEdge(Path dir, int edgePort, int serverPort) {
        // a slow drain (small batches, two in flight) so that the kill lands in the middle of it
        return track(new GatewayProcess("crash-edge", "edge"))
                .set("gateway.http.port", edgePort)
                .set("edge.db.path", dir.resolve("edge.db"))
                .set("rest.url", "http://127.0.0.1:" + serverPort + "/api/lpr/data")
                .set("outbox.batchSize", 50)
                .set("outbox.concurrency", 2)
                .set("outbox.pollInterval", 100);
    }
}
