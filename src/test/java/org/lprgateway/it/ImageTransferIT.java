package org.lprgateway.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.lprgateway.support.Db;
import org.lprgateway.support.GatewayProcess;
import org.lprgateway.support.Jpeg;
import org.lprgateway.support.Metrics;
import org.lprgateway.support.Ports;
import org.lprgateway.support.ProcessTest;
import org.lprgateway.support.Sshd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The file routes against a real OpenSSH sshd and real rsync on loopback: edge and server as
 * separate processes, the server reading what sshd writes into its upload folder.
 */
class ImageTransferIT extends ProcessTest {

    private final Path dir;
    private final int serverHttp = Ports.free();
    private final int edgeHttp = Ports.free();
    private final Sshd sshd;
    // the gateway's own records (image state, file name, SHA-256, transport), beside the camera's file
    private final Db outbox;

    ImageTransferIT() throws Exception {
        dir = Files.createTempDirectory("image-transfer");
        sshd = new Sshd(dir.resolve("sshd"));
        outbox = new Db(dir.resolve("edge.db-outbox.db"));
    }

    private GatewayProcess startServer() throws Exception {
        return track(new GatewayProcess("images-server", "server"))
                .filesUnder(dir)
                .set("gateway.http.port", serverHttp)
                .set("websocket.port", Ports.free())
                .set("server.db.path", dir.resolve("server.db"))
                .set("server.imageInbox", sshd.uploadDir())
                .set("mqtt.brokerUrl", "tcp://127.0.0.1:" + Ports.free())
                .start().awaitHttp(serverHttp, "/health");
    }

    private GatewayProcess edge() {
        return track(new GatewayProcess("images-edge", "edge"))
                .filesUnder(dir)
                .set("gateway.http.port", edgeHttp)
                .set("edge.db.path", dir.resolve("edge.db"))
                .set("rest.url", "http://127.0.0.1:" + serverHttp + "/api/lpr/data")
                .set("gateway.transport.pinned", "rest")
                .set("network.probe.url", "http://127.0.0.1:" + serverHttp + "/health")
                .imagesTo(sshd)
                .set("images.pollInterval", 300)
                .set("outbox.backoff.baseMillis", 300)
                .set("outbox.backoff.maxMillis", 2000)
                .set("breaker.waitDurationInOpenStateSeconds", 2);
    }

    private Db startEdge(GatewayProcess edge) throws Exception {
        edge.start().awaitHttp(edgeHttp, "/health");
        return new Db(dir.resolve("edge.db"));
    }

    /** n small JPEGs of varied sizes under the image folder, one detection row each. */
    private void camera(Db edgeDb, int n, String prefix) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images").resolve(prefix));
        try (var c = edgeDb.connect()) {
            c.setAutoCommit(false);
            try (var ps = c.prepareStatement("INSERT INTO detection_results (license_plate, confidence, checkpoint_id, "
                    + "timestamp, hostname, image_path) VALUES (?, ?, 'CP001', ?, 'cam-test', ?)")) {
                for (int i = 0; i < n; i++) {
                    Path image = Jpeg.write(images.resolve(prefix + "_" + i + ".jpg"), 40 + (i % 7) * 10, 30 + (i % 5) * 10);
                    ps.setString(1, prefix + " " + i);
                    // every other read is confident: high priority, which the router sends by SFTP
                    ps.setDouble(2, i % 2 == 0 ? 99.0 : 80.0);
                    ps.setString(3, LocalDateTime.now().toString());
                    ps.setString(4, image.toString());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }
    }

    /** Every image the edge marked sent is on the server, byte for byte, and its record says received. */
    private void assertEverySentImageVerifies(Db serverDb) throws Exception {
        List<String> rows = outbox.strings("SELECT image_path || '|' || image_file || '|' || image_sha256 FROM outbox_detections WHERE image_state = 'sent'");
        assertThat(rows).isNotEmpty();
        for (String row : rows) {
            String[] f = row.split("\\|");
            Path stored = dir.resolve("server-images").resolve(f[1]);
            assertThat(stored).exists().hasSameBinaryContentAs(Path.of(f[0]));
            assertThat(Jpeg.sha256(Files.readAllBytes(stored))).isEqualTo(f[2]);
        }
    }

    @Test
    void a_backlog_of_1000_images_drains_by_sftp_and_batched_rsync_and_every_file_verifies() throws Exception {
        track(sshd).start();
        startServer();
        GatewayProcess edge = edge()
                // every file counts as large: normal reads go by rsync, confident ones by SFTP
                .set("router.file.largeBytes", 1);
        Db edgeDb = startEdge(edge);
        camera(edgeDb, 1000, "BACKLOG");
        // an upload in progress (dot-name) must never be taken for a complete file
        Path partial = Files.createDirectories(sshd.uploadDir().resolve("CAM001/2026-01-01"))
                .resolve(".0b1c2d3e-0000-4000-8000-000000000000.jpg");
        Files.write(partial, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF});
        Db serverDb = new Db(dir.resolve("server.db"));
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() ->
                serverDb.count("SELECT count(*) FROM lpr_detections WHERE image_state = 'received'") == 1000);

