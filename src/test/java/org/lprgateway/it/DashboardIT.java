package org.lprgateway.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.lprgateway.support.Chromium;
import org.lprgateway.support.Db;
import org.lprgateway.support.GatewayProcess;
import org.lprgateway.support.Http;
import org.lprgateway.support.Ports;
import org.lprgateway.support.ProcessTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The edge's dashboard in real headless Chromium: live numbers, the sender stopped and started by its buttons. */
class DashboardIT extends ProcessTest {

    @Test
    void the_dashboard_shows_live_numbers_and_its_buttons_stop_and_start_the_sender() throws Exception {
        Path dir = Files.createTempDirectory("dashboard");
        int serverHttp = Ports.free();
        int edgeHttp = Ports.free();
        String edge = "http://127.0.0.1:" + edgeHttp;
        track(new GatewayProcess("dashboard-server", "server"))
                .filesUnder(dir)
                .set("gateway.http.port", serverHttp)
                .set("websocket.port", Ports.free())
                .set("server.db.path", dir.resolve("server.db"))
                .start().awaitHttp(serverHttp, "/health");
        track(new GatewayProcess("dashboard-edge", "edge"))
                .filesUnder(dir)
                .set("gateway.http.port", edgeHttp)
                .set("edge.db.path", dir.resolve("edge.db"))
                .set("gateway.transport.pinned", "rest")
                .set("rest.url", "http://127.0.0.1:" + serverHttp + "/api/lpr/data")
                .set("network.probe.url", "http://127.0.0.1:" + serverHttp + "/health")
                .start().awaitHttp(edgeHttp, "/health");
        Db edgeDb = new Db(dir.resolve("edge.db"));
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(edge + "/api/routes").body().contains("\"outbox\":{\"state\":\"Started\""));
        edgeDb.insertDetections(25, "DASH", 80.0);
        await().atMost(Duration.ofSeconds(30)).until(() -> edgeDb.count("SELECT count(*) FROM detection_results WHERE sent_to_server = 1") == 25);

        Chromium browser = track(new Chromium(dir.resolve("chromium")));
        // the operator's login, as the browser sends it after asking
        browser.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                ("operator:" + org.lprgateway.support.TestCredentials.OPERATOR).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        browser.open(edge + "/dashboard");
        // live numbers: the network class, the backlog, REST's deliveries in the transport table
        await().atMost(Duration.ofSeconds(30)).until(() -> "excellent".equals(browser.text("network")) || "good".equals(browser.text("network")));
        await().atMost(Duration.ofSeconds(10)).until(() -> "0".equals(browser.text("backlog")));
        assertThat(browser.eval("document.querySelector('#transport-rest td:nth-child(2)').textContent")).isEqualTo("25");
        assertThat(browser.eval("document.querySelector('#transport-rest td:nth-child(4)').textContent")).isEqualTo("100 %");
        assertThat(browser.text("outbox-state")).isEqualTo("Started");

        browser.click("outbox-stop");
        await().atMost(Duration.ofSeconds(15)).until(() -> "Stopped".equals(browser.text("outbox-state")));
        assertThat(Http.get(edge + "/api/routes").body()).contains("\"poll-detections\":\"Stopped\"");
        edgeDb.insertDetections(3, "WAIT", 80.0);
        await().atMost(Duration.ofSeconds(15)).until(() -> "3".equals(browser.text("backlog")));

        browser.click("outbox-start");
        await().atMost(Duration.ofSeconds(15)).until(() -> "Started".equals(browser.text("outbox-state")));
        await().atMost(Duration.ofSeconds(30)).until(() -> "0".equals(browser.text("backlog")));
        assertThat(browser.eval("document.querySelector('#transport-rest td:nth-child(2)').textContent")).isEqualTo("28");

        byte[] png = browser.screenshot();
        assertThat(png.length).isGreaterThan(10_000);
        assertThat(new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "dashboard.png"), png);
    }
}
