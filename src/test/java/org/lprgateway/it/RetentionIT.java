package org.lprgateway.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.lprgateway.support.Db;
import org.lprgateway.support.GatewayProcess;
import org.lprgateway.support.Http;
import org.lprgateway.support.Jpeg;
import org.lprgateway.support.Metrics;
import org.lprgateway.support.Ports;
import org.lprgateway.support.ProcessTest;
import org.lprgateway.support.Sshd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Retention and the disk guard with edge and server as separate processes, images going to a real
 * OpenSSH sshd. Ages are tiny fractions of a day; a short disk is a minimum above what this
 * machine really has free.
 */
class RetentionIT extends ProcessTest {

    /** 0.0002 days: about 17 s. */
    private static final double TINY_DAYS = 0.0002;
    private static final long TINY_MILLIS = Math.round(TINY_DAYS * 86_400_000);

    private final Path dir;
    private final int serverHttp = Ports.free();
    private final int edgeHttp = Ports.free();
    private final Sshd sshd;
    private final Db camera;
    private final Db outbox;
    private final Db serverDb;

    RetentionIT() throws Exception {
        dir = Files.createTempDirectory("retention");
        sshd = new Sshd(dir.resolve("sshd"));
        camera = new Db(dir.resolve("edge.db"));
        outbox = new Db(dir.resolve("edge.db-outbox.db"));
        serverDb = new Db(dir.resolve("server.db"));
    }

    private GatewayProcess server() {
        return track(new GatewayProcess("retention-server", "server"))
                .filesUnder(dir)
                .set("gateway.http.port", serverHttp)
                .set("websocket.port", Ports.free())
                .set("server.db.path", dir.resolve("server.db"))
                .set("server.imageInbox", sshd.uploadDir())
                .set("mqtt.brokerUrl", "tcp://127.0.0.1:" + Ports.free());
    }

    private GatewayProcess edge() {
        return track(new GatewayProcess("retention-edge", "edge"))
                .filesUnder(dir)
                .set("gateway.http.port", edgeHttp)
                .set("edge.db.path", dir.resolve("edge.db"))
                .set("rest.url", "http://127.0.0.1:" + serverHttp + "/api/lpr/data")
                .set("gateway.transport.pinned", "rest")
                .set("network.probe.url", "http://127.0.0.1:" + serverHttp + "/health")
                .set("mqtt.brokerUrl", "tcp://127.0.0.1:" + Ports.free())
                .imagesTo(sshd)
                .set("images.pollInterval", 300)
                .set("outbox.pollInterval", 300)
                .set("outbox.backoff.baseMillis", 300)
                .set("outbox.backoff.maxMillis", 2000)
                .set("retention.intervalMillis", 1000)
                .set("retention.edge.diskCheckMillis", 500)
                // this machine's free space is no concern unless a test says so
                .set("retention.edge.minFreeMegabytes", 0);
    }

