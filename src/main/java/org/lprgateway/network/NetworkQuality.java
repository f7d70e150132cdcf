package org.lprgateway.network;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Network quality towards the server, from the last probes: {@code excellent | good | fair | poor |
 * unknown} by the thresholds of DESIGN section 5 (all settable). A probe is a TCP connect or an HTTP
 * GET; its round-trip time is recorded, a failure or timeout counts as a lost probe.
 */
public class NetworkQuality {

    public static final String UNKNOWN = "unknown";

    private String mode = "http";
    private String url = "http://localhost:8000/health";
    private String host = "localhost";
    private int port = 8000;
    private int timeoutMillis = 2000;
    private int window = 10;
    private double excellentLatencyMillis = 50;
    private double excellentLossPercent = 1;
    private double goodLatencyMillis = 100;
    private double goodLossPercent = 5;
    private double fairLatencyMillis = 200;
    private double fairLossPercent = 10;

    /** Round-trip times of the last probes in ms; -1 for a lost probe. */
    private final Deque<Double> results = new ArrayDeque<>();

    public void setMode(String mode) {
        this.mode = mode;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public void setTimeoutMillis(int timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    public void setWindow(int window) {
        this.window = window;
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

    /** Runs one probe and records it. */
    public void probe() {
        long start = System.nanoTime();
        boolean ok;
        try {
            ok = "tcp".equalsIgnoreCase(mode) ? tcp() : http();
        } catch (IOException e) {
            ok = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        record(ok ? (System.nanoTime() - start) / 1e6 : -1);
    }

    private boolean tcp() throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
            return true;
        }
    }

    /** A fresh connection each time: a probe measures connecting as well as answering. */
    private boolean http() throws IOException, InterruptedException {
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) URI.create(url).toURL().openConnection();
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

    /** Records a probe result: round-trip ms, or a negative value for a lost probe. */
    public synchronized void record(double roundTripMillis) {
        results.addLast(roundTripMillis);
        while (results.size() > window) {
            results.removeFirst();
        }
    }

    public synchronized void reset() {
        results.clear();
    }

    /** Mean round-trip of the answered probes in the window, ms; NaN when none answered. */
    public synchronized double latencyMillis() {
        return results.stream().filter(r -> r >= 0).mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** Lost probes in the window, percent; NaN before the first probe. */
    public synchronized double lossPercent() {
        if (results.isEmpty()) {
            return Double.NaN;
        }
        return 100.0 * results.stream().filter(r -> r < 0).count() / results.size();
    }

    public synchronized int probes() {
        return results.size();
    }

    /** The class of the network now. */
    public synchronized String current() {
        if (results.isEmpty()) {
            return UNKNOWN;
        }
        double loss = lossPercent();
        double latency = latencyMillis();
        if (Double.isNaN(latency)) {
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
        s.put("class", current());
        s.put("latency_ms", Double.isNaN(latencyMillis()) ? null : Math.round(latencyMillis() * 10) / 10.0);
        s.put("loss_percent", Double.isNaN(lossPercent()) ? null : lossPercent());
        s.put("probes", results.size());
        s.put("target", "tcp".equalsIgnoreCase(mode) ? host + ":" + port : url);
        return s;
    }
}
