package org.lprgateway.network;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.lprgateway.support.FaultyProxy;

import static org.assertj.core.api.Assertions.assertThat;

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

    @Test
    void classifies_by_mean_latency_and_loss_with_the_design_thresholds() {
        assertThat(withProbes(10, 20, 30).current()).isEqualTo("excellent");
        assertThat(withProbes(60, 70, 80).current()).isEqualTo("good");
        assertThat(withProbes(150, 150, 150).current()).isEqualTo("fair");
        assertThat(withProbes(250, 300).current()).isEqualTo("poor");
        // one lost probe in ten: 10 % loss is not under the fair limit
        assertThat(withProbes(10, 10, 10, 10, 10, 10, 10, 10, 10, -1).current()).isEqualTo("poor");
        // one in twenty is 5 %: fair at best
        NetworkQuality q = new NetworkQuality();
        q.setWindow(20);
        for (int i = 0; i < 19; i++) {
            q.record(10);
        }
        q.record(-1);
        assertThat(q.current()).isEqualTo("fair");
        assertThat(withProbes(-1, -1).current()).isEqualTo("poor");
    }

    @Test
    void keeps_only_the_last_probes_of_its_window() {
        NetworkQuality q = withProbes(500, 500, 500, 500, 500, 500, 500, 500, 500, 500);
        assertThat(q.current()).isEqualTo("poor");
        for (int i = 0; i < 10; i++) {
            q.record(5);
        }
        assertThat(q.current()).isEqualTo("excellent");
        assertThat(q.probes()).isEqualTo(10);
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
