package org.lprgateway.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.lprgateway.support.Db;
import org.lprgateway.support.GatewayProcess;
import org.lprgateway.support.Ports;
import org.lprgateway.support.ProcessTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** High-priority rows are polled before older normal ones. */
class PriorityIT extends ProcessTest {

    private GatewayProcess server;
    private GatewayProcess edge;


    @Test
    void confident_blacklisted_and_camera_marked_rows_overtake_an_older_backlog() throws Exception {
        Path dir = Files.createTempDirectory("priority");
        int serverHttp = Ports.free();
        int edgeHttp = Ports.free();
        server = track(new GatewayProcess("priority-server", "server"))
                .set("gateway.http.port", serverHttp)
                .set("websocket.port", Ports.free())
                .set("server.db.path", dir.resolve("server.db"))
                .start().awaitHttp(serverHttp, "/health");
        // one row at a time, so the order of arrival is the order of polling
        edge = track(new GatewayProcess("priority-edge", "edge"))
                .set("gateway.http.port", edgeHttp)
                .set("edge.db.path", dir.resolve("edge.db"))
                .set("gateway.transport.pinned", "rest")
                .set("rest.url", "http://127.0.0.1:" + serverHttp + "/api/lpr/data")
                .set("outbox.batchSize", 5)
                .set("outbox.concurrency", 1)
                .start().awaitHttp(edgeHttp, "/health");
        Db edgeDb = new Db(dir.resolve("edge.db"));
        await().atMost(Duration.ofSeconds(30)).until(() -> edgeDb.count("SELECT count(*) FROM detection_results") == 0);

        // all in one transaction: the older normal rows and the three urgent ones appear together
        try (Connection c = edgeDb.connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("INSERT INTO plate_blacklist (plate, reason) VALUES ('กข9999', 'stolen')");
            for (int i = 0; i < 30; i++) {
                st.execute("INSERT INTO detection_results (license_plate, confidence, checkpoint_id, timestamp, hostname) "
                        + "VALUES ('NORMAL " + i + "', 80.0, 'CP001', '2026-11-26T10:00:00', 'cam')");
            }
            st.execute("INSERT INTO detection_results (license_plate, confidence, checkpoint_id, timestamp, hostname) "
                    + "VALUES ('CONFIDENT 1', 97.0, 'CP001', '2026-11-26T10:00:01', 'cam')");
            st.execute("INSERT INTO detection_results (license_plate, confidence, checkpoint_id, timestamp, hostname) "
                    + "VALUES ('กข 9999', 70.0, 'CP001', '2026-11-26T10:00:02', 'cam')");
            st.execute("INSERT INTO detection_results (license_plate, confidence, checkpoint_id, timestamp, hostname, priority) "
                    + "VALUES ('MARKED 1', 60.0, 'CP001', '2026-11-26T10:00:03', 'cam', 'high')");
            st.execute("INSERT INTO detection_results (license_plate, confidence, checkpoint_id, timestamp, hostname, priority) "
                    + "VALUES ('LOWERED 1', 99.0, 'CP001', '2026-11-26T10:00:04', 'cam', 'normal')");
            c.commit();
        }

        Db serverDb = new Db(dir.resolve("server.db"));
        await().atMost(Duration.ofSeconds(60)).until(() -> serverDb.count("SELECT count(*) FROM lpr_detections") == 34);
        assertThat(serverDb.strings("SELECT license_plate FROM lpr_detections ORDER BY id LIMIT 3"))
                .containsExactlyInAnyOrder("CONFIDENT 1", "กข 9999", "MARKED 1");
        // the camera's own "normal" wins over the confidence rule: it waits its turn after the older rows
        assertThat(serverDb.string("SELECT license_plate FROM lpr_detections ORDER BY id DESC LIMIT 1")).isEqualTo("LOWERED 1");
    }
}
