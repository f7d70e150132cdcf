package org.lprgateway.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.lprgateway.support.CameraApp;
import org.lprgateway.support.CameraApp.Plate;
import org.lprgateway.support.Db;
import org.lprgateway.support.GatewayProcess;
import org.lprgateway.support.Http;
import org.lprgateway.support.Metrics;
import org.lprgateway.support.Ports;
import org.lprgateway.support.ProcessTest;
import org.lprgateway.support.Sshd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The edge on the camera application's current database (plates as JSON in ocr_results, image
 * paths relative to the application's folder, local times without a zone at UTC+7), against a
 * server process and a real OpenSSH sshd for the images.
 */
class CameraApplicationIT extends ProcessTest {

    private static final ZoneId BANGKOK = ZoneId.of("Asia/Bangkok");

    private final Path dir;
    private final int serverHttp = Ports.free();
    private final int edgeHttp = Ports.free();
    private final CameraApp camera;

    CameraApplicationIT() throws Exception {
        dir = Files.createTempDirectory("camera-app");
        camera = new CameraApp(dir.resolve("aicamera/v2"));
    }

    private void startServer(Path imageInbox) throws Exception {
        track(new GatewayProcess("camera-app-server", "server"))
                .filesUnder(dir)
                .set("server.imageInbox", imageInbox)
                .set("gateway.http.port", serverHttp)
                .set("websocket.port", Ports.free())
                .set("server.db.path", dir.resolve("server.db"))
                .set("mqtt.brokerUrl", "tcp://127.0.0.1:" + Ports.free())
                .start().awaitHttp(serverHttp, "/health");
    }

    private GatewayProcess edge() {
        return track(new GatewayProcess("camera-app-edge", "edge"))
                .filesUnder(dir)
                .set("gateway.http.port", edgeHttp)
                .set("edge.db.path", camera.databaseFile())
                .set("camera.root", camera.root())
                .set("images.dir", camera.imageDir())
                .set("camera.timezone", "Asia/Bangkok")
                .set("camera.id", "CAM007")
                .set("rest.url", "http://127.0.0.1:" + serverHttp + "/api/lpr/data")
                .set("gateway.transport.pinned", "rest")
                .set("mqtt.brokerUrl", "tcp://127.0.0.1:" + Ports.free());
    }