    /** n detection rows, each with its own JPEG under the image folder, as the camera writes them. */
    private void detect(int n, String prefix) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images").resolve(prefix));
        try (var c = camera.connect()) {
            c.setAutoCommit(false);
            try (var ps = c.prepareStatement("INSERT INTO detection_results (license_plate, confidence, checkpoint_id, "
                    + "timestamp, hostname, image_path) VALUES (?, 80.0, 'CP001', ?, 'cam-test', ?)")) {
                for (int i = 0; i < n; i++) {
                    Path image = Jpeg.write(images.resolve(prefix + "_" + i + ".jpg"), 40 + i % 5 * 10, 30);
                    ps.setString(1, prefix + " " + i);
                    ps.setString(2, LocalDateTime.now().toString());
                    ps.setString(3, image.toString());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }
    }

    private long imageFiles(String prefix) throws Exception {
        Path folder = dir.resolve("images").resolve(prefix);
        try (var files = Files.list(folder)) {
            return files.count();
        }
    }

    private long outboxRows(String prefix, String condition) {
        return outbox.count("SELECT count(*) FROM outbox_detections WHERE license_plate LIKE '" + prefix + " %' AND " + condition);
    }

    private long cameraRows(String prefix, String condition) {
        return camera.count("SELECT count(*) FROM detection_results WHERE license_plate LIKE '" + prefix + " %' AND " + condition);
    }

    /**
     * OLD: delivered with their images and camera rows marked, with three health rows; then the
     * server goes away and NEW detections (their images still reach sshd) and two health rows stay
     * unsent.
     */
    private GatewayProcess deliverOldThenStrandNew(GatewayProcess edge, int old) throws Exception {
        GatewayProcess server = server().start().awaitHttp(serverHttp, "/health");
        edge.start().awaitHttp(edgeHttp, "/health");
        detect(old, "OLD");
        camera.insertHealth("camera", "PASS", "ok");
        camera.insertHealth("disk", "PASS", "ok");
        camera.insertHealth("network", "PASS", "ok");
        await().atMost(Duration.ofSeconds(60)).until(() ->
                serverDb.count("SELECT count(*) FROM lpr_detections WHERE image_state = 'received'") == old
                && serverDb.count("SELECT count(*) FROM health_monitors") == 3);
        server.kill();
        detect(5, "NEW");
        camera.insertHealth("camera", "FAIL", "lens");
        camera.insertHealth("disk", "WARNING", "86%");
        await().atMost(Duration.ofSeconds(60)).until(() -> outboxRows("NEW", "image_state = 'sent'") == 5
                && outbox.count("SELECT count(*) FROM outbox_health") == 5);
        return edge;
    }

    private void assertNewDetectionsAndTheirImagesAreUntouched() throws Exception {
        assertThat(outboxRows("NEW", "sent_to_server = 0")).isEqualTo(5);
        assertThat(outboxRows("NEW", "image_state = 'sent'")).isEqualTo(5);
        assertThat(cameraRows("NEW", "sent_to_server = 0")).isEqualTo(5);
        assertThat(imageFiles("NEW")).isEqualTo(5);
    }

    @Test
    void delivered_records_their_camera_rows_and_images_go_after_their_age_and_unsent_ones_stay() throws Exception {
        track(sshd).start();
        GatewayProcess edge = edge()
                .set("retention.edge.sentDays", TINY_DAYS)
                .set("retention.edge.imageDays", TINY_DAYS);
        deliverOldThenStrandNew(edge, 20);
        // not before their age: the newest OLD image was sent moments ago
        assertThat(imageFiles("OLD")).isPositive();

        await().atMost(Duration.ofSeconds(90)).until(() -> imageFiles("OLD") == 0
                && outboxRows("OLD", "1 = 1") == 0
                && cameraRows("OLD", "1 = 1") == 0
                && outbox.count("SELECT count(*) FROM outbox_health WHERE sent_to_server = 1") == 0);

        // the camera's health rows went with their records; the unsent ones stay on both sides
        assertThat(camera.count("SELECT count(*) FROM health_checks")).isEqualTo(2);
        assertThat(camera.count("SELECT count(*) FROM health_checks WHERE sent_to_server = 0")).isEqualTo(2);
        assertThat(outbox.count("SELECT count(*) FROM outbox_health WHERE sent_to_server = 0")).isEqualTo(2);
        // NEW images are sent but their records are not: once older than the image age and a run
        // later, they are still on the camera's disk
        long newestNewImage = Long.parseLong(outbox.string("SELECT max(image_sent_at) FROM outbox_detections WHERE license_plate LIKE 'NEW %'"));
        await().atMost(Duration.ofSeconds(60)).until(() -> System.currentTimeMillis() > newestNewImage + TINY_MILLIS + 3000);
        assertNewDetectionsAndTheirImagesAreUntouched();

        assertThat(Metrics.value(edgeHttp, "lpr_retention_deleted_total", "kind=\"image\"", "cause=\"age\"")).isEqualTo(20.0);
        assertThat(Metrics.value(edgeHttp, "lpr_retention_deleted_total", "kind=\"outbox_detections\"", "cause=\"age\"")).isEqualTo(20.0);
        assertThat(Metrics.value(edgeHttp, "lpr_retention_deleted_total", "kind=\"detection_results\"", "cause=\"age\"")).isEqualTo(20.0);
        assertThat(Metrics.value(edgeHttp, "lpr_retention_deleted_total", "kind=\"outbox_health\"", "cause=\"age\"")).isEqualTo(3.0);
        assertThat(Metrics.value(edgeHttp, "lpr_retention_deleted_total", "kind=\"health_checks\"", "cause=\"age\"")).isEqualTo(3.0);
        assertThat(Metrics.value(edgeHttp, "lpr_disk_guard_level")).isZero();
    }

    @Test
    void a_short_disk_gives_up_sent_images_first_then_health_rows_and_never_unsent_detections() throws Exception {
        track(sshd).start();
        GatewayProcess first = deliverOldThenStrandNew(edge(), 40);
        first.stop();
        assertThat(imageFiles("OLD")).isEqualTo(40);

        // the same edge with a minimum far above this machine's free space (10 TB), small batches
        GatewayProcess edge = edge()
                .set("retention.edge.minFreeMegabytes", 10_000_000)
                .set("retention.edge.batchSize", 10);
        edge.start().awaitHttp(edgeHttp, "/health");

        // while any sent image is left, no health row may be gone
        List<String> violations = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            long imagesLeft = outboxRows("OLD", "image_state = 'sent'");
            long health = outbox.count("SELECT count(*) FROM outbox_health");
            long cameraHealth = camera.count("SELECT count(*) FROM health_checks");
            if (imagesLeft > 0 && (health < 5 || cameraHealth < 5)) {
                violations.add(imagesLeft + " sent images left while health rows were " + health + " / " + cameraHealth);
            }
            // the camera table's newest row and its record always stay (its id must not be handed out again)
            return imagesLeft == 0 && health == 1 && cameraHealth == 1;
        });
        assertThat(violations).isEmpty();

