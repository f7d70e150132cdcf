package org.lprgateway.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

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
    void confident_and_blacklisted_rows_overtake_an_older_backlog() throws Exception {
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
        // the blacklist copy is the gateway's own (as the server's updates would leave it)
        Db outbox = new Db(dir.resolve("edge.db-outbox.db"));
        await().atMost(Duration.ofSeconds(30)).until(() -> outbox.count("SELECT count(*) FROM plate_blacklist") == 0);
        outbox.exec("INSERT INTO plate_blacklist (plate, reason) VALUES ('กข9999', 'stolen')");

        // all in one transaction: the older normal rows and the three urgent ones appear together.
        // (The camera's flat table has no priority column of its own: confidence and the blacklist decide.)
        try (Connection c = edgeDb.connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            for (int i = 0; i < 30; i++) {
                st.execute("INSERT INTO detection_results (license_plate, confidence, checkpoint_id, timestamp, hostname) "
                        + "VALUES ('NORMAL " + i + "', 80.0, 'CP001', '2026-11-26T10:00:00', 'cam')");
            }
            st.execute("INSERT INTO detection_results (license_plate, confidence, checkpoint_id, timestamp, hostname) "
                    + "VALUES ('CONFIDENT 1', 97.0, 'CP001', '2026-11-26T10:00:01', 'cam')");
            st.execute("INSERT INTO detection_results (license_plate, confidence, checkpoint_id, timestamp, hostname) "
                    + "VALUES ('กข 9999', 70.0, 'CP001', '2026-11-26T10:00:02', 'cam')");
            // router.highConfidence (95) itself is high
            st.execute("INSERT INTO detection_results (license_plate, confidence, checkpoint_id, timestamp, hostname) "
                    + "VALUES ('THRESHOLD 1', 95.0, 'CP001', '2026-11-26T10:00:03', 'cam')");
            c.commit();
        }

        Db serverDb = new Db(dir.resolve("server.db"));
        await().atMost(Duration.ofSeconds(60)).until(() -> serverDb.count("SELECT count(*) FROM lpr_detections") == 33);
        List<String> arrived = serverDb.strings("SELECT license_plate FROM lpr_detections ORDER BY id");
        assertThat(arrived.subList(0, 3)).containsExactlyInAnyOrder("CONFIDENT 1", "กข 9999", "THRESHOLD 1");
        // the backlog follows in its own order
        assertThat(arrived.subList(3, 33)).isEqualTo(IntStream.range(0, 30).mapToObj(i -> "NORMAL " + i).toList());
    }
}
