package org.lprgateway.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.lprgateway.support.Db;
import org.lprgateway.support.GatewayProcess;
import org.lprgateway.support.Ports;
import org.lprgateway.support.ProcessTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The camera application is another process that keeps inserting while the gateway drains: its
 * inserts must never be refused with "database is locked".
 */
class ConcurrentWriterIT extends ProcessTest {

    private GatewayProcess server;
    private GatewayProcess edge;


    @Test
    void a_camera_inserting_50_rows_per_second_is_never_refused_while_the_gateway_drains() throws Exception {
        Path dir = Files.createTempDirectory("concurrent-writer");
        int serverPort = Ports.free();
        int edgePort = Ports.free();
        server = track(new GatewayProcess("writer-server", "server"))
                .set("gateway.http.port", serverPort)
                .set("server.db.path", dir.resolve("server.db"))
                .start().awaitHttp(serverPort, "/api/lpr/data");
        edge = track(new GatewayProcess("writer-edge", "edge"))
                .set("gateway.http.port", edgePort)
                .set("edge.db.path", dir.resolve("edge.db"))
                .set("rest.url", "http://127.0.0.1:" + serverPort + "/api/lpr/data")
                .start().awaitHttp(edgePort, "/");
        Db edgeDb = new Db(dir.resolve("edge.db"));
        await().atMost(Duration.ofSeconds(30)).until(() -> edgeDb.count("SELECT count(*) FROM detection_results") == 0);
        edgeDb.insertDetections(2000, "BACKLOG");

        // 50 rows/s for 10 s, one autocommit insert each, as the camera's Python sqlite3 does (5 s busy timeout)
        List<String> refusals = new ArrayList<>();
        int written = 0;
        try (Connection c = edgeDb.connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO detection_results (license_plate, confidence, checkpoint_id, timestamp, hostname) "
                        + "VALUES (?, 88.0, 'CP001', ?, 'cam-writer')")) {
            long start = System.nanoTime();
            for (int i = 0; i < 500; i++) {
                long due = start + i * 20_000_000L;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                try {
                    ps.setString(1, "LIVE " + i);
                    ps.setString(2, LocalDateTime.now().toString());
                    ps.executeUpdate();
                    written++;
                } catch (SQLException e) {
                    refusals.add(e.getMessage());
                }
            }
        }

        assertThat(refusals).isEmpty();
        assertThat(written).isEqualTo(500);
        Db serverDb = new Db(dir.resolve("server.db"));
        await().atMost(Duration.ofSeconds(90))
                .until(() -> edgeDb.count("SELECT count(*) FROM detection_results WHERE sent_to_server = 0") == 0);
        assertThat(serverDb.count("SELECT count(*) FROM lpr_detections")).isEqualTo(2500);
        assertThat(serverDb.count("SELECT count(*) FROM lpr_detections WHERE license_plate LIKE 'LIVE %'")).isEqualTo(500);
    }
}
