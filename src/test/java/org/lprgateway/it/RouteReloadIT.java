package org.lprgateway.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.lprgateway.support.GatewayProcess;
import org.lprgateway.support.Http;
import org.lprgateway.support.Ports;
import org.lprgateway.support.ProcessTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An operator edits a route file of a running gateway: the change is live without rebuild or restart. */
class RouteReloadIT extends ProcessTest {

    private GatewayProcess server;


    @Test
    void an_edited_route_file_takes_effect_in_the_running_gateway() throws Exception {
        Path dir = Files.createTempDirectory("route-reload");
        Path routes = dir.resolve("routes");
        try (Stream<Path> files = Files.walk(Path.of("routes"))) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = routes.resolve(Path.of("routes").relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        int port = Ports.free();
        server = track(new GatewayProcess("reload-server", "server"))
                .set("gateway.routesDir", routes)
                .set("gateway.http.port", port)
                .set("server.db.path", dir.resolve("server.db"))
                .start().awaitHttp(port, "/api/lpr/data");
        String base = "http://127.0.0.1:" + port;
        assertThat(Http.postJson(base + "/api/lpr/data", Http.detection(null, "RELOAD 1")).statusCode()).isEqualTo(200);
        assertThat(Http.postJson(base + "/api/v2/lpr/data", Http.detection(null, "RELOAD 2")).statusCode()).isEqualTo(404);

        Path route = routes.resolve("server/ingest-rest.camel.yaml");
        String yaml = Files.readString(route, StandardCharsets.UTF_8);
        assertThat(yaml).contains("platform-http:/api/lpr/data");
        Files.writeString(route, yaml.replace("platform-http:/api/lpr/data", "platform-http:/api/v2/lpr/data"),
                StandardCharsets.UTF_8);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> Http.postJson(base + "/api/v2/lpr/data", Http.detection(null, "RELOAD 3")).statusCode() == 200);
        assertThat(Http.postJson(base + "/api/lpr/data", Http.detection(null, "RELOAD 4")).statusCode()).isEqualTo(404);
        assertThat(server.isAlive()).isTrue();
    }
}