        assertThat(imageFiles("OLD")).isZero();
        assertThat(outboxRows("OLD", "image_state = 'deleted'")).isEqualTo(40);
        // the guard deletes no detection record, sent or not
        assertThat(outboxRows("OLD", "sent_to_server = 1")).isEqualTo(40);
        assertThat(cameraRows("OLD", "sent_to_server = 1")).isEqualTo(40);
        assertNewDetectionsAndTheirImagesAreUntouched();

        // visible: gauges, counters and a reason at /ready for as long as the disk is short
        await().atMost(Duration.ofSeconds(10)).until(() -> Metrics.value(edgeHttp, "lpr_disk_guard_level") == 2.0);
        double free = Metrics.value(edgeHttp, "lpr_disk_free_bytes");
        assertThat(free).isPositive().isLessThan(Metrics.value(edgeHttp, "lpr_disk_free_min_bytes"));
        assertThat(Metrics.value(edgeHttp, "lpr_disk_free_min_bytes")).isEqualTo(10_000_000.0 * 1024 * 1024);
        assertThat(Metrics.value(edgeHttp, "lpr_retention_deleted_total", "kind=\"image\"", "cause=\"disk\"")).isEqualTo(40.0);
        assertThat(Metrics.value(edgeHttp, "lpr_retention_deleted_total", "kind=\"outbox_health\"", "cause=\"disk\"")).isEqualTo(4.0);
        assertThat(Metrics.value(edgeHttp, "lpr_retention_deleted_total", "kind=\"health_checks\"", "cause=\"disk\"")).isEqualTo(4.0);
        var ready = Http.get("http://127.0.0.1:" + edgeHttp + "/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("disk space low: ").contains("unsent detections are kept");

        assertThat(camera.strings("SELECT message FROM health_checks")).containsExactly("86%");
        // a newer health row makes the last one go at the next check; detections stay
        camera.insertHealth("camera", "PASS", "later");
        detect(2, "LATE");
        await().atMost(Duration.ofSeconds(20)).until(() -> outboxRows("LATE", "1 = 1") == 2
                && camera.strings("SELECT message FROM health_checks").equals(List.of("later"))
                && outbox.strings("SELECT message FROM outbox_health").equals(List.of("later")));
        assertThat(imageFiles("LATE")).isEqualTo(2);
        assertThat(cameraRows("LATE", "1 = 1")).isEqualTo(2);
    }

