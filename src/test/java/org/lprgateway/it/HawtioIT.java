package org.lprgateway.it;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.lprgateway.support.Chromium;
import org.lprgateway.support.Db;
import org.lprgateway.support.GatewayProcess;
import org.lprgateway.support.Http;
import org.lprgateway.support.Ports;
import org.lprgateway.support.ProcessTest;
import org.lprgateway.support.TestCredentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator's Hawtio console, started by the documented command ({@code scripts/hawtio.sh}) as its
 * own process beside an edge and a server, driven in headless Chromium: the operator's credential
 * connects, a wrong or missing one does not; the routes are listed, the templated
 * {@code poll-detections} is drawn with a counter on each step, and it is stopped and started.
 */
class HawtioIT extends ProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TREE = "button.pf-c-tree-view__node-text";
    private static final String TAB = ".pf-c-nav__link";

    @Test
    void hawtio_connects_with_the_operator_credential_lists_routes_draws_templated_steps_with_counters_and_stops_and_starts_a_route()
            throws Exception {
        Path dir = Files.createTempDirectory("hawtio");
        int serverHttp = Ports.free();
        int edgeHttp = Ports.free();
        String edge = "http://127.0.0.1:" + edgeHttp;
        track(new GatewayProcess("hawtio-server", "server"))
                .filesUnder(dir)
                .set("gateway.http.port", serverHttp)
                .set("websocket.port", Ports.free())
                .set("server.db.path", dir.resolve("server.db"))
                .start().awaitHttp(serverHttp, "/health");
        track(new GatewayProcess("hawtio-edge", "edge"))
                .filesUnder(dir)
                .set("gateway.http.port", edgeHttp)
                .set("edge.db.path", dir.resolve("edge.db"))
                .set("gateway.transport.pinned", "rest")
                .set("rest.url", "http://127.0.0.1:" + serverHttp + "/api/lpr/data")
                .set("network.probe.url", "http://127.0.0.1:" + serverHttp + "/health")
                .start().awaitHttp(edgeHttp, "/health");
        Db edgeDb = new Db(dir.resolve("edge.db"));
        edgeDb.insertDetections(20, "HAWT", 80.0);
        await().atMost(Duration.ofSeconds(60)).until(() -> edgeDb.count("SELECT count(*) FROM detection_results WHERE sent_to_server = 1") == 20);

        // the templated route's model carries the ids its step statistics are reported under
        String xml = jolokiaExec(edgeHttp, "poll-detections", "dumpRouteAsXml()", List.of());
        String stats = jolokiaExec(edgeHttp, "poll-detections", "dumpRouteStatsAsXml(boolean,boolean)", List.of(false, true));
        List<String> statIds = all(Pattern.compile("<processorStat id=\"([^\"]+)\""), stats);
        List<String> modelIds = all(Pattern.compile(" id=\"([^\"]+)\""), xml);
        assertThat(statIds).hasSizeGreaterThan(10);
        assertThat(modelIds).containsAll(statIds);

        int consolePort = Ports.free();
        Console console = track(new Console(dir, consolePort,
                "edge=" + edge + "/observe/jolokia", "server=http://127.0.0.1:" + serverHttp + "/observe/jolokia"));
        String base = "http://127.0.0.1:" + consolePort;
        String proxy = base + "/hawtio/proxy/http/127.0.0.1/" + edgeHttp + "/observe/jolokia";
        // through the console's proxy: no credential or a wrong one is refused by the gateway, a
        // foreign page by the console; the console serves no MBeans of its own
        assertThat(Http.send(post(proxy, null, null)).statusCode()).isEqualTo(401);
        assertThat(Http.send(post(proxy, "operator:wrong-key", null)).statusCode()).isEqualTo(401);
        assertThat(Http.send(post(proxy, "operator:" + TestCredentials.OPERATOR, "http://evil.example")).statusCode()).isEqualTo(403);
        assertThat(Http.send(post(proxy, "operator:" + TestCredentials.OPERATOR, base)).body()).contains("\"agent\"");
        assertThat(Http.send(Http.anonymous(base + "/hawtio/jolokia/version").GET().build()).statusCode()).isEqualTo(404);

        Chromium browser = track(new Chromium(dir.resolve("chromium")));
        browser.open(base + "/");
        await().atMost(Duration.ofSeconds(15)).until(() -> String.valueOf(browser.eval("localStorage.getItem('connect.connections')"))
                .contains("\"edge\"") && String.valueOf(browser.eval("localStorage.getItem('connect.connections')")).contains("\"server\""));
        browser.open(base + "/hawtio/?con=edge");
        awaitLoginDialog(browser);

        // no credential, then a wrong one: Hawtio says so and shows no routes
        browser.clickText("button", "Log in");
        awaitRefusal(browser);
        browser.fill("#connect-login-form-username", "operator");
        browser.fill("#connect-login-form-password", "not-the-key");
        browser.clickText("button", "Log in");
        awaitRefusal(browser);
        save(browser, "hawtio-login-refused.png");

        // the operator's credential connects: the Camel tree lists the routes
        browser.fill("#connect-login-form-username", "operator");
        browser.fill("#connect-login-form-password", TestCredentials.OPERATOR);
        browser.clickText("button", "Log in");
        await("Camel tree").atMost(Duration.ofSeconds(60)).until(() -> treeHas(browser, "poll-detections"));
        for (String route : List.of("poll-detections", "poll-health-checks", "deliver-record", "send-rest", "probe-network")) {
            assertThat(treeHas(browser, route)).as(route).isTrue();
        }

        // the routes table, with the sender's route started
        assertThat(browser.clickText(TREE, "routes")).isTrue();
        await("routes table").atMost(Duration.ofSeconds(20)).until(() -> "Started".equals(routeState(browser, "poll-detections")));
        save(browser, "hawtio-routes.png");

        // the templated route's diagram: a counter on each of its steps, not only on the route
        assertThat(browser.clickText(TREE, "poll-detections")).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.clickText(TAB, "Route Diagram"));
        await("diagram with step counters").atMost(Duration.ofSeconds(30)).until(() -> stepsCounted(browser) >= 10);
        save(browser, "hawtio-route-diagram.png");

        // stop and start the route from the routes table: the gateway's own API agrees
        assertThat(browser.clickText(TREE, "routes")).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> routeState(browser, "poll-detections") != null);
        assertThat(selectRow(browser, "poll-detections")).isTrue();
        assertThat(browser.clickText("button", "Stop")).isTrue();
        await("route stopped").atMost(Duration.ofSeconds(30)).until(() -> Http.get(edge + "/api/routes").body()
                .contains("\"poll-detections\":\"Stopped\""));
        await().atMost(Duration.ofSeconds(20)).until(() -> "Stopped".equals(routeState(browser, "poll-detections")));
        edgeDb.insertDetections(3, "WAIT", 80.0);
        Thread.sleep(2000);
        assertThat(edgeDb.count("SELECT count(*) FROM detection_results WHERE sent_to_server = 0")).isEqualTo(3);

        if (!Boolean.TRUE.equals(browser.eval(rowCheckbox("poll-detections") + ".checked"))) {
            assertThat(selectRow(browser, "poll-detections")).isTrue();
        }
        assertThat(browser.clickText("button", "Start")).isTrue();
        await("route started").atMost(Duration.ofSeconds(30)).until(() -> Http.get(edge + "/api/routes").body()
                .contains("\"poll-detections\":\"Started\""));
        await().atMost(Duration.ofSeconds(60)).until(() -> edgeDb.count("SELECT count(*) FROM detection_results WHERE sent_to_server = 0") == 0);
        console.assertAlive();
    }

    private static void awaitLoginDialog(Chromium browser) {
        await("Hawtio's login dialog").atMost(Duration.ofSeconds(60))
                .until(() -> Boolean.TRUE.equals(browser.eval("!!document.getElementById('connect-login-form-username')")));
    }

    private static void awaitRefusal(Chromium browser) throws Exception {
        await("login refused").atMost(Duration.ofSeconds(20)).until(() -> String.valueOf(browser.eval("document.body.innerText"))
                .contains("Incorrect username or password"));
        assertThat(treeHas(browser, "poll-detections")).isFalse();
        assertThat(Boolean.TRUE.equals(browser.eval("!!document.getElementById('connect-login-form-username')"))).isTrue();
    }

    private static boolean treeHas(Chromium browser, String text) throws Exception {
        return Boolean.TRUE.equals(browser.eval("[...document.querySelectorAll('" + TREE + "')].some(b=>b.textContent.trim()==='" + text + "')"));
    }

    private static String rowCheckbox(String route) {
        return "[...document.querySelectorAll('tr')].find(r=>[...r.querySelectorAll('td')].some(c=>c.textContent.trim()==='" + route
                + "')).querySelector('input[type=checkbox]')";
    }

    private static boolean selectRow(Chromium browser, String route) throws Exception {
        return Boolean.TRUE.equals(browser.eval("(function(){var c=" + rowCheckbox(route) + ";if(!c)return false;c.click();return true;})()"));
    }

    /** The State cell of a route's row in the routes table, or null. */
    private static String routeState(Chromium browser, String route) throws Exception {
        Object v = browser.eval("(function(){var r=[...document.querySelectorAll('tr')].find(r=>[...r.querySelectorAll('td')]"
                + ".some(c=>c.textContent.trim()==='" + route + "'));if(!r)return null;var cells=[...r.querySelectorAll('td')]"
                + ".map(c=>c.textContent.trim());return cells.find(t=>t==='Started'||t==='Stopped'||t==='Suspended')||null;})()");
        return v == null ? null : v.toString();
    }

    /** How many steps of the drawn route (not its consumer) show an exchange counter above zero. */
    private static int stepsCounted(Chromium browser) throws Exception {
        Object v = browser.eval("[...document.querySelectorAll('.react-flow__node')].map(n=>n.innerText.split('\\n').map(s=>s.trim()))"
                + ".filter(l=>l.length>1&&!l.some(s=>s.startsWith('From '))&&/^[0-9]+$/.test(l[0])&&parseInt(l[0])>0).length");
        return v instanceof Number n ? n.intValue() : 0;
    }

    private static void save(Chromium browser, String name) throws Exception {
        byte[] png = browser.screenshot();
        assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", name), png);
    }

    private static HttpRequest post(String url, String basic, String origin) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"version\"}"));
        if (basic != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        }
        if (origin != null) {
            b.header("Origin", origin);
        }
        return b.build();
    }

    private static String jolokiaExec(int port, String route, String operation, List<Object> arguments) throws Exception {
        String body = JSON.writeValueAsString(Map.of("type", "exec",
                "mbean", "org.apache.camel:context=lpr-gateway,type=routes,name=\"" + route + "\"", "operation", operation, "arguments", arguments));
        String answer = Http.postJson("http://127.0.0.1:" + port + "/observe/jolokia", body).body();
        Object value = JSON.readValue(answer, Map.class).get("value");
        assertThat(value).as(answer).isInstanceOf(String.class);
        return (String) value;
    }

    private static List<String> all(Pattern p, String text) {
        List<String> out = new ArrayList<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** {@code scripts/hawtio.sh} as the operator runs it, on its own port, until closed. */
    private static final class Console implements AutoCloseable {
        private final Process process;
        private final Path log;

        Console(Path dir, int port, String... gateways) throws Exception {
            log = Path.of("target", "hawtio-console-" + port + ".log");
            Files.createDirectories(log.getParent());
            List<String> command = new ArrayList<>(List.of("bash", "scripts/hawtio.sh", "--port", String.valueOf(port)));
            command.addAll(List.of(gateways));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            // Jetty unpacks Hawtio where the test's temporary files go
            pb.environment().put("HAWTIO_JAVA_OPTS", "-Xmx256m -Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
            process = pb.start();
            // the first start builds the console (Maven resolves Hawtio): allow for it
            await("Hawtio console on port " + port).atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                assertAlive();
                return GatewayProcess.httpStatus(port, "/") == 200;
            });
        }

        void assertAlive() throws Exception {
            if (!process.isAlive()) {
                throw new IllegalStateException("Hawtio console exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
        }

        @Override
        public void close() throws Exception {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
