package org.lprgateway.it;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.lprgateway.support.Db;
import org.lprgateway.support.GatewayProcess;
import org.lprgateway.support.Http;
import org.lprgateway.support.Mosquitto;
import org.lprgateway.support.Ports;
import org.lprgateway.support.TestCredentials;
import org.lprgateway.support.WsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A server and an edge on their shipped settings, asked by clients with no, wrong and weaker
 * credentials than they need: nothing is read, sent or commanded without the right one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityIT {

    private static final String JWT_SECRET = "security-it-jwt-secret-0123456789abcdef0123";

    private Path dir;
    private Path keys;
    private GatewayProcess server;
    private GatewayProcess strict;
    private GatewayProcess open;
    private String openBase;
    private String base;
    private String strictBase;
    private String ws;
    private Db db;
    private Mosquitto broker;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("security-it");
        broker = new Mosquitto().start();
        keys = dir.resolve("api-keys.properties");
        Files.writeString(keys, "ops = operator:ops-key-0123456789abcdef\nview = viewer:view-key-0123456789abcdef\n"
                + "CAM001 = camera:cam001-key-0123456789abcdef\n");
        Files.writeString(dir.resolve("jwt-secrets"), JWT_SECRET + "\n");
        int http = Ports.free();
        int wsPort = Ports.free();
        server = new GatewayProcess("security-server", "server")
                .set("gateway.http.port", http)
                .set("websocket.port", wsPort)
                .set("mqtt.brokerUrl", broker.url())
                .set("server.db.path", dir.resolve("server.db"))
                .set("server.imageDir", dir.resolve("server-images"))
                .set("server.previewDir", dir.resolve("server-previews"))
                .set("security.apiKeysFile", keys)
                .set("security.jwt.secretsFile", dir.resolve("jwt-secrets"))
                // this class's own refusals are many; the limit of failures is the strict server's test
                .set("security.rateLimit.failuresPerMinute", 10000)
                .start();
        // a second server: management only from 127.0.0.2, five requests a second per client
        int strictHttp = Ports.free();
        strict = new GatewayProcess("security-strict", "server")
                .set("gateway.http.port", strictHttp)
                .set("websocket.port", Ports.free())
                .set("mqtt.brokerUrl", "tcp://127.0.0.1:1")
                .set("server.db.path", dir.resolve("strict.db"))
                .set("server.imageDir", dir.resolve("strict-images"))
                .set("server.previewDir", dir.resolve("strict-previews"))
                .set("security.management.allow", "127.0.0.2/32")
                .set("security.rateLimit.requestsPerSecond", 5)
                .set("security.rateLimit.failuresPerMinute", 5)
                .start();
        // a third, with security turned off on purpose
        int openHttp = Ports.free();
        open = new GatewayProcess("security-off", "server")
                .set("gateway.http.port", openHttp)
                .set("websocket.port", Ports.free())
                .set("mqtt.brokerUrl", "tcp://127.0.0.1:1")
                .set("server.db.path", dir.resolve("open.db"))
                .set("server.imageDir", dir.resolve("open-images"))
                .set("server.previewDir", dir.resolve("open-previews"))
                .set("security.enabled", false)
                .start();
        server.awaitHttp(http, "/health");
        strict.awaitHttp(strictHttp, "/health");
        open.awaitHttp(openHttp, "/health");
        openBase = "http://127.0.0.1:" + openHttp;
        base = "http://127.0.0.1:" + http;
        strictBase = "http://127.0.0.1:" + strictHttp;
        ws = "ws://127.0.0.1:" + wsPort + "/";
        db = new Db(dir.resolve("server.db"));
    }

    @AfterAll
    void stop() throws Exception {
        open.close();
        strict.close();
        server.close();
        broker.close();
    }

    private static HttpResponse<String> get(String url, String... headers) {
        HttpRequest.Builder b = Http.anonymous(url).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return Http.send(b.build());
    }

    private static HttpResponse<String> post(String url, String body, String... headers) {
        HttpRequest.Builder b = Http.anonymous(url).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return Http.send(b.build());
    }

    private static String basic(String user, String key) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + key).getBytes(StandardCharsets.UTF_8));
    }

    static String jwt(String secret, String claims) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String head = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String body = b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return head + "." + body + "." + b64.encodeToString(mac.doFinal((head + "." + body).getBytes(StandardCharsets.UTF_8)));
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    @Test
    void nothing_is_read_sent_or_commanded_without_a_credential() {
        assertThat(get(base + "/health").statusCode()).isEqualTo(200);
        for (String path : List.of("/api/cameras", "/api/blacklist", "/dashboard", "/api/status", "/metrics",
                "/observe/jolokia/version", "/observe/jolokia/list")) {
            HttpResponse<String> r = get(base + path);
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(r.body()).as(path).contains("credential required");
            assertThat(r.headers().firstValue("WWW-Authenticate")).as(path).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        }
        assertThat(post(base + "/api/lpr/data", Http.detection(UUID.randomUUID().toString(), "ANON 1")).statusCode()).isEqualTo(401);
        assertThat(post(base + "/api/blacklist", "{\"plate\":\"ANON 2\"}").statusCode()).isEqualTo(401);
        assertThat(post(base + "/api/lpr/data", Http.detection(null, "WRONG 1"), "X-API-Key", "not-a-key-0123456789").statusCode())
                .isEqualTo(401);
        assertThatThrownBy(() -> new WsClient(ws, Map.of())).hasStackTraceContaining("401");
        assertThatThrownBy(() -> new WsClient(ws, Map.of("X-API-Key", "wrong-key-0123456789abcdef"))).hasStackTraceContaining("401");
        assertThat(db.count("SELECT count(*) FROM lpr_detections WHERE license_plate IN ('ANON 1', 'WRONG 1')")).isZero();
    }

    @Test
    void security_turned_off_says_so_loudly_at_start_and_then_asks_for_nothing() throws Exception {
        assertThat(Files.readString(open.logFile())).contains("WARN").contains("SECURITY IS OFF (security.enabled=false)");
        assertThat(get(openBase + "/api/cameras").statusCode()).isEqualTo(200);
        // even then a foreign page cannot change anything, and management answers this machine only
        assertThat(post(openBase + "/api/blacklist", "{\"plate\":\"OFF 1\",\"reason\":\"t\"}", "Origin", "http://evil.example")
                .statusCode()).isEqualTo(403);
        // and the shipped server does not say it
        assertThat(Files.readString(server.logFile())).doesNotContain("SECURITY IS OFF");
    }

    @Test
    void each_role_does_what_it_may_and_nothing_more() throws Exception {
        String camera = "cam001-key-0123456789abcdef";
        String viewer = "view-key-0123456789abcdef";
        String operator = "ops-key-0123456789abcdef";
        // a camera sends records, over REST and WebSocket, and reads or commands nothing
        assertThat(post(base + "/api/lpr/data", Http.detection(UUID.randomUUID().toString(), "CAM KEY 1"), "X-API-Key", camera)
                .statusCode()).isEqualTo(200);
        try (WsClient client = new WsClient(ws, Map.of("X-API-Key", camera))) {
            assertThat(client.request(Http.detection(UUID.randomUUID().toString(), "CAM KEY 2"))).contains("success");
        }
        assertThat(get(base + "/api/cameras", "X-API-Key", camera).statusCode()).isEqualTo(403);
        assertThat(get(base + "/observe/jolokia/version", "X-API-Key", camera).statusCode()).isEqualTo(403);
        // a viewer reads, and neither sends nor changes anything
        assertThat(get(base + "/api/cameras", "Authorization", basic("view", viewer)).statusCode()).isEqualTo(200);
        assertThat(get(base + "/metrics", "X-API-Key", viewer).body()).contains("jvm_memory");
        assertThat(post(base + "/api/blacklist", "{\"plate\":\"VIEW 1\",\"reason\":\"t\"}", "X-API-Key", viewer).statusCode()).isEqualTo(403);
        assertThat(post(base + "/api/lpr/data", Http.detection(null, "VIEW 2"), "X-API-Key", viewer).statusCode()).isEqualTo(403);
        // Basic needs the key's own name
        assertThat(get(base + "/api/cameras", "Authorization", basic("ops", viewer)).statusCode()).isEqualTo(401);
        // an operator does both
        assertThat(post(base + "/api/blacklist", "{\"plate\":\"OPS 1\",\"reason\":\"t\"}", "Authorization", basic("ops", operator))
                .statusCode()).isBetween(200, 299);
        assertThat(db.count("SELECT count(*) FROM lpr_detections WHERE license_plate LIKE 'CAM KEY %'")).isEqualTo(2);
        assertThat(db.count("SELECT count(*) FROM lpr_detections WHERE license_plate LIKE 'VIEW %'")).isZero();
    }

    @Test
    void tokens_are_checked_for_signature_expiry_audience_and_role() throws Exception {
        String url = base + "/api/cameras";
        String good = jwt(JWT_SECRET, "{\"role\":\"viewer\",\"sub\":\"grafana\",\"aud\":\"lpr-gateway\",\"exp\":" + (now() + 60) + "}");
        assertThat(get(url, "Authorization", "Bearer " + good).statusCode()).isEqualTo(200);
        Map<String, String> refused = Map.of(
                "other secret", jwt("another-secret-0123456789abcdef0123456789", "{\"role\":\"viewer\",\"aud\":\"lpr-gateway\",\"exp\":" + (now() + 60) + "}"),
                "expired", jwt(JWT_SECRET, "{\"role\":\"viewer\",\"aud\":\"lpr-gateway\",\"exp\":" + (now() - 120) + "}"),
                "no exp", jwt(JWT_SECRET, "{\"role\":\"viewer\",\"aud\":\"lpr-gateway\"}"),
                "other audience", jwt(JWT_SECRET, "{\"role\":\"viewer\",\"aud\":\"someone-else\",\"exp\":" + (now() + 60) + "}"),
                "unknown role", jwt(JWT_SECRET, "{\"role\":\"root\",\"aud\":\"lpr-gateway\",\"exp\":" + (now() + 60) + "}"),
                "alg none", Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
                        + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(("{\"role\":\"operator\",\"aud\":\"lpr-gateway\",\"exp\":"
                        + (now() + 60) + "}").getBytes(StandardCharsets.UTF_8)) + ".",
                "garbage", "a.b.c");
        refused.forEach((why, token) -> assertThat(get(url, "Authorization", "Bearer " + token).statusCode()).as(why).isEqualTo(401));
        // a camera token sends as its camera
        String cam = jwt(JWT_SECRET, "{\"role\":\"camera\",\"sub\":\"CAM001\",\"aud\":\"lpr-gateway\",\"exp\":" + (now() + 60) + "}");
        assertThat(post(base + "/api/lpr/data", Http.detection(UUID.randomUUID().toString(), "JWT 1"), "Authorization", "Bearer " + cam)
                .statusCode()).isEqualTo(200);
    }

    @Test
    void keys_rotate_without_a_restart() throws Exception {
        String url = base + "/api/cameras";
        Path rotating = dir.resolve("rotating.properties");
        // the server reads the file named at start; rotate in place
        String before = Files.readString(keys);
        try {
            Files.writeString(keys, before + "new = viewer:rotated-key-0123456789abcdef\n");
            await().atMost(Duration.ofSeconds(5)).until(() -> get(url, "X-API-Key", "rotated-key-0123456789abcdef").statusCode() == 200);
            Files.writeString(keys, before.replace("view = viewer:view-key-0123456789abcdef\n", ""));
            await().atMost(Duration.ofSeconds(5)).until(() -> get(url, "X-API-Key", "view-key-0123456789abcdef").statusCode() == 401);
            assertThat(get(url, "X-API-Key", "rotated-key-0123456789abcdef").statusCode()).isEqualTo(401);
        } finally {
            Files.writeString(keys, before);
            Files.deleteIfExists(rotating);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> get(url, "X-API-Key", "view-key-0123456789abcdef").statusCode() == 200);
    }

    @Test
    void jolokia_reads_metrics_and_refuses_endpoint_sends_route_stops_and_the_jvm_arguments() throws Exception {
        String jolokia = base + "/observe/jolokia";
        String viewer = "view-key-0123456789abcdef";
        String operator = "ops-key-0123456789abcdef";
        String context = "org.apache.camel:context=lpr-gateway,type=context,name=\\\"lpr-gateway\\\"";
        String route = "org.apache.camel:context=lpr-gateway,type=routes,name=\\\"ingest-rest\\\"";
        Path marker = dir.resolve("jolokia-was-here");

        assertThat(get(jolokia + "/read/java.lang:type=Memory/HeapMemoryUsage", "X-API-Key", viewer).body()).contains("\"status\":200");
        assertThat(get(jolokia + "/read/org.apache.camel:context=lpr-gateway,type=routes,name=%22ingest-rest%22/ExchangesTotal",
                "X-API-Key", viewer).body()).contains("\"status\":200");
        for (String attribute : List.of("SystemProperties", "InputArguments")) {
            assertThat(get(jolokia + "/read/java.lang:type=Runtime/" + attribute, "X-API-Key", operator).body())
                    .as(attribute).contains("\"status\":403").doesNotContain("security.apiKeysFile");
        }

        String send = "{\"type\":\"exec\",\"mbean\":\"" + context + "\",\"operation\":\"sendStringBody(java.lang.String,java.lang.String)\","
                + "\"arguments\":[\"exec:touch?args=" + marker + "\",\"x\"]}";
        String sql = "{\"type\":\"exec\",\"mbean\":\"" + context + "\",\"operation\":\"requestStringBody(java.lang.String,java.lang.String)\","
                + "\"arguments\":[\"sql:SELECT license_plate FROM lpr_detections\",\"x\"]}";
        String stop = "{\"type\":\"exec\",\"mbean\":\"" + route + "\",\"operation\":\"stop()\"}";
        String start = "{\"type\":\"exec\",\"mbean\":\"" + route + "\",\"operation\":\"start()\"}";
        String write = "{\"type\":\"write\",\"mbean\":\"" + route + "\",\"attribute\":\"Tracing\",\"value\":true}";
        // without a credential, as a viewer, or from a foreign page: refused before Jolokia sees it
        for (String body : List.of(send, sql, stop)) {
            assertThat(post(jolokia, body).statusCode()).isEqualTo(401);
            assertThat(post(jolokia, body, "X-API-Key", viewer).statusCode()).isEqualTo(403);
            assertThat(Http.send(Http.anonymous(jolokia).POST(HttpRequest.BodyPublishers.ofString(body))
                    .header("Content-Type", "text/plain").header("Origin", "http://evil.example")
                    .header("X-API-Key", operator).build()).statusCode()).isEqualTo(403);
        }
        assertThat(get(jolokia + "/exec/org.apache.camel:context=lpr-gateway,type=routes,name=%22ingest-rest%22/stop()",
                "X-API-Key", viewer).statusCode()).isEqualTo(403);
        // the operator: endpoint sends and writes are refused by the policy, route stop and start work
        assertThat(post(jolokia, send, "X-API-Key", operator).body()).contains("\"status\":403").contains("forbidden");
        assertThat(post(jolokia, sql, "X-API-Key", operator).body()).contains("\"status\":403");
        assertThat(post(jolokia, write, "X-API-Key", operator).body()).contains("\"status\":403");
        assertThat(marker).doesNotExist();
        assertThat(post(base + "/api/lpr/data", Http.detection(UUID.randomUUID().toString(), "STILL 1"), "X-API-Key", operator)
                .statusCode()).isEqualTo(200);
        assertThat(post(jolokia, stop, "X-API-Key", operator).body()).contains("\"status\":200");
        assertThat(post(base + "/api/lpr/data", Http.detection(UUID.randomUUID().toString(), "STOPPED 1"), "X-API-Key", operator)
                .statusCode()).isEqualTo(404);
        assertThat(post(jolokia, start, "X-API-Key", operator).body()).contains("\"status\":200");
        await().atMost(Duration.ofSeconds(10)).until(() -> post(base + "/api/lpr/data",
                Http.detection(UUID.randomUUID().toString(), "STILL 2"), "X-API-Key", operator).statusCode() == 200);
    }

    @Test
    void cross_site_requests_cannot_change_anything() {
        String operator = basic("ops", "ops-key-0123456789abcdef");
        assertThat(post(base + "/api/blacklist", "{\"plate\":\"CSRF 1\",\"reason\":\"t\"}", "Authorization", operator,
                "Origin", "http://evil.example").statusCode()).isEqualTo(403);
        assertThat(post(base + "/api/blacklist", "{\"plate\":\"CSRF 2\",\"reason\":\"t\"}", "Authorization", operator,
                "Sec-Fetch-Site", "cross-site").statusCode()).isEqualTo(403);
        assertThatThrownBy(() -> new WsClient(ws, Map.of("X-API-Key", "cam001-key-0123456789abcdef", "Origin", "http://evil.example")))
                .hasStackTraceContaining("403");
        // the dashboard's own page may
        assertThat(post(base + "/api/blacklist", "{\"plate\":\"SAME 1\",\"reason\":\"t\"}", "Authorization", operator,
                "Origin", base).statusCode()).isBetween(200, 299);
        assertThat(get(base + "/api/blacklist", "Authorization", operator).body()).contains("SAME 1").doesNotContain("CSRF");
    }

    @Test
    void management_answers_only_allowed_addresses_and_clients_beyond_their_rate_get_429() throws Exception {
        // 127.0.0.1 is not 127.0.0.2: the management API refuses; ingest and health still answer
        HttpResponse<String> refused = get(strictBase + "/api/cameras", "X-API-Key", TestCredentials.OPERATOR);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("address not allowed");
        assertThat(get(strictBase + "/observe/jolokia/version", "X-API-Key", TestCredentials.OPERATOR).statusCode()).isEqualTo(403);
        assertThat(get(strictBase + "/health").statusCode()).isEqualTo(200);

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            statuses.add(post(strictBase + "/api/lpr/data", Http.detection(UUID.randomUUID().toString(), "RATE " + i),
                    "X-API-Key", TestCredentials.FLEET).statusCode());
        }
        assertThat(statuses).contains(200, 429);
        HttpResponse<String> limited = null;
        for (int i = 0; i < 10 && limited == null; i++) {
            HttpResponse<String> r = post(strictBase + "/api/lpr/data", Http.detection(null, "RATE X"), "X-API-Key", TestCredentials.FLEET);
            limited = r.statusCode() == 429 ? r : null;
        }
        assertThat(limited).isNotNull();
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        // failed authentications are limited per address: the sixth wrong key in a minute gets 429
        List<Integer> wrong = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            wrong.add(get(strictBase + "/api/lpr/data", "X-API-Key", "guess-" + i + "-0123456789abcdef").statusCode());
        }
        assertThat(wrong).startsWith(401).endsWith(429);
    }
}