    /** A detection with an inline image (stored as a preview) and an original that arrives by file. */
    private String storeDetection(String plate) throws Exception {
        String id = UUID.randomUUID().toString();
        byte[] jpeg = Jpeg.bytes(48, 32);
        String file = "CAM001/2026-01-01/" + id + ".jpg";
        String json = "{\"message_id\":\"" + id + "\",\"table\":\"lpr_detection\",\"action\":\"insert\",\"data\":{"
                + "\"license_plate\":\"" + plate + "\",\"confidence\":91.0,\"checkpoint_id\":\"CP001\","
                + "\"timestamp\":\"2026-01-01T10:00:00\",\"hostname\":\"cam-test\","
                + "\"image\":\"data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg) + "\","
                + "\"image_file\":\"" + file + "\",\"image_sha256\":\"" + Jpeg.sha256(jpeg) + "\"}}";
        assertThat(Http.postJson("http://127.0.0.1:" + serverHttp + "/api/lpr/data", json).statusCode()).isEqualTo(200);
        // the original as SFTP leaves it: written under a dot-name, then renamed
        Path target = dir.resolve("server-upload/incoming").resolve(file);
        Files.createDirectories(target.getParent());
        Path part = target.resolveSibling("." + id + ".jpg");
        Files.write(part, jpeg);
        Files.move(part, target);
        return id;
    }

    private void storeHealth(String component) {
        String json = "{\"message_id\":\"" + UUID.randomUUID() + "\",\"table\":\"health_monitor\",\"action\":\"insert\",\"data\":{"
                + "\"checkpoint_id\":\"CP001\",\"timestamp\":\"2026-01-01T10:00:00\",\"hostname\":\"cam-test\","
                + "\"component\":\"" + component + "\",\"status\":\"PASS\",\"message\":\"ok\"}}";
        assertThat(Http.postJson("http://127.0.0.1:" + serverHttp + "/api/lpr/data", json).statusCode()).isEqualTo(200);
    }

    private List<Path> filesOf(String plate) {
        List<Path> files = new ArrayList<>();
        files.add(dir.resolve("server-images").resolve(serverDb.string("SELECT image_file FROM lpr_detections WHERE license_plate = '" + plate + "'")));
        files.add(Path.of(serverDb.string("SELECT image_path FROM lpr_detections WHERE license_plate = '" + plate + "'")));
        return files;
    }

    @Test
    void the_server_deletes_records_older_than_its_retention_with_their_files_and_nothing_while_it_is_off() throws Exception {
        GatewayProcess off = server().set("server.imageInbox", dir.resolve("server-upload/incoming"))
                .set("retention.intervalMillis", 300)
                .start().awaitHttp(serverHttp, "/health");
        for (String plate : List.of("OLD 1", "OLD 2", "FRESH 1", "FRESH 2")) {
            storeDetection(plate);
        }
        storeHealth("old-component");
        storeHealth("fresh-component");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                serverDb.count("SELECT count(*) FROM lpr_detections WHERE image_state = 'received'") == 4);
        List<Path> oldFiles = new ArrayList<>(filesOf("OLD 1"));
        oldFiles.addAll(filesOf("OLD 2"));
        List<Path> freshFiles = new ArrayList<>(filesOf("FRESH 1"));
        freshFiles.addAll(filesOf("FRESH 2"));
        assertThat(oldFiles).allMatch(Files::isRegularFile);
        assertThat(freshFiles).allMatch(Files::isRegularFile);
        // received long ago, as far as the server can tell
        serverDb.exec("UPDATE lpr_detections SET received_at = '2020-01-01T00:00:00.000Z' WHERE license_plate LIKE 'OLD %'");
        serverDb.exec("UPDATE health_monitors SET received_at = '2020-01-01T00:00:00.000Z' WHERE component = 'old-component'");

        // off by default: many retention periods pass and everything stays
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() ->
                serverDb.count("SELECT count(*) FROM lpr_detections") == 4
                && serverDb.count("SELECT count(*) FROM health_monitors") == 2
                && oldFiles.stream().allMatch(Files::isRegularFile));
        off.stop();

        server().set("server.imageInbox", dir.resolve("server-upload/incoming"))
                .set("retention.intervalMillis", 300)
                .set("retention.server.days", 30)
                .start().awaitHttp(serverHttp, "/health");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                serverDb.count("SELECT count(*) FROM lpr_detections WHERE license_plate LIKE 'OLD %'") == 0
                && serverDb.count("SELECT count(*) FROM health_monitors WHERE component = 'old-component'") == 0
                && oldFiles.stream().noneMatch(Files::exists));
        assertThat(serverDb.strings("SELECT license_plate FROM lpr_detections ORDER BY license_plate")).containsExactly("FRESH 1", "FRESH 2");
        assertThat(serverDb.strings("SELECT component FROM health_monitors")).containsExactly("fresh-component");
        assertThat(freshFiles).allMatch(Files::isRegularFile);
    }
}
