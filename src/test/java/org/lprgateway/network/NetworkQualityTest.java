package org.lprgateway.network;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.lprgateway.support.FaultyProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NetworkQualityTest {

    private static NetworkQuality withProbes(double... millis) {
        NetworkQuality q = new NetworkQuality();
        for (double m : millis) {
            q.record(m);
        }
        return q;
    }

    @Test
    void is_unknown_before_any_probe() {
        assertThat(new NetworkQuality().current()).isEqualTo("unknown");
        assertThat(new NetworkQuality().level()).isZero();
    }

    /** {@code lost} lost probes among {@code total}, the answered ones at {@code millis}, losses spread out. */
    private static NetworkQuality withLoss(int lost, int total, double millis) {
        NetworkQuality q = new NetworkQuality();
        int step = lost == 0 ? total : total / lost;
        for (int i = 0; i < total; i++) {
            boolean isLost = i % step == 0 && i / step < lost;
            q.record(isLost ? -1 : millis);
        }
        assertThat(q.lossPercent()).isEqualTo(100.0 * lost / total);
        return q;
    }

    @Test
    void classifies_by_mean_latency_and_loss_with_the_default_thresholds() {
        assertThat(withProbes(10, 20, 30).current()).isEqualTo("excellent");
        assertThat(withProbes(60, 70, 80).current()).isEqualTo("good");
        assertThat(withProbes(150, 150, 150).current()).isEqualTo("fair");
        assertThat(withProbes(250, 300).current()).isEqualTo("poor");
        assertThat(withProbes(-1, -1).current()).isEqualTo("poor");
    }

    @Test
    void every_loss_class_boundary_is_reachable_over_the_default_loss_window_of_100_probes() {
        assertThat(withLoss(0, 100, 10).current()).isEqualTo("excellent");
        assertThat(withLoss(1, 100, 10).current()).isEqualTo("good");
        assertThat(withLoss(4, 100, 10).current()).isEqualTo("good");
        assertThat(withLoss(5, 100, 10).current()).isEqualTo("fair");
        assertThat(withLoss(9, 100, 10).current()).isEqualTo("fair");
        assertThat(withLoss(10, 100, 10).current()).isEqualTo("poor");
        // loss and latency both bound the class: the worse of the two wins
        assertThat(withLoss(0, 100, 150).current()).isEqualTo("fair");
        assertThat(withLoss(4, 100, 60).current()).isEqualTo("good");
        assertThat(withLoss(4, 100, 150).current()).isEqualTo("fair");
    }

    @Test
    void one_lost_probe_among_ten_is_ten_percent_only_until_the_loss_window_fills() {
        NetworkQuality q = withProbes(10, 10, 10, 10, 10, 10, 10, 10, 10, -1);
        assertThat(q.lossPercent()).isEqualTo(10.0);
        assertThat(q.current()).isEqualTo("poor");
        for (int i = 0; i < 90; i++) {
            q.record(10);
        }
        assertThat(q.probes()).isEqualTo(100);
        assertThat(q.lossPercent()).isEqualTo(1.0);
        assertThat(q.current()).isEqualTo("good");
        // the lost probe leaves the window after 100 more
        for (int i = 0; i < 9; i++) {
            q.record(10);
        }
        assertThat(q.lossPercent()).isEqualTo(1.0);
        q.record(10);
        assertThat(q.lossPercent()).isZero();
        assertThat(q.current()).isEqualTo("excellent");
    }

    @Test
    void latency_follows_the_short_window_while_loss_remembers_the_long_one() {
        NetworkQuality q = new NetworkQuality();
        for (int i = 0; i < 90; i++) {
            q.record(500);
        }
        for (int i = 0; i < 10; i++) {
            q.record(5);
        }
        assertThat(q.latencyMillis()).isEqualTo(5.0);
        assertThat(q.current()).isEqualTo("excellent");

        // a long outage: poor while it lasts; at the first answer the outage leaves the loss window
        for (int i = 0; i < 100; i++) {
            q.record(-1);
        }
        assertThat(q.current()).isEqualTo("poor");
        assertThat(q.reachable()).isFalse();
        q.record(5);
        assertThat(q.reachable()).isTrue();
        assertThat(q.lossPercent()).isZero();
        assertThat(q.current()).isEqualTo("excellent");
    }

    @Test
    void three_lost_probes_in_a_row_are_an_outage_and_fewer_are_loss() {
        NetworkQuality q = withProbes(10, 10, 10, 10, 10, 10, 10, 10, 10, 10);
        q.record(-1);
        q.record(-1);
        // two in a row: loss on the path (2 of 12, above the 10 % of fair)
        assertThat(q.current()).isEqualTo("poor");
        q.record(10);
        assertThat(q.lossPercent()).isEqualTo(100.0 * 2 / 13);
        q.record(-1);
        q.record(-1);
        q.record(-1);
        // three in a row: the server is away
        assertThat(q.current()).isEqualTo("poor");
        q.record(10);
        // the outage is forgotten, the two earlier losses are not
        assertThat(q.lossPercent()).isEqualTo(100.0 * 2 / 14);
        q.setOutageProbes(0);
        q.record(-1);
        q.record(-1);
        q.record(-1);
        q.record(10);
        assertThat(q.lossPercent()).isEqualTo(100.0 * 5 / 18);
    }

    @Test
    void a_smaller_loss_window_judges_over_fewer_probes() {
        NetworkQuality q = new NetworkQuality();
        q.setLossWindow(20);
        for (int i = 0; i < 19; i++) {
            q.record(10);
        }
        q.record(-1);
        // one in twenty is 5 %: fair at best
        assertThat(q.current()).isEqualTo("fair");
        assertThat(q.probes()).isEqualTo(20);
    }

    @Test
    void keeps_only_the_last_probes_of_its_windows() {
        NetworkQuality q = new NetworkQuality();
        for (int i = 0; i < 150; i++) {
            q.record(500);
        }
        assertThat(q.current()).isEqualTo("poor");
        for (int i = 0; i < 10; i++) {
            q.record(5);
        }
        assertThat(q.current()).isEqualTo("excellent");
        assertThat(q.probes()).isEqualTo(100);
    }

    @Test
    void probes_the_health_url_on_the_rest_urls_host_and_port_by_default() {
        assertThat(NetworkQuality.healthUrl("http://100.95.46.128:8000/api/lpr/data", "ws://100.95.46.128:8765/", 8000))
                .hasToString("http://100.95.46.128:8000/health");
        assertThat(NetworkQuality.healthUrl("HTTPS://lpr.example.org/gateway/api/lpr/data?x=1", "", 8000))
                .hasToString("https://lpr.example.org/health");
        assertThat(NetworkQuality.healthUrl("http://[fd00::5]:9000/api/lpr/data", null, 8000))
                .hasToString("http://[fd00::5]:9000/health");
    }

    @Test
    void without_a_rest_url_probes_the_websocket_host_on_the_servers_http_port() {
        assertThat(NetworkQuality.healthUrl("", "ws://10.0.0.7:8765/", 8000)).hasToString("http://10.0.0.7:8000/health");
        assertThat(NetworkQuality.healthUrl(" ", "wss://lpr.example.org/ws", 8443)).hasToString("https://lpr.example.org:8443/health");
        assertThatThrownBy(() -> NetworkQuality.healthUrl("", "", 8000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("network.probe.url");
        assertThatThrownBy(() -> NetworkQuality.healthUrl("/api/lpr/data", "", 8000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rest.url");
    }

    @Test
    void an_explicit_probe_url_or_tcp_host_and_port_wins_over_the_derived_target() {
        NetworkQuality q = new NetworkQuality();
        q.setRestUrl("http://10.0.0.7:8000/api/lpr/data");
        q.setWebSocketUrl("ws://10.0.0.7:8765/");
        q.setUrl("");
        q.setHost("");
        q.setPort("");
        assertThat(q.target()).isEqualTo("http://10.0.0.7:8000/health");
        q.setUrl("http://proxy.local:9000/lpr/health");
        assertThat(q.target()).isEqualTo("http://proxy.local:9000/lpr/health");

        q.setUrl("");
        q.setMode("tcp");
        assertThat(q.target()).isEqualTo("10.0.0.7:8000");
        q.setPort("8765");
        assertThat(q.target()).isEqualTo("10.0.0.7:8765");
        q.setHost("10.0.0.8");
        assertThat(q.target()).isEqualTo("10.0.0.8:8765");
        assertThat(q.status()).containsEntry("target", "10.0.0.8:8765");
    }

    @Test
    void start_up_fails_with_nothing_to_probe() {
        NetworkQuality q = new NetworkQuality();
        q.setRestUrl("");
        q.setWebSocketUrl("");
        assertThatThrownBy(q::init).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void changed_thresholds_change_the_class() {
        NetworkQuality q = withProbes(60, 60, 60);
        assertThat(q.current()).isEqualTo("good");
        q.setExcellentLatencyMillis(70);
        assertThat(q.current()).isEqualTo("excellent");
    }

    @Test
    void http_probes_through_a_faulty_link_move_the_class_as_latency_and_loss_change() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/health", ex -> {
            byte[] ok = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, ok.length);
            ex.getResponseBody().write(ok);
            ex.close();
        });
        server.start();
        try (FaultyProxy link = new FaultyProxy(server.getAddress().getPort())) {
            NetworkQuality q = new NetworkQuality();
            q.setMode("http");
            q.setUrl("http://127.0.0.1:" + link.port() + "/health");
            q.setTimeoutMillis(1000);
            // windows of 10 keep this test short: the arithmetic of the long loss window is tested above
            q.setLossWindow(10);

            probe(q, 10);
            assertThat(q.current()).isIn("excellent", "good");

            link.delay(120);
            probe(q, 10);
            assertThat(q.current()).isEqualTo("fair");
            assertThat(q.latencyMillis()).isGreaterThanOrEqualTo(120);

            link.delay(0).drop(1.0);
            probe(q, 10);
            assertThat(q.current()).isEqualTo("poor");
            assertThat(q.lossPercent()).isEqualTo(100.0);

            link.drop(0);
            probe(q, 10);
            assertThat(q.current()).isIn("excellent", "good");
        } finally {
            server.stop(0);
        }
    }

    private static void probe(NetworkQuality q, int times) {
        for (int i = 0; i < times; i++) {
            q.probe();
        }
    }
}
