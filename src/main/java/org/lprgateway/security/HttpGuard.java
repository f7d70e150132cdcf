package org.lprgateway.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;
import org.lprgateway.security.Principal.Access;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of every request to the gateway's HTTP server and of every WebSocket
 * handshake: address allowlist, cross-site refusal, authentication, role, rate limit. A request
 * it lets through carries {@code X-Lpr-Role} and {@code X-Lpr-Principal} (whatever the client
 * sent under those names is removed first).
 */
public class HttpGuard implements AuthenticationHandler {

    public static final String ROLE_HEADER = "X-Lpr-Role";
    public static final String PRINCIPAL_HEADER = "X-Lpr-Principal";

    private static final Logger LOG = LoggerFactory.getLogger(HttpGuard.class);
    private static final Set<String> JOLOKIA_READS = Set.of("read", "list", "search", "version");
    private static final int MAX_CLIENTS = 10_000;

    /** The settings, read once at start. */
    public record Settings(boolean enabled, Cidrs ingestAllow, Cidrs managementAllow, List<String> ingestPaths,
            List<String> openPaths, List<String> allowedOrigins, int requestsPerSecond, int failuresPerMinute) {
    }

    private final Settings settings;
    private final Credentials credentials;
    private final RateLimiterConfig requests;
    private final RateLimiterConfig failures;
    private final Map<String, RateLimiter> requestLimiters = new ConcurrentHashMap<>();
    private final Map<String, RateLimiter> failureLimiters = new ConcurrentHashMap<>();

    public HttpGuard(Settings settings, Credentials credentials) {
        this.settings = settings;
        this.credentials = credentials;
        this.requests = RateLimiterConfig.custom().limitForPeriod(settings.requestsPerSecond())
                .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ZERO).build();
        this.failures = RateLimiterConfig.custom().limitForPeriod(settings.failuresPerMinute())
                .limitRefreshPeriod(Duration.ofMinutes(1)).timeoutDuration(Duration.ZERO).build();
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        request.headers().remove(ROLE_HEADER);
        request.headers().remove(PRINCIPAL_HEADER);
        String path = ctx.normalizedPath();
        String client = request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress();
        boolean ingest = settings.ingestPaths().stream().anyMatch(path::startsWith);

