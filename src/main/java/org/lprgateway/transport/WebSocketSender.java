package org.lprgateway.transport;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
import org.lprgateway.security.Tls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebSocket transport of the edge: one connection to the server, each call waiting for the
 * acknowledgement of its message. Camel's WebSocket producer only writes frames and cannot wait
 * for a reply, hence this bean.
 *
 * <p>{@link #send} returns the server's acknowledgement once the record is stored, throws
 * {@link RecordRejectedException} when the server answers that the record is invalid, and throws
 * {@link IOException} when there is no connection, no acknowledgement within the timeout, or the
 * server could not store it for now (an error reply with code 500): a transport failure. The
 * connection is opened on first use and again after the server drops it, so a server that is down
 * at start-up or restarts costs only the failed sends.
 *
 * <p>Matching replies to messages. This gateway's server echoes each message's {@code message_id}
 * in its reply, so many messages can be in flight on one connection. The existing Python
 * WebSocket server answers without {@code message_id} ({@code status}, {@code message},
 * {@code record_id}, {@code table}, {@code action}); such a reply can only be matched by order.
 * Matching by order is safe only when exactly one message is in flight: even a server that answers
 * in order would otherwise misattribute a reply once one message timed out. So each connection
 * starts with one message at a time and opens its window only when a reply names the
 * {@code message_id} of a message in flight; until then (for the Python server: for the life of
 * the connection) a reply without id, success or error, belongs to the one message in flight.
 * A timeout on such a connection closes it, so that a late reply cannot be taken for the next
 * message's. On a connection whose server echoes ids, a reply without id cannot be attributed:
 * it is logged and its message times out and is retried.
 */
public class WebSocketSender {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketSender.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private String url = "ws://localhost:8765/";
    private long ackTimeoutMillis = 5000;
    private int connectTimeoutMillis = 3000;
    private int maxFrameBytes = 4 * 1024 * 1024;
    private Tls tls;

    private final Object connectLock = new Object();
    private Vertx vertx;
    private WebSocketClient client;
    private volatile Link link;
    private String apiKey = "";

    /** One connection and the messages in flight on it, in the order they were written. */
    private static final class Link {
        final WebSocket ws;
        /** Guarded by this; insertion order is send order. */
        final Map<String, CompletableFuture<Map<String, Object>>> inFlight = new LinkedHashMap<>();
        /** The server has named a message_id in a reply: many messages may be in flight. Guarded by this. */
        boolean echoesIds;
        /** Guarded by this. */
        boolean closed;

        Link(WebSocket ws) {
            this.ws = ws;
        }
    }

    /** Sent as X-API-Key on the handshake; empty sends none. */
    public void setApiKey(String apiKey) {
        this.apiKey = apiKey == null ? "" : apiKey;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public void setAckTimeoutMillis(long ackTimeoutMillis) {
        this.ackTimeoutMillis = ackTimeoutMillis;
    }

    public void setConnectTimeoutMillis(int connectTimeoutMillis) {
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    /** Identity, trust and policy for a {@code wss://} URL; without it the JVM's CAs verify the server. */
    public void setTls(Tls tls) {
        this.tls = tls;
    }

    public void setMaxFrameBytes(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    private WebSocketConnectOptions handshake() {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setAbsoluteURI(url);
        if (!apiKey.isEmpty()) {
            options.addHeader("X-API-Key", apiKey);
        }
        return options;
    }

    public boolean isConnected() {
        Link l = link;
        return l != null && !l.ws.isClosed();
    }

    /**
     * Sends one message and waits for its acknowledgement. The wait for a turn on a connection
     * that takes one message at a time counts against the acknowledgement timeout.
     *
     * @return the acknowledgement as JSON text
     */
    public String send(String json, String messageId) throws IOException, InterruptedException {
        if (messageId == null || messageId.isBlank()) {
            throw new IllegalArgumentException("message_id is required to match the acknowledgement");
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ackTimeoutMillis);
        CompletableFuture<Map<String, Object>> ack = new CompletableFuture<>();
        Link l = enter(messageId, ack, deadline);
        try {
            l.ws.writeTextMessage(json).onFailure(ack::completeExceptionally);
            long left = deadline - System.nanoTime();
            Map<String, Object> reply = ack.get(Math.max(left, 0), TimeUnit.NANOSECONDS);
            if ("success".equals(reply.get("status"))) {
                return JSON.writeValueAsString(reply);
            }
            if (reply.get("code") instanceof Number code && code.intValue() >= 500) {
                throw new IOException("server could not store the record: " + reply.get("message"));
            }
            throw new RecordRejectedException("server refused the record: " + reply.get("message"));
        } catch (TimeoutException e) {
            boolean orderOnly;
            synchronized (l) {
                orderOnly = !l.echoesIds;
            }
            if (orderOnly) {
                // its reply may still come and would be taken for the next message's
                onClosed(l, "closed after a timeout (replies matched by order)");
            }
            throw new IOException("no acknowledgement within " + ackTimeoutMillis + " ms");
        } catch (ExecutionException e) {
            throw new IOException("WebSocket send failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            synchronized (l) {
                l.inFlight.remove(messageId);
                l.notifyAll();
            }
        }
    }

    /**
     * Registers the message on the current connection once it may be sent there: at once when the
     * server echoes ids, else when nothing else is in flight. A connection lost while waiting is
     * replaced by a new one.
     */
    private Link enter(String messageId, CompletableFuture<Map<String, Object>> ack, long deadline)
            throws IOException, InterruptedException {
        while (true) {
            Link l = connection();
            synchronized (l) {
                while (!l.closed && !l.echoesIds && !l.inFlight.isEmpty()) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        throw new IOException("no acknowledgement within " + ackTimeoutMillis
                                + " ms (waiting for its turn: no reply on this connection has named a message_id yet, so one message at a time)");
                    }
                    l.wait(left);
                }
                if (!l.closed) {
                    l.inFlight.put(messageId, ack);
                    return l;
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new IOException("no acknowledgement within " + ackTimeoutMillis + " ms (connection lost while waiting)");
            }
        }
    }

    private Link connection() throws IOException, InterruptedException {
        Link l = link;
        if (l != null && !l.ws.isClosed()) {
            return l;
        }
        synchronized (connectLock) {
            if (link != null && !link.ws.isClosed()) {
                return link;
            }
            if (vertx == null) {
                vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
                WebSocketClientOptions options = new WebSocketClientOptions()
                        .setConnectTimeout(connectTimeoutMillis)
                        .setMaxFrameSize(maxFrameBytes)
                        .setMaxMessageSize(maxFrameBytes);
                if (tls != null) {
                    // used only for wss:// (the URL decides); the server's host name is always verified
                    tls.applyToClient(options);
                }
                client = vertx.createWebSocketClient(options);
            }
            try {
                WebSocket opened = client.connect(handshake())
                        .toCompletionStage().toCompletableFuture()
                        .get(connectTimeoutMillis + 1000L, TimeUnit.MILLISECONDS);
                Link fresh = new Link(opened);
                opened.textMessageHandler(text -> onReply(fresh, text));
                opened.closeHandler(v -> onClosed(fresh, "closed by the server"));
                opened.exceptionHandler(e -> onClosed(fresh, e.toString()));
                link = fresh;
                LOG.info("WebSocket connected to {}", url);
                return fresh;
            } catch (ExecutionException e) {
                throw new IOException("cannot connect to " + url + ": " + e.getCause().getMessage(), e.getCause());
            } catch (TimeoutException e) {
                throw new IOException("cannot connect to " + url + ": timed out");
            }
        }
    }

    private void onReply(Link l, String text) {
        Map<String, Object> reply;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> parsed = JSON.readValue(text, Map.class);
            reply = parsed;
        } catch (IOException e) {
            LOG.warn("unreadable reply from {}: {}", url, e.getMessage());
            return;
        }
        Object id = reply.get("message_id");
        CompletableFuture<Map<String, Object>> waiting = null;
        synchronized (l) {
            if (id != null) {
                waiting = l.inFlight.get(id.toString());
                if (waiting != null && !l.echoesIds) {
                    l.echoesIds = true;
                    l.notifyAll();
                }
            } else if (!l.echoesIds && l.inFlight.size() == 1) {
                // one message at a time on this connection: the reply is its
                waiting = l.inFlight.values().iterator().next();
            } else if (!l.inFlight.isEmpty()) {
                LOG.warn("reply without message_id from {} on a connection whose server names ids ({} in flight): not matched; {}",
                        url, l.inFlight.size(), text);
                return;
            }
        }
        if (waiting != null) {
            waiting.complete(reply);
        } else {
            LOG.debug("acknowledgement for no message in flight: {}", text);
        }
    }

    private void onClosed(Link l, String reason) {
        int lost;
        synchronized (l) {
            if (l.closed) {
                return;
            }
            l.closed = true;
            lost = l.inFlight.size();
            IOException e = new IOException("connection lost: " + reason);
            l.inFlight.values().forEach(f -> f.completeExceptionally(e));
            l.notifyAll();
        }
        if (link == l) {
            link = null;
        }
        if (!l.ws.isClosed()) {
            l.ws.close();
        }
        LOG.warn("WebSocket to {} lost: {}; {} messages in flight fail and retry", url, reason, lost);
    }

    public void stop() {
        Link l = link;
        link = null;
        if (l != null) {
            synchronized (l) {
                l.closed = true;
                IOException e = new IOException("sender stopped");
                l.inFlight.values().forEach(f -> f.completeExceptionally(e));
                l.notifyAll();
            }
            l.ws.close();
        }
        if (vertx != null) {
            vertx.close();
            vertx = null;
        }
    }
}
