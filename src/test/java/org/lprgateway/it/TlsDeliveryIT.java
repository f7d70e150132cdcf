package org.lprgateway.it;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLException;

import org.junit.jupiter.api.Test;
import org.lprgateway.network.NetworkQuality;
import org.lprgateway.security.Tls;
import org.lprgateway.support.Db;
import org.lprgateway.support.GatewayProcess;
import org.lprgateway.support.Http;
import org.lprgateway.support.Ports;
import org.lprgateway.support.ProcessTest;
import org.lprgateway.support.TestCa;
import org.lprgateway.transport.WebSocketSender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Edge and server as separate processes over HTTPS and wss with mutual TLS: a throwaway CA issues the
 * server's certificate (a PKCS12 key store whose password comes from the environment) and the edges'
 * (PEM files). The edge's WebSocket sender and network probe, set up to trust another CA, reach nothing.
 */
class TlsDeliveryIT extends ProcessTest {

    private static final String KEYSTORE_PASSWORD = "p12-secret-" + System.nanoTime();

    private final Path dir;
    private final TestCa ca;
    private final TestCa foreignCa;
    private final TestCa.Identity serverId;
    private final TestCa.Identity edgeId;
    private final int serverHttps = Ports.free();
    private final int serverWss = Ports.free();
    private final Map<String, Integer> edgeHttp = new HashMap<>();

    TlsDeliveryIT() throws Exception {
        dir = Files.createTempDirectory("tls-delivery");
        ca = TestCa.create(dir.resolve("ca"), "test-ca");
        foreignCa = TestCa.create(dir.resolve("foreign"), "foreign-ca");
        serverId = ca.issue("server", "IP:127.0.0.1,DNS:localhost");
        edgeId = ca.issue("edge", "DNS:edge.test");
    }

    private GatewayProcess edge(String name, String transport, Path caFile) {
        int http = Ports.free();
        edgeHttp.put(name, http);
        return track(new GatewayProcess(name, "edge"))
                .set("gateway.http.port", http)
                .set("edge.db.path", dir.resolve(name + ".db"))
                .set("images.enabled", false)
                .set("gateway.transport.pinned", transport)
                .set("rest.url", "https://127.0.0.1:" + serverHttps + "/api/lpr/data")
                .set("websocket.url", "wss://127.0.0.1:" + serverWss + "/")
                .set("tls.certFile", edgeId.cert())
                .set("tls.keyFile", edgeId.key())
                .set("tls.caFile", caFile)
                .set("outbox.backoff.baseMillis", 200)
                .set("outbox.backoff.maxMillis", 1000);
    }

    @Test
    void edges_deliver_over_https_and_wss_with_mutual_tls_and_clients_without_a_certificate_or_trusting_another_ca_are_refused() throws Exception {
        Path p12 = ca.pkcs12(serverId, KEYSTORE_PASSWORD);
        GatewayProcess server = track(new GatewayProcess("tls-server", "server"))
                .set("gateway.http.port", serverHttps)
                .set("websocket.port", serverWss)
                .set("server.db.path", dir.resolve("server.db"))
                .set("server.imageDir", dir.resolve("server-images"))
                .set("server.previewDir", dir.resolve("server-previews"))
                .set("server.imageInbox", dir.resolve("server-upload/incoming"))
                .set("tls.http.enabled", true)
                .set("tls.websocket.enabled", true)
                .set("tls.keyStore.file", p12)
                .set("tls.caFile", ca.cert())
                .set("tls.clientAuth", "required")
                .env("TLS_KEYSTORE_PASSWORD", KEYSTORE_PASSWORD)
                .start();
        // the edges start meanwhile: they retry until the server is up
        GatewayProcess restEdge = edge("https-edge", "rest", ca.cert()).start();
        GatewayProcess wsEdge = edge("wss-edge", "websocket", ca.cert()).start();
        server.awaitRoutes();

        // mutual TLS: the server's certificate verifies against the CA; without a client certificate no answer
        assertThat(healthStatus(client(ca.cert(), edgeId))).isEqualTo(200);
        assertThatThrownBy(() -> healthStatus(client(ca.cert(), null))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> healthStatus(client(foreignCa.cert(), edgeId))).isInstanceOf(SSLException.class)
                .hasMessageContaining("PKIX");

        restEdge.awaitRoutes();
        wsEdge.awaitRoutes();
        new Db(dir.resolve("https-edge.db")).insertDetections(20, "HTTPS");
        new Db(dir.resolve("wss-edge.db")).insertDetections(20, "WSS");

        Db serverDb = new Db(dir.resolve("server.db"));
        await().atMost(Duration.ofSeconds(40)).until(() ->
                serverDb.count("SELECT count(*) FROM lpr_detections WHERE license_plate LIKE 'HTTPS %' AND transport = 'rest'") == 20
                        && serverDb.count("SELECT count(*) FROM lpr_detections WHERE license_plate LIKE 'WSS %' AND transport = 'websocket'") == 20);

        // the edge's own clients, set up as an edge trusting another CA: refused, nothing stored
        WebSocketSender foreignSender = new WebSocketSender();
        foreignSender.setUrl("wss://127.0.0.1:" + serverWss + "/");
        foreignSender.setTls(client(foreignCa.cert(), edgeId));
        try {
            assertThatThrownBy(() -> foreignSender.send(Http.detection("foreign-1", "FOREIGN 1"), "foreign-1"))
                    .isInstanceOf(IOException.class).hasMessageContaining("cannot connect");
        } finally {
            foreignSender.stop();
        }
        NetworkQuality foreignProbe = new NetworkQuality();
        foreignProbe.setUrl("https://127.0.0.1:" + serverHttps + "/health");
        foreignProbe.setTls(client(foreignCa.cert(), edgeId));
        foreignProbe.probe();
        assertThat(foreignProbe.reachable()).isFalse();
        assertThat(serverDb.count("SELECT count(*) FROM lpr_detections WHERE license_plate LIKE 'FOREIGN %'")).isZero();

        // the network probe reaches the server's https /health with the edge's certificate
        await().atMost(Duration.ofSeconds(20)).until(() ->
                Http.get("http://127.0.0.1:" + edgeHttp.get("https-edge") + "/api/status").body().matches("(?s).*\"latency_ms\"\\s*:\\s*[0-9].*"));

        // the key store password went in through the environment and comes out nowhere
        assertThat(Files.readString(server.logFile(), StandardCharsets.UTF_8)).doesNotContain(KEYSTORE_PASSWORD);
    }

    private static Tls client(Path caFile, TestCa.Identity identity) {
        Tls tls = new Tls();
        tls.setCaFile(caFile.toString());
        if (identity != null) {
            tls.setCertFile(identity.cert().toString());
            tls.setKeyFile(identity.key().toString());
        }
        return tls;
    }

    private int healthStatus(Tls tls) throws IOException {
        HttpsURLConnection c = (HttpsURLConnection) URI.create("https://127.0.0.1:" + serverHttps + "/health").toURL().openConnection();
        c.setSSLSocketFactory(tls.clientSocketFactory());
        c.setConnectTimeout(5000);
        c.setReadTimeout(30000);
        try {
            return c.getResponseCode();
        } finally {
            c.disconnect();
        }
    }
}