        assertThat(outbox.count("SELECT count(*) FROM outbox_detections WHERE image_state = 'sent'")).isEqualTo(1000);
        // confident reads went by SFTP, the rest by rsync (a failed call would move some to the other)
        long bySftp = outbox.count("SELECT count(*) FROM outbox_detections WHERE image_transport = 'sftp'");
        long byRsync = outbox.count("SELECT count(*) FROM outbox_detections WHERE image_transport = 'rsync'");
        assertThat(bySftp + byRsync).isEqualTo(1000);
        assertThat(bySftp).isGreaterThanOrEqualTo(450);
        assertThat(byRsync).isGreaterThanOrEqualTo(450);
        assertEverySentImageVerifies(serverDb);
        // rsync moved its files in a few processes, not one per file
        double rsyncCalls = Metrics.value(edgeHttp, "lpr_transport_sent_total", "transport=\"rsync\"");
        assertThat(rsyncCalls).isBetween(1.0, 50.0);
        assertThat(Metrics.value(edgeHttp, "lpr_image_files_sent_total", "transport=\"rsync\"")).isEqualTo((double) byRsync);
        assertThat(partial).exists();
        assertThat(dir.resolve("server-images/CAM001/2026-01-01")).doesNotExist();

        // sending the same files again is harmless: same files, same records, nothing doubled
        outbox.exec("UPDATE outbox_detections SET image_state = 'pending' WHERE id % 10 = 0");
        await().atMost(Duration.ofSeconds(60)).until(() ->
                outbox.count("SELECT count(*) FROM outbox_detections WHERE image_state = 'pending'") == 0);
        // the server has taken every upload out of its inbox (the partial one aside)
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (var files = Files.walk(sshd.uploadDir())) {
                return files.filter(Files::isRegularFile).filter(p -> !p.equals(partial)).count() == 0;
            }
        });
        assertThat(serverDb.count("SELECT count(*) FROM lpr_detections")).isEqualTo(1000);
        assertThat(serverDb.count("SELECT count(*) FROM lpr_detections WHERE image_state = 'received'")).isEqualTo(1000);
        try (var files = Files.walk(dir.resolve("server-images"))) {
            assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(1000);
        }
        assertEverySentImageVerifies(serverDb);
    }

    @Test
    void sshd_stopped_midway_loses_nothing_and_the_rest_follows_when_it_returns() throws Exception {
        track(sshd).start();
        startServer();
        Db edgeDb = startEdge(edge());
        camera(edgeDb, 600, "OUTAGE");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() ->
                outbox.count("SELECT count(*) FROM outbox_detections WHERE image_state = 'sent'") >= 40);
        sshd.stop();
        long sentAtStop = outbox.count("SELECT count(*) FROM outbox_detections WHERE image_state = 'sent'");
        // while sshd is away, images fail and wait (attempts and reason kept); none is lost or parked
        await().atMost(Duration.ofSeconds(30)).until(() ->
                outbox.count("SELECT count(*) FROM outbox_detections WHERE image_state = 'pending' AND image_attempts > 0 AND image_error IS NOT NULL") > 0);
        assertThat(outbox.count("SELECT count(*) FROM outbox_detections WHERE image_state = 'parked'")).isZero();
        assertThat(sentAtStop).isLessThan(600);
        // the records themselves never wait for their images
        await().atMost(Duration.ofSeconds(30)).until(() ->
                new Db(dir.resolve("server.db")).count("SELECT count(*) FROM lpr_detections") == 600);
        assertThat(outbox.count("SELECT count(*) FROM outbox_detections WHERE image_state = 'sent'")).isLessThan(600);

        sshd.start();
        Db serverDb = new Db(dir.resolve("server.db"));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() ->
                serverDb.count("SELECT count(*) FROM lpr_detections WHERE image_state = 'received'") == 600);
        assertThat(outbox.count("SELECT count(*) FROM outbox_detections WHERE image_state = 'sent'")).isEqualTo(600);
        assertEverySentImageVerifies(serverDb);
    }

    @Test
    void without_rsync_on_the_path_sftp_takes_over_with_one_clear_warning() throws Exception {
        track(sshd).start();
        startServer();
        GatewayProcess edge = edge()
                .set("router.file.largeBytes", 1)
                .env("PATH", dir.resolve("no-such-bin").toString());
        Db edgeDb = startEdge(edge);
        camera(edgeDb, 100, "NORSYNC");
        Db serverDb = new Db(dir.resolve("server.db"));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() ->
                serverDb.count("SELECT count(*) FROM lpr_detections WHERE image_state = 'received'") == 100);
        assertThat(outbox.count("SELECT count(*) FROM outbox_detections WHERE image_transport = 'sftp'")).isEqualTo(100);
        assertEverySentImageVerifies(serverDb);
        List<String> warnings = Files.readAllLines(edge.logFile()).stream()
                .filter(l -> l.contains("rsync command 'rsync' not found")).toList();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains("WARN").contains("images go by SFTP only");
    }

    @Test
    void unsafe_or_broken_image_paths_are_parked_with_reasons_and_their_records_still_delivered() throws Exception {
        track(sshd).start();
        startServer();
        Path images = Files.createDirectories(dir.resolve("images"));
        Path outside = Jpeg.write(dir.resolve("outside/secret.jpg"), 40, 30);
        Files.createSymbolicLink(images.resolve("link-out.jpg"), outside);
        Files.createFile(images.resolve("empty.jpg"));
        Files.writeString(images.resolve("text.jpg"), "not a picture");
        Jpeg.write(images.resolve("big.jpg"), 800, 600);
        Jpeg.write(images.resolve("good.jpg"), 40, 30);
        GatewayProcess edge = edge().set("images.maxBytes", 4000);
        Db edgeDb = startEdge(edge);
        String[][] cases = {
                {"TRAVERSAL", "../outside/secret.jpg", "outside the image folder"},
                {"ABSOLUTE", outside.toString(), "outside the image folder"},
                {"LINKOUT", images.resolve("link-out.jpg").toString(), "symbolic link"},
                {"MISSING", images.resolve("missing.jpg").toString(), "image file missing"},
                {"EMPTY", "empty.jpg", "image file empty"},
                {"TEXT", "text.jpg", "not a JPEG"},
                {"BIG", "big.jpg", "larger than 4000 bytes"},
        };
        for (String[] c : cases) {
            edgeDb.insertDetections(1, c[0], 80.0, c[1]);
        }
        edgeDb.insertDetections(1, "GOOD", 80.0, "good.jpg");
        Db serverDb = new Db(dir.resolve("server.db"));
        await().atMost(Duration.ofSeconds(60)).until(() ->
                serverDb.count("SELECT count(*) FROM lpr_detections WHERE image_state = 'received'") == 1
                && serverDb.count("SELECT count(*) FROM lpr_detections") == 8);
        for (String[] c : cases) {
            assertThat(outbox.string("SELECT image_state || ': ' || image_error FROM outbox_detections WHERE license_plate = '" + c[0] + " 0'"))
                    .as(c[0]).startsWith("parked: ").contains(c[2]);
            assertThat(serverDb.string("SELECT image_state FROM lpr_detections WHERE license_plate = '" + c[0] + " 0'"))
                    .as(c[0] + " record delivered, no image announced").isEqualTo("none");
        }
        assertThat(serverDb.string("SELECT image_state FROM lpr_detections WHERE license_plate = 'GOOD 0'")).isEqualTo("received");
        assertThat(dir.resolve("server-images")).isDirectory();
        try (var files = Files.walk(dir.resolve("server-images"))) {
            assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(1);
        }
        // one structured warning per parked image: row, message_id, path and reason
        assertThat(Files.readAllLines(edge.logFile()).stream()
                .filter(l -> l.contains("WARN") && l.contains("image parked") && l.contains("message_id=")
                        && l.contains("reason=image path outside the image folder")))
                .hasSize(2);
    }

    @Test
    void images_that_arrive_before_their_records_are_linked_when_the_records_are_stored() throws Exception {
        track(sshd).start();
        startServer();
        // the records cannot reach the server (REST to a closed port), the images can
        GatewayProcess cut = edge().set("rest.url", "http://127.0.0.1:" + Ports.free() + "/api/lpr/data");
        Db edgeDb = startEdge(cut);
        camera(edgeDb, 20, "EARLY");
        await().atMost(Duration.ofSeconds(60)).until(() ->
                outbox.count("SELECT count(*) FROM outbox_detections WHERE image_state = 'sent'") == 20);
        Db serverDb = new Db(dir.resolve("server.db"));
        // the image folder appears with the first file the server moves in
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            try (var files = Files.walk(dir.resolve("server-images"))) {
                return files.filter(Files::isRegularFile).count() == 20;
            }
        });
        assertThat(serverDb.count("SELECT count(*) FROM lpr_detections")).isZero();
        assertThat(edgeDb.count("SELECT count(*) FROM detection_results WHERE sent_to_server = 0")).isEqualTo(20);

        cut.stop();
        startEdge(edge());
        await().atMost(Duration.ofSeconds(60)).until(() ->
                serverDb.count("SELECT count(*) FROM lpr_detections WHERE image_state = 'received'") == 20);
        assertEverySentImageVerifies(serverDb);
    }
}
