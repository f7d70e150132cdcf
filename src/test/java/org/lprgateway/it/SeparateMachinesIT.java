package org.lprgateway.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.lprgateway.support.GatewayProcess;
import org.lprgateway.support.Http;
import org.lprgateway.support.Metrics;
import org.lprgateway.support.Mosquitto;
import org.lprgateway.support.Ports;
import org.lprgateway.support.ProcessTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Edge and server started as the README's "Running edge and server on separate machines" starts
 * them: the same settings, with loopback for the server's address and free ports and folders so
 * the test runs beside others. Nothing tells the edge where to probe: it must find the server by
 * its transport settings.
 */
class SeparateMachinesIT extends ProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void the_edge_probes_the_server_of_its_rest_url_and_sees_a_good_network() throws Exception {
        Path dir = Files.createTempDirectory("separate-machines");
        int serverHttp = Ports.free();
        int serverWs = Ports.free();
        int edgeHttp = Ports.free();
        Mosquitto broker = track(new Mosquitto()).start();

        // java -jar target/lpr-gateway.jar --role=server --mqtt.brokerUrl=tcp://localhost:1883
        track(new GatewayProcess("separate-server", "server"))
                .set("mqtt.brokerUrl", broker.url())
                .set("gateway.http.port", serverHttp)
                .set("websocket.port", serverWs)
                .set("server.db.path", dir.resolve("server.db"))
                .filesUnder(dir.resolve("server"))
                .start().awaitHttp(serverHttp, "/health");

        // java -jar target/lpr-gateway.jar --role=edge --camera.id=CAM001 --edge.db.path=... \
        //      --rest.url=http://<server>:8000/api/lpr/data --websocket.url=ws://<server>:8765/ \
        //      --mqtt.brokerUrl=tcp://<server>:1883
        track(new GatewayProcess("separate-edge", "edge"))
                .set("camera.id", "CAM001")
                .set("edge.db.path", dir.resolve("edge.db"))
                .set("rest.url", "http://127.0.0.1:" + serverHttp + "/api/lpr/data")
                .set("websocket.url", "ws://127.0.0.1:" + serverWs + "/")
                .set("mqtt.brokerUrl", broker.url())
                .set("gateway.http.port", edgeHttp)
                .filesUnder(dir.resolve("edge"))
                .start().awaitHttp(edgeHttp, "/health");

        await("the edge's network class good or better").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> List.of("excellent", "good").contains(network(edgeHttp).path("class").asText()));
        JsonNode network = network(edgeHttp);
        assertThat(network.path("target").asText()).isEqualTo("http://127.0.0.1:" + serverHttp + "/health");
        assertThat(network.path("probes").asInt()).isPositive();
        assertThat(Metrics.value(edgeHttp, "lpr_network_quality_level")).isGreaterThanOrEqualTo(3);
    }

    private static JsonNode network(int edgeHttp) throws Exception {
        return JSON.readTree(Http.get("http://127.0.0.1:" + edgeHttp + "/api/status").body()).path("network");
    }
}