    @Test
    void every_plate_of_the_camera_applications_rows_is_stored_once_and_its_tables_stay_as_they_were() throws Exception {
        Sshd sshd = track(new Sshd(dir.resolve("sshd"))).start();
        LocalDateTime now = LocalDateTime.now(BANGKOK);
        // history: sent by the application's own sender before the gateway came
        long history = camera.detect(now.minusDays(2), 1, new Plate("OLD 1", 0.9));
        camera.db().exec("UPDATE detection_results SET sent_to_server = 1, sent_at = '2025-09-13T10:00:00.000000' WHERE id = " + history);
        long twoPlates = camera.detect(now.minusMinutes(10), 2, new Plate("กข 1234", 0.87), new Plate("AB 5678", 0.612));
        long thai = camera.detect(now.minusMinutes(9), 1, new Plate("1กก 999", 0.955));
        long vehicleOnly = camera.detect(now.minusMinutes(8), 1);
        long unreadable = camera.detect(now.minusMinutes(7), 1, new Plate("", 0.12));
        camera.health(now.minusMinutes(6), "Camera", "PASS", "Camera is running", "{\"frames\": 120}");
        camera.health(now.minusMinutes(6), "Disk Space", "WARNING", "Disk 86% used", null);
        List<String> detectionColumns = camera.tableInfo("detection_results");
        List<String> healthColumns = camera.tableInfo("health_checks");
        List<String> tables = camera.db().strings("SELECT name FROM sqlite_master ORDER BY name");
        String journal = camera.db().string("PRAGMA journal_mode");

        startServer(sshd.uploadDir());
        edge().imagesTo(sshd)
                .start().awaitHttp(edgeHttp, "/health");

        // the application goes on writing while the gateway drains: none of its inserts may fail
        AtomicInteger written = new AtomicInteger();
        List<Exception> failures = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            try {
                camera.detect(LocalDateTime.now(BANGKOK).plusNanos(i * 1000L), 1, new Plate("LIVE " + i, 0.8));
                written.incrementAndGet();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        assertThat(failures).isEmpty();

        Db server = new Db(dir.resolve("server.db"));
        await().atMost(Duration.ofSeconds(90)).until(() ->
                camera.db().count("SELECT count(*) FROM detection_results WHERE sent_to_server = 0") == 0
                && camera.db().count("SELECT count(*) FROM health_checks WHERE sent_to_server = 0") == 0);

        // every readable plate once; multi-plate rows give one record per plate, Thai decoded
        assertThat(server.strings("SELECT license_plate FROM lpr_detections WHERE license_plate NOT LIKE 'LIVE %' ORDER BY license_plate"))
                .containsExactly("1กก 999", "AB 5678", "กข 1234");
        assertThat(server.count("SELECT count(*) FROM lpr_detections WHERE license_plate LIKE 'LIVE %'")).isEqualTo(written.get());
        assertThat(server.count("SELECT count(DISTINCT license_plate) FROM lpr_detections")).isEqualTo(3 + written.get());
        assertThat(server.count("SELECT count(DISTINCT message_id) FROM lpr_detections")).isEqualTo(3 + written.get());
        // one scale (percent), whatever the camera wrote
        assertThat(server.string("SELECT confidence FROM lpr_detections WHERE license_plate = 'AB 5678'")).isEqualTo("61.2");
        // local time with its offset on the wire; the host and checkpoint the table lacks are filled
        assertThat(server.string("SELECT timestamp FROM lpr_detections WHERE license_plate = '1กก 999'"))
                .startsWith(now.minusMinutes(9).toLocalDate().toString()).endsWith("+07:00");
        assertThat(server.string("SELECT checkpoint_id FROM lpr_detections LIMIT 1")).isEqualTo("CAM007");
        assertThat(server.count("SELECT count(*) FROM health_monitors")).isEqualTo(2);
        assertThat(server.string("SELECT status FROM health_monitors WHERE component = 'Disk Space'")).isEqualTo("WARNING");

        // the application's own bookkeeping, in its own formats
        assertThat(camera.db().string("SELECT typeof(sent_at) || '|' || json_extract(server_response, '$.status') "
                + "FROM detection_results WHERE id = " + twoPlates)).isEqualTo("text|success");
        assertThat(camera.db().string("SELECT json_array_length(server_response, '$.message_ids') FROM detection_results WHERE id = "
                + twoPlates)).isEqualTo("2");
        assertThat(camera.db().string("SELECT json_extract(server_response, '$.status') FROM detection_results WHERE id = "
                + vehicleOnly)).isEqualTo("skipped");
        assertThat(camera.db().string("SELECT json_extract(server_response, '$.status') FROM detection_results WHERE id = "
                + unreadable)).isEqualTo("skipped");
        assertThat(camera.db().string("SELECT sent_at FROM detection_results WHERE id = " + history))
                .isEqualTo("2025-09-13T10:00:00.000000");
        assertThat(camera.db().string("SELECT sent_at FROM detection_results WHERE id = " + thai))
                .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}");

        // the images, given relative to the application's folder, arrive and are linked to their records
        await().atMost(Duration.ofSeconds(60)).until(() ->
                server.count("SELECT count(*) FROM lpr_detections WHERE image_state = 'received'") == 3 + written.get());
        for (String row : server.strings("SELECT image_file FROM lpr_detections WHERE license_plate = 'กข 1234'")) {
            assertThat(dir.resolve("server-images").resolve(row)).hasSameBinaryContentAs(
                    camera.root().resolve(camera.db().string("SELECT original_image_path FROM detection_results WHERE id = " + twoPlates)));
        }

        // nothing of the camera's database changed but the rows' sent columns
        assertThat(camera.tableInfo("detection_results")).isEqualTo(detectionColumns);
        assertThat(camera.tableInfo("health_checks")).isEqualTo(healthColumns);
        assertThat(camera.db().strings("SELECT name FROM sqlite_master ORDER BY name")).isEqualTo(tables);
        assertThat(camera.db().string("PRAGMA journal_mode")).isEqualTo(journal);
        // (no broker in this test: the MQTT routes keep /ready down; no reason may blame another sender)
        assertThat(Http.get("http://127.0.0.1:" + edgeHttp + "/ready").body()).doesNotContain("another sender");
    }

