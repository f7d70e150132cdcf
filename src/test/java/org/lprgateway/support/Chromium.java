package org.lprgateway.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;

import static org.awaitility.Awaitility.await;

/**
 * Real headless Chromium (Debian package chromium, installed by scripts/test.sh) driven over the
 * Chrome DevTools Protocol: a fresh user-data folder, {@code --headless --no-sandbox --disable-gpu},
 * one page, JavaScript evaluated in it, screenshots. Fails, never skips, when Chromium is missing.
 */
public final class Chromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path BINARY = Path.of("/usr/bin/chromium");

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    public Chromium(Path userDataDir) throws Exception {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " missing: install chromium (scripts/test.sh does)");
        }
        Files.createDirectories(userDataDir);
        ProcessBuilder builder = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--user-data-dir=" + userDataDir, "--remote-debugging-port=0", "--window-size=1280,1000", "about:blank");
        builder.environment().put("TMPDIR", System.getProperty("java.io.tmpdir"));
        process = builder.redirectErrorStream(true).redirectOutput(userDataDir.resolve("chromium.log").toFile()).start();
        Path portFile = userDataDir.resolve("DevToolsActivePort");
        await("Chromium DevTools port").atMost(Duration.ofSeconds(30)).until(() -> Files.exists(portFile) && Files.readAllLines(portFile).size() >= 2);
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).strip());
        HttpClient http = HttpClient.newHttpClient();
        String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        List<Map<String, Object>> targets = JSON.readValue(list, List.class);
        String ws = targets.stream().filter(t -> "page".equals(t.get("type"))).findFirst()
                .map(t -> (String) t.get("webSocketDebuggerUrl")).orElseThrow();
        socket = http.newWebSocketBuilder().buildAsync(URI.create(ws), new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    try {
                        Map<String, Object> msg = JSON.readValue(text.toString(), Map.class);
                        if (msg.get("id") instanceof Number n) {
                            CompletableFuture<Map<String, Object>> f = pending.remove(n.intValue());
                            if (f != null) {
                                f.complete(msg);
                            }
                        }
                    } catch (IOException e) {
                        // an event we cannot read: not an answer we wait for
                    }
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
    }

    /** Sends one DevTools command and returns its {@code result}. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> send(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        pending.put(id, answer);
        socket.sendText(JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true).get(10, TimeUnit.SECONDS);
        Map<String, Object> msg = answer.get(30, TimeUnit.SECONDS);
        if (msg.get("error") != null) {
            throw new IllegalStateException(method + " failed: " + msg.get("error"));
        }
        return (Map<String, Object>) msg.get("result");
    }

    /** Sends this header with every request of the page from now on (a login the browser would ask for). */
    public void header(String name, String value) throws Exception {
        send("Network.enable", Map.of());
        send("Network.setExtraHTTPHeaders", Map.of("headers", Map.of(name, value)));
    }

    public void open(String url) throws Exception {
        send("Page.navigate", Map.of("url", url));
    }

    /** The value of a JavaScript expression in the page (null when it throws, or while the page is navigating). */
    @SuppressWarnings("unchecked")
    public Object eval(String expression) throws Exception {
        Map<String, Object> r;
        try {
            r = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        } catch (IllegalStateException e) {
            // the page went on to another address while the expression was on its way (a redirect)
            if (String.valueOf(e.getMessage()).contains("navigated or closed") || String.valueOf(e.getMessage()).contains("context")) {
                return null;
            }
            throw e;
        }
        Map<String, Object> value = (Map<String, Object>) r.get("result");
        return r.get("exceptionDetails") != null || value == null ? null : value.get("value");
    }

    /** The text of the element with this id, or null. */
    public String text(String id) throws Exception {
        Object v = eval("(function(){var e=document.getElementById('" + id + "');return e?e.textContent:null;})()");
        return v == null ? null : v.toString();
    }

    /** Sets an input's value the way typing does, so that React-driven pages (Hawtio) see it. */
    public void fill(String selector, String value) throws Exception {
        Object done = eval("(function(){var e=document.querySelector(" + JSON.writeValueAsString(selector) + ");if(!e)return false;"
                + "Object.getOwnPropertyDescriptor(HTMLInputElement.prototype,'value').set.call(e," + JSON.writeValueAsString(value) + ");"
                + "e.dispatchEvent(new Event('input',{bubbles:true}));return true;})()");
        if (!Boolean.TRUE.equals(done)) {
            throw new IllegalStateException("no input " + selector);
        }
    }

    /** Clicks the first element matching the selector whose text is exactly this; false when there is none. */
    public boolean clickText(String selector, String text) throws Exception {
        return Boolean.TRUE.equals(eval("(function(){var e=[...document.querySelectorAll(" + JSON.writeValueAsString(selector)
                + ")].find(function(x){return x.textContent.trim()===" + JSON.writeValueAsString(text) + "});if(!e)return false;e.click();return true;})()"));
    }

    public void click(String id) throws Exception {
        eval("document.getElementById('" + id + "').click()");
    }

    /** A PNG of the page as it is shown. */
    public byte[] screenshot() throws Exception {
        return java.util.Base64.getDecoder().decode((String) send("Page.captureScreenshot", Map.of("format", "png")).get("data"));
    }

    @Override
    public void close() throws Exception {
        try {
            socket.abort();
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
