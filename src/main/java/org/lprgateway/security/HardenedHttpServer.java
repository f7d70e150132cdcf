package org.lprgateway.security;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel's embedded HTTP server (REST ingest, management API, /observe/*) with the listener settings
 * Camel 4.17 does not expose: it builds its Vert.x {@link HttpServerOptions} with nothing but SSL
 * from {@code camel.server.*}. Everything else (routes, body limit, CORS, authentication handlers)
 * stays Camel's: only the creation of the listening server is replaced.
 *
 * <ul>
 * <li>TLS from the {@code tls} bean ({@link Tls}) when {@code tls.http.enabled}: the port then speaks
 * TLS only, and a plain HTTP request on it gets no answer but a closed connection.</li>
 * <li>Header timeout: a connection must complete the headers of a request within
 * {@code http.headerTimeoutMillis} of being opened or of the end of the previous response, or it is
 * closed (a client dribbling header bytes is cut off; Vert.x's idle timeout alone restarts with
 * every byte).</li>
 * <li>Idle timeout: a connection with no byte either way for {@code http.idleTimeoutSeconds} is closed.</li>
 * </ul>
 */
public class HardenedHttpServer extends VertxPlatformHttpServer {

    private static final Logger LOG = LoggerFactory.getLogger(HardenedHttpServer.class);

    private final VertxPlatformHttpServerConfiguration configuration;
    private final HttpListenerSettings settings;
    private HttpServer listening;

    public HardenedHttpServer(VertxPlatformHttpServerConfiguration configuration, HttpListenerSettings settings) {
        super(configuration);
        this.configuration = configuration;
        this.settings = settings;
    }

    @Override
    protected void startServer() throws Exception {
        HttpServerOptions options = new HttpServerOptions()
                .setIdleTimeout(settings.idleTimeoutSeconds())
                .setIdleTimeoutUnit(TimeUnit.SECONDS);
        if (settings.tlsEnabled()) {
            Tls tls = getCamelContext().getRegistry().lookupByNameAndType("tls", Tls.class);
            if (tls == null) {
                throw new IllegalStateException("tls.http.enabled is true but there is no tls bean (routes/common/beans.camel.yaml)");
            }
            tls.applyToServer(options);
        } else {
            LOG.warn("HTTP on {}:{} is plain text: set tls.http.enabled=true with a certificate (docs/security-tls.md)",
                    configuration.getBindHost(), configuration.getBindPort());
        }
        Router router = camelRouter();
        HttpServer server = getVertx().createHttpServer(options);
        HeaderDeadlines deadlines = new HeaderDeadlines(settings.headerTimeoutMillis());
        server.connectionHandler(deadlines::opened);
        server.requestHandler(request -> {
            deadlines.headersComplete(request);
            router.handle(request);
        });
        listening = server.listen(configuration.getBindPort(), configuration.getBindHost())
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        LOG.info("HTTP{} server listening on {}:{} (headers within {} ms, idle connections closed after {} s)",
                settings.tlsEnabled() ? "S" : "", configuration.getBindHost(), listening.actualPort(),
                settings.headerTimeoutMillis(), settings.idleTimeoutSeconds());
    }

    @Override
    protected void stopServer() {
        if (listening != null) {
            try {
                listening.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("closing the HTTP server: {}", e.getMessage());
            } finally {
                listening = null;
            }
        }
    }

    @Override
    public HttpServer getServer() {
        return listening;
    }

    @Override
    public int getPort() {
        return listening != null ? listening.actualPort() : configuration.getBindPort();
    }

    /**
     * The router Camel built in {@code initializeServer()}: its routes, body handler and any
     * authentication handlers and 401 error handler live on it. Camel keeps it in a private field
     * with no getter.
     */
    private Router camelRouter() throws ReflectiveOperationException {
        Field f = VertxPlatformHttpServer.class.getDeclaredField("router");
        f.setAccessible(true);
        return (Router) f.get(this);
    }

    /** Per connection: the timer that closes it unless a request's headers complete in time. */
    private final class HeaderDeadlines {
        private final long millis;
        private final Map<HttpConnection, Long> timers = new ConcurrentHashMap<>();

        HeaderDeadlines(long millis) {
            this.millis = millis;
        }

        void opened(HttpConnection connection) {
            if (millis <= 0) {
                return;
            }
            connection.closeHandler(v -> cancel(connection));
            arm(connection);
        }

        void headersComplete(HttpServerRequest request) {
            HttpConnection connection = request.connection();
            cancel(connection);
            if (millis > 0) {
                // the next request on a kept-alive connection gets its own deadline
                request.response().endHandler(v -> arm(connection));
            }
        }

        private void arm(HttpConnection connection) {
            long id = getVertx().setTimer(millis, t -> {
                if (timers.remove(connection) != null) {
                    LOG.debug("closing {}: no complete request headers within {} ms", connection.remoteAddress(), millis);
                    connection.close();
                }
            });
            Long previous = timers.put(connection, id);
            if (previous != null) {
                getVertx().cancelTimer(previous);
            }
        }

        private void cancel(HttpConnection connection) {
            Long id = timers.remove(connection);
            if (id != null) {
                getVertx().cancelTimer(id);
            }
        }
    }
}
