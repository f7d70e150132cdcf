package org.lprgateway.security;

import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.apache.camel.component.platform.http.main.DefaultMainHttpServerFactory;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.main.HttpManagementServerConfigurationProperties;
import org.apache.camel.main.HttpServerConfigurationProperties;
import org.apache.camel.main.MainHttpServerFactory;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Makes camel-main's embedded HTTP server a {@link HardenedHttpServer}. Camel main takes a
 * {@link MainHttpServerFactory} from the registry before its own; this one lets Camel's factory
 * read {@code camel.server.*} as usual (host, port, body limit, static files, authentication) and
 * then swaps the Vert.x server under the resulting {@link MainHttpServer}. The management server
 * shares the main server's port (and so this server) and is left to Camel.
 */
public class HardenedHttpServerFactory implements MainHttpServerFactory {

    private final DefaultMainHttpServerFactory camel = new DefaultMainHttpServerFactory();

    @Override
    public Service newHttpServer(CamelContext context, HttpServerConfigurationProperties properties) {
        camel.setCamelContext(context);
        MainHttpServer configured = (MainHttpServer) camel.newHttpServer(context, properties);
        HardenedMainHttpServer server = new HardenedMainHttpServer(settings(context.getPropertiesComponent()));
        server.setCamelContext(context);
        server.setConfiguration(configured.getConfiguration());
        server.setStaticEnabled(configured.isStaticEnabled());
        server.setStaticContextPath(configured.getStaticContextPath());
        server.setStaticSourceDir(configured.getStaticSourceDir());
        return server;
    }

    @Override
    public Service newHttpManagementServer(CamelContext context, HttpManagementServerConfigurationProperties properties) {
        camel.setCamelContext(context);
        return camel.newHttpManagementServer(context, properties);
    }

    static HttpListenerSettings settings(PropertiesComponent properties) {
        return new HttpListenerSettings(
                Boolean.parseBoolean(properties.resolveProperty("tls.http.enabled").orElse("false").trim()),
                Long.parseLong(properties.resolveProperty("http.headerTimeoutMillis").orElse("10000").trim()),
                Integer.parseInt(properties.resolveProperty("http.idleTimeoutSeconds").orElse("60").trim()));
    }

    /** Camel's main HTTP server, creating a {@link HardenedHttpServer} where Camel creates its plain one. */
    static final class HardenedMainHttpServer extends MainHttpServer {
        private final HttpListenerSettings settings;

        HardenedMainHttpServer(HttpListenerSettings settings) {
            this.settings = settings;
        }

        @Override
        protected void doInit() throws Exception {
            getCamelContext().addService(new HardenedHttpServer(getConfiguration(), settings));
        }
    }
}
