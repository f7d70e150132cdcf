package org.lprgateway.it;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.lprgateway.support.Db;
import org.lprgateway.support.GatewayProcess;
import org.lprgateway.support.Http;
import org.lprgateway.support.Mosquitto;
import org.lprgateway.support.Ports;
import org.lprgateway.support.ProcessTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Secrets given the ways the gateway takes them (environment variables, secret files) never come
 * back out: not in its logs, its API answers, its metrics, its JMX attributes or its errors.
 */
class SecretsIT extends ProcessTest {

    private static final String SERVER_MQTT_PASSWORD = "srv-mqtt-pw-Q7c2Lx9v";
    private static final String EDGE_MQTT_PASSWORD = "edge-mqtt-pw-Z4k8Rt1m";
    private static final String EDGE_KEY = "edge-camera-key-H3n6Wp0s2Yd5";
    // base64 of 32 bytes: the payload encryption key of both
    private static final String PAYLOAD_KEY = "c2VjcmV0cy1pdC1wYXlsb2FkLWtleS0zMi1ieXRlcyE=";

    @Test
    void secrets_from_the_environment_and_from_files_appear_in_nothing_the_processes_write_or_answer() throws Exception {
        Path dir = Files.createTempDirectory("secrets-it");
        Path keys = Files.writeString(dir.resolve("api-keys.properties"), "CAM001 = camera:" + EDGE_KEY + "\n"
                + "operator = operator:" + org.lprgateway.support.TestCredentials.OPERATOR + "\n");
        Path edgePassword = Files.writeString(dir.resolve("edge-mqtt-password"), EDGE_MQTT_PASSWORD + "\n");
        Mosquitto broker = track(new Mosquitto()).start();
        int serverHttp = Ports.free();
        int edgeHttp = Ports.free();
        GatewayProcess server = track(new GatewayProcess("secrets-server", "server"))
                .filesUnder(dir)
                .set("gateway.http.port", serverHttp)
                .set("websocket.port", Ports.free())
                .set("server.db.path", dir.resolve("server.db"))
                .set("mqtt.brokerUrl", broker.url())
                .set("mqtt.username", "lpr-server")
                .set("security.apiKeysFile", keys)
                .env("MQTT_PASSWORD", SERVER_MQTT_PASSWORD)
                .env("PAYLOAD_ENCRYPTION_KEY", PAYLOAD_KEY)
                .start();
        GatewayProcess edge = track(new GatewayProcess("secrets-edge", "edge"))
                .filesUnder(dir)
                .set("gateway.http.port", edgeHttp)
                .set("edge.db.path", dir.resolve("edge.db"))
                .set("rest.url", "http://127.0.0.1:" + serverHttp + "/api/lpr/data")
                .set("network.probe.url", "http://127.0.0.1:" + serverHttp + "/health")
                .set("mqtt.brokerUrl", broker.url())
                .set("mqtt.username", "CAM001")
                .set("images.enabled", false)
                .env("MQTT_PASSWORD_FILE", edgePassword.toString())
                .env("SECURITY_CLIENT_APIKEY", EDGE_KEY)
                .set("payload.encryption.transports", "rest")
                .env("PAYLOAD_ENCRYPTION_KEY", PAYLOAD_KEY)
                .start();
        server.awaitHttp(serverHttp, "/health");
        edge.awaitHttp(edgeHttp, "/health");

        // work flows with those secrets: records sealed over REST (the edge's key), presence over MQTT
        Db edgeDb = new Db(dir.resolve("edge.db"));
        edgeDb.insertDetections(5, "SEC");
        Db serverDb = new Db(dir.resolve("server.db"));
        await().atMost(Duration.ofSeconds(60)).until(() -> serverDb.count("SELECT count(*) FROM lpr_detections") == 5);

        // everything an operator can read
        List<String> answers = new ArrayList<>();
        for (int port : List.of(serverHttp, edgeHttp)) {
            String base = "http://127.0.0.1:" + port;
            for (String path : List.of("/api/config", "/api/status", "/metrics", "/ready", "/api/errors", "/api/routes",
                    "/observe/jolokia/read/java.lang:type=Runtime", "/observe/jolokia/read/java.lang:type=Runtime/InputArguments",
                    "/observe/jolokia/read/java.lang:type=Runtime/SystemProperties",
                    "/observe/jolokia/read/org.apache.camel:type=endpoints,*", "/observe/jolokia/read/org.apache.camel:type=components,*",
                    "/observe/jolokia/read/org.apache.camel:type=consumers,*", "/observe/jolokia/read/org.apache.camel:type=producers,*",
                    "/observe/jolokia/read/org.apache.camel:type=context,*", "/observe/jolokia/read/org.apache.camel:type=services,*",
                    "/observe/jolokia/list/org.apache.camel")) {
                HttpResponse<String> r = Http.get(base + path);
                answers.add(path + " -> " + r.statusCode() + " " + r.body());
            }
        }
        String all = String.join("\n", answers);
        assertThat(all).contains("mqtt.password").contains("security.client.apiKey").contains("lpr-server");
        // what the processes logged, to stdout and to their log files
        edge.stop();
        server.stop();
        StringBuilder logs = new StringBuilder();
        for (GatewayProcess p : List.of(server, edge)) {
            logs.append(Files.readString(p.logFile(), StandardCharsets.UTF_8));
            Path files = p.logFile().getParent().resolve(p.logFile().getFileName().toString().replaceFirst("-\\d+\\.log$", "-files"));
            if (Files.isDirectory(files)) {
                try (Stream<Path> s = Files.walk(files)) {
                    for (Path f : s.filter(Files::isRegularFile).toList()) {
                        logs.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
                    }
                }
            }
        }
        assertThat(logs.toString()).contains("Routes startup");
        for (String secret : List.of(SERVER_MQTT_PASSWORD, EDGE_MQTT_PASSWORD, EDGE_KEY, PAYLOAD_KEY, GatewayProcess.SIGNING_KEY)) {
            assertThat(all).as("API answers").doesNotContain(secret);
            assertThat(logs.toString()).as("logs").doesNotContain(secret);
        }
    }
}