        if (isOpen(request.method(), path)) {
            ctx.next();
            return;
        }
        if (!(ingest ? settings.ingestAllow() : settings.managementAllow()).contains(client)) {
            refuse(ctx, 403, "address not allowed", client);
            return;
        }
        String crossSite = crossSite(request);
        if (crossSite != null) {
            refuse(ctx, 403, crossSite, client);
            return;
        }
        if (!settings.enabled()) {
            ctx.next();
            return;
        }
        RateLimiter failed = failureLimiters.get(client);
        if (failed != null && failed.getMetrics().getAvailablePermissions() <= 0) {
            tooMany(ctx, "too many failed authentications", client);
            return;
        }
        Access needed = needed(request.method(), path, ingest);
        authenticate(request).onComplete(result -> {
            if (result.failed() || result.result() == null) {
                // only a credential that was presented and refused counts towards the limit: clients
                // (browsers, Hawtio) first ask without one, and the answer tells them to log in
                if (request.getHeader("X-API-Key") != null || request.getHeader("Authorization") != null) {
                    limiter(failureLimiters, client, failures).acquirePermission();
                }
                String reason = result.failed() ? result.cause().getMessage() : "credential required";
                ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"lpr-gateway\", charset=\"UTF-8\"");
                refuse(ctx, 401, reason == null ? "credential refused" : reason, client);
                return;
            }
            Principal p = result.result();
            if (!p.may(needed)) {
                refuse(ctx, 403, "role " + p.role() + " may not " + needed.name().toLowerCase(Locale.ROOT) + " " + path, client);
                return;
            }
            if (!limiter(requestLimiters, p.role() + ":" + p.name() + "@" + client, requests).acquirePermission()) {
                tooMany(ctx, "rate limit of " + settings.requestsPerSecond() + " requests a second", client);
                return;
            }
            request.headers().set(ROLE_HEADER, p.role());
            request.headers().set(PRINCIPAL_HEADER, p.name());
            ctx.next();
        });
    }

    private boolean isOpen(HttpMethod method, String path) {
        return (method == HttpMethod.GET || method == HttpMethod.HEAD) && settings.openPaths().contains(path);
    }

    /** @return why a state-changing request is refused as cross-site, or null */
    private String crossSite(HttpServerRequest request) {
        HttpMethod m = request.method();
        boolean upgrade = "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
        if (!upgrade && (m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS)) {
            return null;
        }
        if ("cross-site".equalsIgnoreCase(request.getHeader("Sec-Fetch-Site"))) {
            return "cross-site request refused";
        }
        String origin = request.getHeader("Origin");
        if (origin == null || origin.isEmpty()) {
            return null;
        }
        // HTTP/2 carries the host as :authority, not as a Host header
        String host = request.authority() != null ? request.authority().toString() : request.getHeader("Host");
        String own = (request.isSSL() ? "https://" : "http://") + host;
        if (origin.equalsIgnoreCase(own) || settings.allowedOrigins().contains(origin)) {
            return null;
        }
        return "cross-site request refused (Origin does not match Host)";
    }

    private Access needed(HttpMethod method, String path, boolean ingest) {
        if (ingest) {
            return Access.INGEST;
        }
        if (path.startsWith("/observe/jolokia")) {
            if (method != HttpMethod.GET) {
                return Access.OPERATE;
            }
            String rest = path.substring("/observe/jolokia".length()).replaceFirst("^/+", "");
            String type = rest.isEmpty() ? "version" : rest.split("/", 2)[0].toLowerCase(Locale.ROOT);
            return JOLOKIA_READS.contains(type) ? Access.READ : Access.OPERATE;
        }
        return method == HttpMethod.GET || method == HttpMethod.HEAD ? Access.READ : Access.OPERATE;
    }

    private Future<Principal> authenticate(HttpServerRequest request) {
        String key = request.getHeader("X-API-Key");
        if (key != null) {
            return credentials.apiKey(key).map(Future::succeededFuture)
                    .orElseGet(() -> Future.failedFuture("unknown API key"));
        }
        String authorization = request.getHeader("Authorization");
        if (authorization == null) {
            return Future.failedFuture("credential required (X-API-Key, Bearer token or Basic)");
        }
        int space = authorization.indexOf(' ');
        String scheme = space < 0 ? authorization : authorization.substring(0, space);
        String value = space < 0 ? "" : authorization.substring(space + 1).trim();
        if ("Bearer".equalsIgnoreCase(scheme)) {
            return credentials.token(value).recover(e -> Future.failedFuture("token refused: " + e.getMessage()));
        }
        if ("Basic".equalsIgnoreCase(scheme)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Future.failedFuture("malformed Basic credential");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return Future.failedFuture("malformed Basic credential");
            }
            return credentials.basic(decoded.substring(0, colon), decoded.substring(colon + 1))
                    .map(Future::succeededFuture).orElseGet(() -> Future.failedFuture("unknown user or key"));
        }
        return Future.failedFuture("unsupported authorization scheme");
    }

    private static RateLimiter limiter(Map<String, RateLimiter> limiters, String client, RateLimiterConfig config) {
        if (limiters.size() > MAX_CLIENTS) {
            limiters.clear();
        }
        return limiters.computeIfAbsent(client, c -> RateLimiter.of("http-" + limiters.size(), config));
    }

    private void tooMany(RoutingContext ctx, String reason, String client) {
        ctx.response().putHeader("Retry-After", "1");
        refuse(ctx, 429, reason, client);
    }

    private static void refuse(RoutingContext ctx, int status, String reason, String client) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} from {} refused ({}): {}", ctx.request().method(), Logs.clean(ctx.normalizedPath()),
                    Logs.clean(client), status, Logs.clean(reason));
        }
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("status", "error").put("error", statusText(status)).put("reason", reason).encode());
    }

    private static String statusText(int status) {
        return switch (status) {
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 429 -> "too many requests";
            default -> "refused";
        };
    }
}
