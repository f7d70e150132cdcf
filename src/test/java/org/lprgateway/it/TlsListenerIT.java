package org.lprgateway.it;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lprgateway.security.Tls;
import org.lprgateway.support.Db;
import org.lprgateway.support.GatewayProcess;
import org.lprgateway.support.Ports;
import org.lprgateway.support.TestCa;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a server's TLS listeners refuse: plain HTTP on a TLS port, TLS 1.1, suites without ECDHE or
 * AEAD, slow headers, compressed WebSocket frames, silent WebSocket connections, oversized bodies.
 * One server process for all, with short limits so that each case takes seconds.
 */
class TlsListenerIT {

    private static final long HEADER_TIMEOUT_MILLIS = 1500;
    private static final int WS_IDLE_SECONDS = 2;

    private static Path dir;
    private static TestCa ca;
    private static GatewayProcess server;
    private static int https;
    private static int wss;

    @BeforeAll
    static void startServer() throws Exception {
        dir = Files.createTempDirectory("tls-listener");
        ca = TestCa.create(dir.resolve("ca"), "listener-ca");
        TestCa.Identity id = ca.issue("server", "IP:127.0.0.1,DNS:localhost");
        https = Ports.free();
        wss = Ports.free();
        server = new GatewayProcess("tls-listener", "server")
                .set("gateway.http.port", https)
                .set("websocket.port", wss)
                .set("server.db.path", dir.resolve("server.db"))
                .set("server.imageDir", dir.resolve("server-images"))
                .set("server.previewDir", dir.resolve("server-previews"))
                .set("server.imageInbox", dir.resolve("server-upload/incoming"))
                .set("tls.http.enabled", true)
                .set("tls.websocket.enabled", true)
                .set("tls.certFile", id.cert())
                .set("tls.keyFile", id.key())
                .set("http.headerTimeoutMillis", HEADER_TIMEOUT_MILLIS)
                .set("websocket.idleTimeoutSeconds", WS_IDLE_SECONDS)
                .set("camel.server.maxBodySize", 4000)
                .start().awaitRoutes();
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server != null) {
            server.kill();
        }
    }

    private static Tls trusting() {
        Tls tls = new Tls();
        tls.setCaFile(ca.cert().toString());
        return tls;
    }

    private static SSLSocket tlsSocket(int port) throws IOException {
        SSLSocket s = (SSLSocket) trusting().clientSocketFactory().createSocket("127.0.0.1", port);
        s.setSoTimeout(15000);
        s.startHandshake();
        return s;
    }

    private static int post(String path, String body) throws IOException {
        HttpsURLConnection c = (HttpsURLConnection) URI.create("https://127.0.0.1:" + https + path).toURL().openConnection();
        c.setSSLSocketFactory(trusting().clientSocketFactory());
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        c.setRequestProperty("X-API-Key", org.lprgateway.support.TestCredentials.FLEET);
        try (OutputStream out = c.getOutputStream()) {
            out.write(body.getBytes(StandardCharsets.UTF_8));
        }
        try {
            return c.getResponseCode();
        } finally {
            c.disconnect();
        }
    }

    private static int health() throws IOException {
        HttpsURLConnection c = (HttpsURLConnection) URI.create("https://127.0.0.1:" + https + "/health").toURL().openConnection();
        c.setSSLSocketFactory(trusting().clientSocketFactory());
        try {
            return c.getResponseCode();
        } finally {
            c.disconnect();
        }
    }

    @Test
    void plain_http_on_the_https_and_wss_ports_gets_no_http_answer() throws Exception {
        assertThat(health()).isEqualTo(200);
        for (int port : new int[] {https, wss}) {
            try (Socket plain = new Socket("127.0.0.1", port)) {
                plain.setSoTimeout(5000);
                plain.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                String answer = new String(readUntilClosed(plain.getInputStream()), StandardCharsets.ISO_8859_1);
                assertThat(answer).doesNotContain("HTTP/1.1");
            }
        }
    }

    @Test
    void tls_1_1_and_suites_without_ecdhe_or_aead_are_refused_while_ecdhe_aead_is_accepted() throws Exception {
        for (int port : new int[] {https, wss}) {
            assertThat(sClient(port, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0")).as("TLS 1.1").doesNotContain("Cipher is ECDHE");
            assertThat(sClient(port, "-tls1_2", "-cipher", "AES128-SHA")).as("RSA key exchange, CBC")
                    .contains("Cipher is (NONE)");
            assertThat(sClient(port, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA")).as("ECDHE, CBC")
                    .contains("Cipher is (NONE)");
            assertThat(sClient(port, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256")).as("ECDHE, AES-GCM")
                    .contains("Cipher is ECDHE-ECDSA-AES128-GCM-SHA256").contains("Verify return code: 0 (ok)");
            assertThat(sClient(port, "-tls1_2", "-cipher", "ECDHE-ECDSA-CHACHA20-POLY1305")).as("ECDHE, ChaCha20")
                    .contains("Cipher is ECDHE-ECDSA-CHACHA20-POLY1305");
            assertThat(sClient(port, "-tls1_3")).as("TLS 1.3").contains("TLSv1.3");
        }
    }

    private static String sClient(int port, String... options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-CAfile", ca.cert().toString()));
        cmd.addAll(List.of(options));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void a_client_dribbling_header_bytes_is_cut_off_at_the_header_timeout() throws Exception {
        try (SSLSocket slow = tlsSocket(https)) {
            OutputStream out = slow.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();
            CompletableFuture<Integer> closed = CompletableFuture.supplyAsync(() -> {
                try {
                    return slow.getInputStream().read();
                } catch (IOException e) {
                    return -1;
                }
            });
            // one header byte every 200 ms: the connection is never idle, but its headers never end
            while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
                try {
                    out.write('x');
                    out.flush();
                    assertThat(closed.get(200, TimeUnit.MILLISECONDS)).as("the server's answer to unfinished headers").isEqualTo(-1);
                    break;
                } catch (java.util.concurrent.TimeoutException stillOpen) {
                    // keep dribbling
                } catch (IOException writeFailed) {
                    break;
                }
            }
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(elapsedMillis).isBetween(HEADER_TIMEOUT_MILLIS - 300, HEADER_TIMEOUT_MILLIS + 3000);
        }
        // a client that sends its headers at once is answered, and its kept-alive connection stays usable
        assertThat(health()).isEqualTo(200);
    }

    @Test
    void the_websocket_ingest_negotiates_no_compression_and_closes_on_a_compressed_frame_without_inflating_it() throws Exception {
        try (SSLSocket ws = tlsSocket(wss)) {
            String response = upgrade(ws, "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n");
            assertThat(response).startsWith("HTTP/1.1 101");
            assertThat(response.toLowerCase(Locale.ROOT)).doesNotContain("sec-websocket-extensions");

            // 8 MB of JSON that deflates to a few kB, sent as a compressed (RSV1) text frame
            byte[] big = ("{\"message_id\":\"bomb\",\"pad\":\"" + " ".repeat(8 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.US_ASCII);
            Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
            deflater.setInput(big);
            deflater.finish();
            ByteArrayOutputStream compressed = new ByteArrayOutputStream();
            byte[] buf = new byte[65536];
            while (!deflater.finished()) {
                compressed.write(buf, 0, deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH));
            }
            assertThat(compressed.size()).isLessThan(64 * 1024);
            ws.getOutputStream().write(frame(0x1, true, compressed.toByteArray()));
            ws.getOutputStream().flush();

            byte[] answer = readUntilClosed(ws.getInputStream());
            // a close frame (opcode 8) with 1002 protocol error, or the connection simply dropped; never an ack
            if (answer.length > 0) {
                assertThat(answer[0] & 0x0f).isEqualTo(0x8);
                assertThat(((answer[2] & 0xff) << 8) | (answer[3] & 0xff)).isEqualTo(1002);
            }
        }
        assertThat(health()).isEqualTo(200);
        assertThat(new Db(dir.resolve("server.db")).count("SELECT count(*) FROM lpr_detections WHERE message_id = 'bomb'")).isZero();
    }

    @Test
    void a_silent_websocket_connection_is_closed_after_the_idle_timeout() throws Exception {
        try (SSLSocket ws = tlsSocket(wss)) {
            assertThat(upgrade(ws, "")).startsWith("HTTP/1.1 101");
            long start = System.nanoTime();
            readUntilClosed(ws.getInputStream());
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(elapsedMillis).isBetween(WS_IDLE_SECONDS * 1000L - 300, WS_IDLE_SECONDS * 1000L + 4000);
        }
    }

    @Test
    void a_request_body_over_the_limit_is_answered_413() throws Exception {
        assertThat(post("/api/lpr/data", "{\"pad\":\"" + "x".repeat(10_000) + "\"}")).isEqualTo(413);
        assertThat(post("/api/lpr/data", "{}")).isEqualTo(400);
    }

    private static String upgrade(SSLSocket ws, String extraHeaders) throws IOException {
        ws.getOutputStream().write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "X-API-Key: " + org.lprgateway.support.TestCredentials.FLEET + "\r\n" + extraHeaders + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        ws.getOutputStream().flush();
        InputStream in = ws.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** A masked client frame; {@code rsv1} marks it compressed. */
    private static byte[] frame(int opcode, boolean rsv1, byte[] payload) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x80 | (rsv1 ? 0x40 : 0) | opcode);
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            f.write(0x80 | 126);
            f.write(payload.length >>> 8);
            f.write(payload.length & 0xff);
        } else {
            f.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) ((long) payload.length >>> (8 * i)) & 0xff);
            }
        }
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        f.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            f.write(payload[i] ^ mask[i % 4]);
        }
        return f.toByteArray();
    }

    /** Everything the peer sends until it closes (or 15 s of silence: the socket's read timeout fails the test). */
    private static byte[] readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                all.write(buf, 0, n);
            }
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open", e);
        } catch (IOException e) {
            // reset by the server: closed as well
        }
        return all.toByteArray();
    }
}
