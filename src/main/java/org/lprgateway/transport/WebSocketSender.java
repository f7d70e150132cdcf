package org.lprgateway.transport;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import org.lprgateway.outbox.RecordRejectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebSocket transport of the edge: one connection to the server, many messages in flight on it,
 * each call waiting for the acknowledgement that carries its {@code message_id}. Camel's WebSocket
 * producer only writes frames and cannot wait for a reply, hence this bean.
 *
 * <p>{@link #send} returns the server's acknowledgement once the record is stored, throws
 * {@link RecordRejectedException} when the server answers that the record is invalid, and throws
 * {@link IOException} when there is no connection, no acknowledgement within the timeout, or the
 * server could not store it for now (an error reply with code 500): a transport failure. The connection is opened on first use and again after the server
 * drops it, so a server that is down at start-up or restarts costs only the failed sends.
 */
public class WebSocketSender {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketSender.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private String url = "ws://localhost:8765/";
    private long ackTimeoutMillis = 5000;
    private int connectTimeoutMillis = 3000;
    private int maxFrameBytes = 4 * 1024 * 1024;

    private final Map<String, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final Object connectLock = new Object();
    private Vertx vertx;
    private WebSocketClient client;
    private volatile WebSocket socket;

    public void setUrl(String url) {
        this.url = url;
    }

    public void setAckTimeoutMillis(long ackTimeoutMillis) {
        this.ackTimeoutMillis = ackTimeoutMillis;
    }

    public void setConnectTimeoutMillis(int connectTimeoutMillis) {
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    public void setMaxFrameBytes(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    public boolean isConnected() {
        WebSocket ws = socket;
        return ws != null && !ws.isClosed();
    }

    /**
     * Sends one seed 003 message and waits for its acknowledgement.
     *
     * @return the acknowledgement as JSON text
     */
    public String send(String json, String messageId) throws IOException, InterruptedException {
        if (messageId == null || messageId.isBlank()) {
            throw new IllegalArgumentException("message_id is required to match the acknowledgement");
        }
        WebSocket ws = connection();
        CompletableFuture<Map<String, Object>> ack = new CompletableFuture<>();
        pending.put(messageId, ack);
        try {
            ws.writeTextMessage(json).onFailure(ack::completeExceptionally);
            Map<String, Object> reply = ack.get(ackTimeoutMillis, TimeUnit.MILLISECONDS);
            if ("success".equals(reply.get("status"))) {
                return JSON.writeValueAsString(reply);
            }
            if (reply.get("code") instanceof Number code && code.intValue() >= 500) {
                throw new IOException("server could not store the record: " + reply.get("message"));
            }
            throw new RecordRejectedException("server refused the record: " + reply.get("message"));
        } catch (TimeoutException e) {
            throw new IOException("no acknowledgement within " + ackTimeoutMillis + " ms");
        } catch (ExecutionException e) {
            throw new IOException("WebSocket send failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pending.remove(messageId);
        }
    }

    private WebSocket connection() throws IOException, InterruptedException {
        WebSocket ws = socket;
        if (ws != null && !ws.isClosed()) {
            return ws;
        }
        synchronized (connectLock) {
            if (socket != null && !socket.isClosed()) {
                return socket;
            }
            if (vertx == null) {
                vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
                client = vertx.createWebSocketClient(new WebSocketClientOptions()
                        .setConnectTimeout(connectTimeoutMillis)
                        .setMaxFrameSize(maxFrameBytes)
                        .setMaxMessageSize(maxFrameBytes));
            }
            try {
                WebSocket opened = client.connect(new WebSocketConnectOptions().setAbsoluteURI(url))
                        .toCompletionStage().toCompletableFuture()
                        .get(connectTimeoutMillis + 1000L, TimeUnit.MILLISECONDS);
                opened.textMessageHandler(this::onReply);
                opened.closeHandler(v -> onClosed(opened, "closed by the server"));
                opened.exceptionHandler(e -> onClosed(opened, e.toString()));
                socket = opened;
                LOG.info("WebSocket connected to {}", url);
                return opened;
            } catch (ExecutionException e) {
                throw new IOException("cannot connect to " + url + ": " + e.getCause().getMessage(), e.getCause());
            } catch (TimeoutException e) {
                throw new IOException("cannot connect to " + url + ": timed out");
            }
        }
    }

    private void onReply(String text) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> reply = JSON.readValue(text, Map.class);
            Object id = reply.get("message_id");
            CompletableFuture<Map<String, Object>> waiting = id == null ? null : pending.get(id.toString());
            if (waiting != null) {
                waiting.complete(reply);
            } else {
                LOG.debug("acknowledgement for no message in flight: {}", text);
            }
        } catch (IOException e) {
            LOG.warn("unreadable reply from {}: {}", url, e.getMessage());
        }
    }

    private void onClosed(WebSocket which, String reason) {
        if (socket == which) {
            socket = null;
            LOG.warn("WebSocket to {} lost ({}); {} messages in flight fail and retry", url, reason, pending.size());
            IOException lost = new IOException("connection lost: " + reason);
            pending.values().forEach(f -> f.completeExceptionally(lost));
        }
    }

    public void stop() {
        WebSocket ws = socket;
        socket = null;
        if (ws != null) {
            ws.close();
        }
        if (vertx != null) {
            vertx.close();
            vertx = null;
        }
    }
}
