package org.lprgateway.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket client as the existing Python sender uses one: send a frame, read the reply. */
public final class WsClient implements AutoCloseable {

    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final WebSocket socket;

    public WsClient(String url) {
        this(url, java.util.Map.of("X-API-Key", TestCredentials.FLEET));
    }

    /** With the handshake headers given (none: no credential); a refused handshake throws. */
    public WsClient(String url, java.util.Map<String, String> headers) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        socket = builder.buildAsync(URI.create(url), new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            replies.add(partial.toString());
                            partial.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }
                }).join();
    }

    public void send(String text) {
        socket.sendText(text, true).join();
    }

    /** The next reply on this connection, or an AssertionError after the timeout. */
    public String reply(Duration timeout) throws InterruptedException {
        String r = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (r == null) {
            throw new AssertionError("no reply within " + timeout);
        }
        return r;
    }

    public String request(String text) throws InterruptedException {
        send(text);
        return reply(Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        socket.abort();
    }
}
