package org.lprgateway.security;

import java.util.concurrent.TimeUnit;

import io.vertx.core.http.HttpServerOptions;

/**
 * Builds the Vert.x options of the WebSocket ingest listener (the {@code serverOptions} of the
 * vertx-websocket consumer): wss when {@code tlsEnabled}, an idle timeout, bounded frames and
 * messages, and no compression. Vert.x inflates a permessage-deflate message before it checks the
 * size limits, so a small compressed frame could become any size in memory; with both compression
 * extensions off the server never negotiates them, and a frame that claims compression (RSV1) is a
 * protocol error that closes the connection.
 */
public class WebSocketListener {

    private Tls tls;
    private boolean tlsEnabled;
    private int idleTimeoutSeconds = 300;
    private int maxFrameBytes = 4 * 1024 * 1024;
    private int maxMessageBytes = 4 * 1024 * 1024;

    public void setTls(Tls tls) {
        this.tls = tls;
    }

    public void setTlsEnabled(boolean tlsEnabled) {
        this.tlsEnabled = tlsEnabled;
    }

    /** Seconds without a byte either way after which a connection is closed; 0: never. */
    public void setIdleTimeoutSeconds(int idleTimeoutSeconds) {
        this.idleTimeoutSeconds = idleTimeoutSeconds;
    }

    public void setMaxFrameBytes(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    public void setMaxMessageBytes(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    /** For a YAML bean: Camel's bean factories call static methods only. */
    public static HttpServerOptions serverOptions(WebSocketListener listener) {
        return listener.serverOptions();
    }

    public HttpServerOptions serverOptions() {
        HttpServerOptions options = new HttpServerOptions()
                .setPerMessageWebSocketCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false)
                .setCompressionSupported(false)
                .setIdleTimeout(idleTimeoutSeconds)
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setMaxWebSocketFrameSize(maxFrameBytes)
                .setMaxWebSocketMessageSize(maxMessageBytes);
        if (tlsEnabled) {
            if (tls == null) {
                throw new IllegalStateException("tls.websocket.enabled is true but no tls bean is set");
            }
            tls.applyToServer(options);
        }
        return options;
    }
}
