package org.lprgateway.network;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

import org.lprgateway.security.Tls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Network quality towards the server, from the last probes: {@code excellent | good | fair | poor |
 * unknown} (thresholds settable). A probe is an HTTP GET of the server's health URL or a TCP connect
 * to its host and port; its round-trip time is recorded, a failure or timeout counts as a lost probe.
 *
 * <p>The target follows the server the transports use unless it is set: the server role serves
 * {@code GET /health} on the HTTP port that also takes {@code POST /api/lpr/data}, so the probe
 * checks {@code /health} on the scheme, host and port of {@code rest.url}; without a REST URL, on
 * the host of {@code websocket.url} and the server's HTTP port.
 *
 * <p>Latency and loss are judged over different numbers of probes. A loss rate in percent can only
 * be as fine as one probe in the window: over 10 probes one lost probe is already 10 %, so the 1 %
 * and 5 % limits could be met only at zero loss. The loss window (100 probes by default) resolves
 * 1 %. The mean round-trip needs no such resolution and follows a change within a few probes, so
 * its window stays short. A run of {@code outageProbes} (3) or more lost probes is an outage, not
 * loss: the class is poor while it lasts, and the run leaves the loss window at the first answer,
 * so the class is back within one probe after the server returns instead of after a whole window.
 * Real send outcomes are not counted: they measure the transports and the server's verdict on a
 * record, which the circuit breakers already judge; the probe measures the path alone.
 */
public class NetworkQuality {

    public static final String UNKNOWN = "unknown";

    private static final Logger LOG = LoggerFactory.getLogger(NetworkQuality.class);

    private String mode = "http";
    private String url = "";
    private String host = "";
    private String port = "";
    private String restUrl = "";
    private String webSocketUrl = "";
    private int serverHttpPort = 8000;
    private int timeoutMillis = 2000;
    private int window = 10;
    private int lossWindow = 100;
    private int outageProbes = 3;
    private double excellentLatencyMillis = 50;
    private double excellentLossPercent = 1;
    private double goodLatencyMillis = 100;
    private double goodLossPercent = 5;
    private double fairLatencyMillis = 200;
    private double fairLossPercent = 10;
    private Tls tls;
    private volatile SSLSocketFactory tlsSockets;

    /** Round-trip times of the last probes in ms, oldest first; -1 for a lost probe. */
    private final Deque<Double> results = new ArrayDeque<>();

    public void setMode(String mode) {
        this.mode = mode;
    }

    /** The HTTP probe's URL; empty derives it from the REST or WebSocket URL. */
    public void setUrl(String url) {
        this.url = url;
    }

    /** The TCP probe's host; empty takes the host of the derived URL. */
    public void setHost(String host) {
        this.host = host;
    }

    /** The TCP probe's port; empty takes the port of the derived URL. */
    public void setPort(String port) {
        this.port = port;
    }

    /** Where the edge posts records ({@code rest.url}). */
    public void setRestUrl(String restUrl) {
        this.restUrl = restUrl;
    }

    /** Where the edge sends WebSocket messages ({@code websocket.url}). */
    public void setWebSocketUrl(String webSocketUrl) {
        this.webSocketUrl = webSocketUrl;
    }

    /** The server's HTTP port, for a target derived from the WebSocket URL (whose port is another). */
    public void setServerHttpPort(int serverHttpPort) {
        this.serverHttpPort = serverHttpPort;
    }

