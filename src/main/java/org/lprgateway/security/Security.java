package org.lprgateway.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import org.apache.camel.component.vertx.websocket.VertxWebsocketComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig.AuthenticationConfigEntry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.lprgateway.app.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the {@link HttpGuard} in front of the gateway's HTTP server before it starts, writes the
 * demo's credentials on the first start of role {@code all}, and binds itself as bean
 * {@code security} (the edge's own credential for the server: {@link #clientKey()}).
 */
public class Security extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(Security.class);

    private CamelContext context;
    private boolean enabled;
    private String role;
    private Path apiKeysFile;
    private Path jwtSecretsFile;
    private String audience;
    private String clientKey;
    private volatile Credentials credentials;
    private volatile HttpGuard guard;
    private Vertx webSocketVertx;

    /** Before routes and beans load: the demo's credentials, and the edge's own key in role all. */
    @Override
    public void beforeConfigure(BaseMainSupport main) {
        context = main.getCamelContext();
        readSettings();
        if (enabled && "all".equals(role)) {
            writeDemoCredentials();
            if (clientKey.isEmpty()) {
                clientKey = demoCameraKey();
                context.getPropertiesComponent().addOverrideProperty("security.client.apiKey", clientKey);
                Settings.markSecret("security.client.apiKey");
            }
        }
        context.getRegistry().bind("security", this);
    }

    private void readSettings() {
        role = property("gateway.role");
        enabled = Boolean.parseBoolean(property("security.enabled"));
        apiKeysFile = Path.of(property("security.apiKeysFile"));
        jwtSecretsFile = Path.of(property("security.jwt.secretsFile"));
        audience = property("security.jwt.audience");
        clientKey = property("security.client.apiKey");
    }

    /** Before the HTTP server starts: the guard goes in front of everything it serves. */
    @Override
    public void beforeStart(BaseMainSupport main) {
        context = main.getCamelContext();
        if (role == null) {
            readSettings();
        }
        if (!enabled) {
            LOG.warn("SECURITY IS OFF (security.enabled=false): anyone who reaches this process's HTTP server can read, "
                    + "send and command everything, Jolokia included. Never run it like this outside a closed test network.");
        } else if (!Files.exists(apiKeysFile) && !Files.exists(jwtSecretsFile)) {
            LOG.warn("No credentials configured ({} and {} do not exist): every request to the HTTP API is refused "
                    + "except /health and /ready", apiKeysFile, jwtSecretsFile);
        }
        AuthenticationConfigEntry entry = new AuthenticationConfigEntry();
        entry.setPath("/*");
        entry.setAuthenticationProviderFactory(vertx -> {
            guardFor(vertx);
            return null;
        });
        entry.setAuthenticationHandlerFactory(new AuthenticationConfig.AuthenticationHandlerFactory() {
            @Override
            public <T extends io.vertx.ext.auth.authentication.AuthenticationProvider> io.vertx.ext.web.handler.AuthenticationHandler createAuthenticationHandler(T provider) {
                return guard;
            }
        });
        if (!"edge".equals(role)) {
            guardWebSocketIngest();
        }
        int installed = 0;
        MainHttpServer server = context.hasService(MainHttpServer.class);
        if (server != null) {
            install(server.getConfiguration(), entry);
            installed++;
        }
        ManagementHttpServer management = context.hasService(ManagementHttpServer.class);
        if (management != null) {
            install(management.getConfiguration(), entry);
            installed++;
        }
        if (installed == 0) {
            throw new IllegalStateException("the HTTP server is not configured yet; the guard cannot be put in front of it");
        }
    }

    /**
     * The WebSocket ingest has its own server: the vertx-websocket component gets a router whose
     * first route is a guard that counts every path as ingest, so a handshake without a camera's
     * credential is refused before the upgrade.
     */
    private void guardWebSocketIngest() {
        VertxWebsocketComponent ws = context.getComponent("vertx-websocket", VertxWebsocketComponent.class);
        webSocketVertx = Vertx.vertx();
        ws.setVertx(webSocketVertx);
        Router router = Router.router(webSocketVertx);
        HttpGuard http = guardFor(webSocketVertx);
        HttpGuard.Settings s = http.settings();
        router.route().order(Integer.MIN_VALUE).handler(new HttpGuard(new HttpGuard.Settings(s.enabled(), s.ingestAllow(),
                s.managementAllow(), List.of("/"), List.of(), s.allowedOrigins(), s.requestsPerSecond(),
                s.failuresPerMinute()), credentials));
        ws.setRouter(router);
    }

    @Override
    public void afterStop(BaseMainSupport main) {
        if (webSocketVertx != null) {
            webSocketVertx.close();
            webSocketVertx = null;
        }
    }

    private static void install(VertxPlatformHttpServerConfiguration configuration, AuthenticationConfigEntry entry) {
        AuthenticationConfig auth = configuration.getAuthenticationConfig();
        auth.setEnabled(true);
        auth.getEntries().add(0, entry);
    }

    /** The guard of the HTTP server and of the WebSocket ingest (one per Vert.x instance is enough: it holds no connection). */
    public synchronized HttpGuard guardFor(Vertx vertx) {
        if (guard == null) {
            credentials = new Credentials(vertx, apiKeysFile, jwtSecretsFile, audience);
            guard = new HttpGuard(new HttpGuard.Settings(enabled,
                    new Cidrs(property("security.ingest.allow")),
                    new Cidrs(property("security.management.allow")),
                    list("security.ingest.paths"), list("security.open.paths"), list("security.allowedOrigins"),
                    Integer.parseInt(property("security.rateLimit.requestsPerSecond")),
                    Integer.parseInt(property("security.rateLimit.failuresPerMinute"))), credentials);
        }
        return guard;
    }

    /** @return the credentials in force once the HTTP server has started */
    public Credentials credentials() {
        return credentials;
    }

    private String demoCameraKey() {
        String value = readKeys().getProperty(property("camera.id"), "");
        return value.contains(":") ? value.substring(value.indexOf(':') + 1).trim() : "";
    }

    /** The demo writes an operator key, its camera's key and a JWT secret on first start. */
    private void writeDemoCredentials() {
        try {
            if (!Files.exists(apiKeysFile)) {
                createPrivateFile(apiKeysFile, "# API keys: <name> = <role>:<secret> (roles: operator, viewer, camera, cameras)\n"
                        + "operator = operator:" + Credentials.randomSecret() + "\n"
                        + property("camera.id") + " = camera:" + Credentials.randomSecret() + "\n");
                LOG.info("Demo credentials written to {}: user 'operator' with the password given there opens the "
                        + "dashboard, API and Jolokia", apiKeysFile.toAbsolutePath());
            }
            if (!Files.exists(jwtSecretsFile)) {
                createPrivateFile(jwtSecretsFile, Credentials.randomSecret() + "\n");
            }
        } catch (IOException e) {
            throw new IllegalStateException("demo credentials could not be written under " + apiKeysFile.getParent(), e);
        }
    }

    private static void createPrivateFile(Path file, String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private Properties readKeys() {
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(apiKeysFile, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            LOG.warn("API keys not read from {}: {}", apiKeysFile, e.getMessage());
        }
        return p;
    }

    private List<String> list(String key) {
        return Arrays.stream(property(key).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private String property(String key) {
        return context.resolvePropertyPlaceholders("{{" + key + "}}").trim();
    }
}