    @Test
    void rows_another_sender_marks_sent_are_reported_at_ready() throws Exception {
        startServer(dir.resolve("server-upload/incoming"));
        camera.detect(LocalDateTime.now(BANGKOK), 1, new Plate("FIRST 1", 0.9));
        edge().set("images.enabled", false).start().awaitHttp(edgeHttp, "/health");
        Db server = new Db(dir.resolve("server.db"));
        await().atMost(Duration.ofSeconds(30)).until(() -> server.count("SELECT count(*) FROM lpr_detections") == 1);

        // the application's own sender, still running, takes new rows before the gateway does
        for (int i = 0; i < 3; i++) {
            camera.detect(LocalDateTime.now(BANGKOK), "2026-01-01T00:00:00.000000", 1, new Plate("OTHER " + i, 0.9));
        }

        await().atMost(Duration.ofSeconds(30)).until(() ->
                Http.get("http://127.0.0.1:" + edgeHttp + "/ready").body().contains("marked sent by another sender"));
        assertThat(Http.get("http://127.0.0.1:" + edgeHttp + "/ready").body()).contains("\"ready\":false");
        assertThat(server.count("SELECT count(*) FROM lpr_detections WHERE license_plate LIKE 'OTHER %'")).isZero();
    }

    @Test
    void ages_of_waiting_rows_are_counted_in_the_cameras_own_zone() throws Exception {
        // the camera writes local time at UTC+7 without a zone; the server is not reachable, so rows wait
        camera.detect(LocalDateTime.now(BANGKOK).minusMinutes(10), 1, new Plate("WAIT 1", 0.9));
        camera.health(LocalDateTime.now(BANGKOK).minusMinutes(10), "Camera", "PASS", "ok", null);
        // camera.timezone left at its default, this machine's zone, which the camera sets to its own
        GatewayProcess edge = track(new GatewayProcess("camera-app-edge-tz", "edge"))
                .filesUnder(dir)
                .env("TZ", "Asia/Bangkok")
                .set("gateway.http.port", edgeHttp)
                .set("edge.db.path", camera.databaseFile())
                .set("images.enabled", false)
                .set("rest.url", "http://127.0.0.1:" + Ports.free() + "/api/lpr/data")
                .set("gateway.transport.pinned", "rest")
                .set("metrics.backlogIntervalMillis", 500)
                .set("mqtt.brokerUrl", "tcp://127.0.0.1:" + Ports.free())
                .start().awaitHttp(edgeHttp, "/health");

        await().atMost(Duration.ofSeconds(30)).until(() -> Metrics.value(edgeHttp, "lpr_outbox_unsent", "table=\"detection_results\"") == 1);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                Metrics.value(edgeHttp, "lpr_outbox_oldest_unsent_age_seconds", "table=\"detection_results\"") > 0);
        // ten minutes, not seven hours and ten minutes: the 15-minute alert (LprOldestUnsentTooOld) stays quiet
        assertThat(Metrics.value(edgeHttp, "lpr_outbox_oldest_unsent_age_seconds", "table=\"detection_results\""))
                .isBetween(590.0, 700.0);
        assertThat(Metrics.value(edgeHttp, "lpr_outbox_oldest_unsent_age_seconds", "table=\"health_checks\""))
                .isBetween(590.0, 700.0);
        assertThat(new Db(dir.resolve("aicamera/v2/db/lpr_data.db-outbox.db"))
                .string("SELECT timestamp FROM outbox_detections WHERE license_plate = 'WAIT 1'")).endsWith("+07:00");
        assertThat(edge.isAlive()).isTrue();
    }

    @Test
    void a_database_no_layout_fits_stops_the_edge_naming_the_missing_columns() throws Exception {
        Path file = dir.resolve("other/lpr.db");
        Files.createDirectories(file.getParent());
        Db other = new Db(file);
        other.exec("CREATE TABLE detection_results (id INTEGER PRIMARY KEY, plate TEXT, sent_to_server INTEGER)");
        other.exec("CREATE TABLE health_checks (id INTEGER PRIMARY KEY, timestamp TEXT, component TEXT, status TEXT, "
                + "message TEXT, details TEXT, sent_to_server INTEGER, sent_at TEXT, server_response TEXT)");

        GatewayProcess edge = edge().set("edge.db.path", file).start();

        await().atMost(Duration.ofSeconds(60)).until(() -> !edge.isAlive());
        String log = Files.readString(edge.logFile());
        assertThat(log).contains("no camera layout fits the camera database")
                .contains("layout 'ocr-json' needs detection_results.timestamp, detection_results.plates_count, "
                        + "detection_results.ocr_results, detection_results.original_image_path");
        assertThat(other.strings("SELECT name FROM pragma_table_info('detection_results')"))
                .containsExactly("id", "plate", "sent_to_server");
    }
}