    public void setTimeoutMillis(int timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    /** Probes the mean round-trip is taken over. */
    public synchronized void setWindow(int window) {
        this.window = window;
        trim();
    }

    /** Consecutive lost probes that make an outage rather than loss (0: every lost probe is loss). */
    public synchronized void setOutageProbes(int outageProbes) {
        this.outageProbes = outageProbes;
    }

    /** Probes the loss rate is taken over. */
    public synchronized void setLossWindow(int lossWindow) {
        this.lossWindow = lossWindow;
        trim();
    }

    public void setExcellentLatencyMillis(double v) {
        this.excellentLatencyMillis = v;
    }

    public void setExcellentLossPercent(double v) {
        this.excellentLossPercent = v;
    }

    public void setGoodLatencyMillis(double v) {
        this.goodLatencyMillis = v;
    }

    public void setGoodLossPercent(double v) {
        this.goodLossPercent = v;
    }

    public void setFairLatencyMillis(double v) {
        this.fairLatencyMillis = v;
    }

    public void setFairLossPercent(double v) {
        this.fairLossPercent = v;
    }

    /** Trust and policy for an https probe URL (tls.caFile for a private CA); without it the JVM's CAs. */
    public void setTls(Tls tls) {
        this.tls = tls;
    }

    /** Fails start-up when there is nothing to probe, rather than counting every probe as lost. */
    public void init() {
        LOG.info("Network probe ({}) of {}: loss over the last {} probes, latency over the last {}",
                isTcp() ? "tcp" : "http", target(), lossWindow, window);
    }

    /** What a probe reaches: the URL in http mode, {@code host:port} in tcp mode. */
    public String target() {
        if (isTcp()) {
            InetSocketAddress a = tcpAddress();
            return a.getHostString() + ":" + a.getPort();
        }
        return httpUrl().toString();
    }

    private boolean isTcp() {
        return "tcp".equalsIgnoreCase(mode);
    }

    private URI httpUrl() {
        return isBlank(url) ? healthUrl(restUrl, webSocketUrl, serverHttpPort) : hostOf(url, "network.probe.url");
    }

    private InetSocketAddress tcpAddress() {
        URI derived = isBlank(host) || isBlank(port) ? httpUrl() : null;
        String h = isBlank(host) ? unbracket(derived.getHost()) : host.trim();
        int p = isBlank(port) ? portOf(derived) : Integer.parseInt(port.trim());
        return InetSocketAddress.createUnresolved(h, p);
    }

    /**
     * The server's health URL as the transports know the server: scheme, host and port of the REST
     * URL; or, with no REST URL, the host of the WebSocket URL with {@code serverHttpPort} (http for
     * ws, https for wss).
     *
     * @throws IllegalArgumentException when neither URL names a host
     */
    public static URI healthUrl(String restUrl, String webSocketUrl, int serverHttpPort) {
        try {
            if (!isBlank(restUrl)) {
                URI rest = hostOf(restUrl, "rest.url");
                return new URI(rest.getScheme().toLowerCase(Locale.ROOT), null, rest.getHost(), rest.getPort(), "/health", null, null);
            }
            if (!isBlank(webSocketUrl)) {
                URI ws = hostOf(webSocketUrl, "websocket.url");
                String scheme = "wss".equalsIgnoreCase(ws.getScheme()) ? "https" : "http";
                return new URI(scheme, null, ws.getHost(), serverHttpPort, "/health", null, null);
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot build the network probe URL: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException(
                "network.probe.url is empty and neither rest.url nor websocket.url names the server to probe");
    }

    private static URI hostOf(String url, String key) {
        URI u = URI.create(url.trim());
        if (u.getScheme() == null || u.getHost() == null) {
            throw new IllegalArgumentException(key + " names no host for the network probe: " + url);
        }
        return u;
    }

    private static int portOf(URI u) {
        if (u.getPort() >= 0) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** Runs one probe and records it. */
    public void probe() {
        long start = System.nanoTime();
        boolean ok;
        try {
            ok = isTcp() ? tcp() : http();
        } catch (IOException e) {
            ok = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        record(ok ? (System.nanoTime() - start) / 1e6 : -1);
    }

    private boolean tcp() throws IOException {
        InetSocketAddress a = tcpAddress();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(a.getHostString(), a.getPort()), timeoutMillis);
            return true;
        }
    }

    /** A fresh connection each time: a probe measures connecting as well as answering. */
    private boolean http() throws IOException, InterruptedException {
        HttpURLConnection c = (HttpURLConnection) httpUrl().toURL().openConnection();
        if (c instanceof HttpsURLConnection https && tls != null) {
            if (tlsSockets == null) {
                tlsSockets = tls.clientSocketFactory();
            }
            https.setSSLSocketFactory(tlsSockets);
        }
        try {
            c.setConnectTimeout(timeoutMillis);
            c.setReadTimeout(timeoutMillis);
            c.setUseCaches(false);
            c.setRequestProperty("Connection", "close");
            int status = c.getResponseCode();
            c.getInputStream().readAllBytes();
            return status < 500;
        } finally {
            c.disconnect();
        }
    }

    /**
     * Records a probe result: round-trip ms, or a negative value for a lost probe. An answer after
     * a run of {@code outageProbes} or more lost probes ends an outage: that run is dropped from the
     * loss window, since the server being away says nothing about loss on the path once it is back.
     */
    public synchronized void record(double roundTripMillis) {
        if (roundTripMillis >= 0 && outageProbes > 0 && lostRun() >= outageProbes) {
            while (!results.isEmpty() && results.peekLast() < 0) {
                results.removeLast();
            }
        }
        results.addLast(roundTripMillis);
        trim();
    }

    /** Lost probes at the end of the window, newest first, until the first answered one. */
    private int lostRun() {
        int run = 0;
        Iterator<Double> newest = results.descendingIterator();
        while (newest.hasNext() && newest.next() < 0) {
            run++;
        }
        return run;
    }

    private void trim() {
        while (results.size() > Math.max(window, lossWindow)) {
            results.removeFirst();
        }
    }

    public synchronized void reset() {
        results.clear();
    }

    /** Mean round-trip of the answered probes among the last {@code window}, ms; NaN when none answered. */
    public synchronized double latencyMillis() {
        double sum = 0;
        int answered = 0;
        Iterator<Double> newest = results.descendingIterator();
        for (int i = 0; i < window && newest.hasNext(); i++) {
            double r = newest.next();
            if (r >= 0) {
                sum += r;
                answered++;
            }
        }
        return answered == 0 ? Double.NaN : sum / answered;
    }

    /** Lost probes among the last {@code lossWindow}, percent; NaN before the first probe. */
    public synchronized double lossPercent() {
        int counted = 0;
        int lost = 0;
        Iterator<Double> newest = results.descendingIterator();
        for (; counted < lossWindow && newest.hasNext(); counted++) {
            if (newest.next() < 0) {
                lost++;
            }
        }
        return counted == 0 ? Double.NaN : 100.0 * lost / counted;
    }

    /** Probes the loss rate is currently taken over (fewer than the loss window after start). */
    public synchronized int probes() {
        return Math.min(results.size(), lossWindow);
    }

    /** The class of the network now. */
    public synchronized String current() {
        if (results.isEmpty()) {
            return UNKNOWN;
        }
        double loss = lossPercent();
        double latency = latencyMillis();
        // the server is away (an outage): poor until it answers again
        if (Double.isNaN(latency) || (outageProbes > 0 && lostRun() >= outageProbes)) {
            return "poor";
        }
        if (latency < excellentLatencyMillis && loss < excellentLossPercent) {
            return "excellent";
        }
        if (latency < goodLatencyMillis && loss < goodLossPercent) {
            return "good";
        }
        if (latency < fairLatencyMillis && loss < fairLossPercent) {
            return "fair";
        }
        return "poor";
    }

    /** Whether the last probe was answered: the server is reachable now. */
    public synchronized boolean reachable() {
        return !results.isEmpty() && results.peekLast() >= 0;
    }

    /** Numeric form for metrics: 4 excellent, 3 good, 2 fair, 1 poor, 0 unknown. */
    public int level() {
        return switch (current()) {
            case "excellent" -> 4;
            case "good" -> 3;
            case "fair" -> 2;
            case "poor" -> 1;
            default -> 0;
        };
    }

    public synchronized Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        double latency = latencyMillis();
        double loss = lossPercent();
        s.put("class", current());
        s.put("latency_ms", Double.isNaN(latency) ? null : Math.round(latency * 10) / 10.0);
        s.put("loss_percent", Double.isNaN(loss) ? null : Math.round(loss * 10) / 10.0);
        s.put("probes", probes());
        s.put("target", target());
        return s;
    }
}
