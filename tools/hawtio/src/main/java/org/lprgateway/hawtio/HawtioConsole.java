package org.lprgateway.hawtio;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import javax.servlet.DispatcherType;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletRequestWrapper;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpServletResponseWrapper;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.AbstractHandler;
import org.eclipse.jetty.server.handler.HandlerList;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.webapp.WebAppContext;

/**
 * A Hawtio 3 console for lpr-gateway: Hawtio's web application at {@code /hawtio} and, at {@code /},
 * a start page that presets one connection per gateway given and opens the first.
 * <p>
 * The console keeps no credential and has no login of its own: each connection asks for the
 * gateway's own credential (role operator: Hawtio sends even its reads as POST, which the gateway
 * grants to operators only), which the browser keeps for its session and Hawtio's proxy passes on. So the console listens on this
 * machine only unless {@code --host} says otherwise, proxies only to the gateways' hosts, and does
 * not serve its own JVM's MBeans.
 * <p>
 * Usage: {@code HawtioConsole [--host 127.0.0.1] [--port 8081] [name=]http://host:port/observe/jolokia ...}
 */
public final class HawtioConsole {

    static final String DEFAULT_GATEWAY = "http://127.0.0.1:8000/observe/jolokia";

    /** A gateway to preset: Hawtio's connection name and where its Jolokia answers. */
    record Gateway(String name, URI url) {
        String scheme() {
            return url.getScheme();
        }

        int port() {
            return url.getPort() > 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
        }
    }

    private HawtioConsole() {
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 8081;
        List<Gateway> gateways = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = value(args, ++i, "--host");
                case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                case "-h", "--help" -> {
                    System.out.println("usage: scripts/hawtio.sh [--host 127.0.0.1] [--port 8081] [name=]http://gateway:port/observe/jolokia ...");
                    return;
                }
                default -> gateways.add(gateway(args[i], gateways.size()));
            }
        }
        if (gateways.isEmpty()) {
            gateways.add(gateway(DEFAULT_GATEWAY, 0));
        }
        Server server = start(host, port, gateways, codeHome());
        System.out.println("Hawtio console: http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/");
        for (Gateway g : gateways) {
            System.out.println("  preset connection \"" + g.name() + "\" -> " + g.url());
        }
        System.out.println("Log in to a connection with the gateway's operator credential: user operator, password its key.");
        server.join();
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** {@code [name=]url}; a URL without a path gets Jolokia's path on the gateway. */
    static Gateway gateway(String arg, int index) throws URISyntaxException {
        int eq = arg.indexOf('=');
        boolean named = eq > 0 && !arg.substring(0, eq).contains("/") && !arg.substring(0, eq).contains(":");
        String name = named ? arg.substring(0, eq).strip() : null;
        URI url = new URI(named ? arg.substring(eq + 1).strip() : arg.strip());
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            throw new IllegalArgumentException("not an http(s) URL of a gateway's Jolokia: " + arg);
        }
        if (url.getPath() == null || url.getPath().isEmpty() || url.getPath().equals("/")) {
            url = url.resolve("/observe/jolokia");
        }
        if (name == null || name.isEmpty()) {
            name = "gateway-" + url.getHost() + "-" + (url.getPort() > 0 ? url.getPort() : url.getScheme().equals("https") ? 443 : 80);
        }
        // Hawtio carries the name in its URLs and encodes its login redirect twice: keep to characters
        // that no encoding changes
        if (!name.matches("[A-Za-z0-9._-]{1,80}")) {
            throw new IllegalArgumentException("a connection name is letters, digits and . _ - (at most 80): " + name);
        }
        return new Gateway(name, url);
    }

    /** The folder above {@code classes/}: the tool's {@code target/}, holding {@code lib/} with Hawtio's war. */
    static Path codeHome() throws URISyntaxException {
        Path classes = Path.of(HawtioConsole.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return classes.getParent();
    }

    static Server start(String host, int port, List<Gateway> gateways, Path home) throws Exception {
        Path war;
        try (Stream<Path> libs = Files.list(home.resolve("lib"))) {
            war = libs.filter(p -> p.getFileName().toString().startsWith("hawtio-default-") && p.toString().endsWith(".war"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no hawtio-default war under " + home.resolve("lib")));
        }
        // Hawtio's own settings (system properties): no login of its own, proxy only to the gateways
        Set<String> hosts = new LinkedHashSet<>(List.of("localhost", "127.0.0.1"));
        gateways.forEach(g -> hosts.add(g.url().getHost()));
        System.setProperty("hawtio.authenticationEnabled", "false");
        System.setProperty("hawtio.localAddressProbing", "false");
        System.setProperty("hawtio.proxyAllowlist", String.join(",", hosts));

        Server server = new Server(new InetSocketAddress(host, port));
        WebAppContext hawtio = new WebAppContext();
        hawtio.setContextPath("/hawtio");
        hawtio.setWar(war.toString());
        Path work = home.resolve("work");
        Files.createDirectories(work);
        hawtio.setTempDirectory(work.toFile());
        hawtio.addFilter(new FilterHolder(new NoLocalAgent()), "/jolokia/*", EnumSet.of(DispatcherType.REQUEST));
        hawtio.addFilter(new FilterHolder(new SameOriginProxy()), "/proxy/*", EnumSet.of(DispatcherType.REQUEST));
        HandlerList handlers = new HandlerList();
        handlers.addHandler(new StartPage(gateways));
        handlers.addHandler(hawtio);
        server.setHandler(handlers);
        server.start();
        return server;
    }

    /** {@code /}: stores the preset connections in the browser (Hawtio keeps them there) and opens the first. */
    static final class StartPage extends AbstractHandler {
        private final byte[] page;

        StartPage(List<Gateway> gateways) {
            StringBuilder connections = new StringBuilder("{");
            StringBuilder links = new StringBuilder();
            for (Gateway g : gateways) {
                if (connections.length() > 1) {
                    connections.append(',');
                }
                connections.append(json(g.name())).append(":{\"name\":").append(json(g.name()))
                        .append(",\"scheme\":").append(json(g.scheme()))
                        .append(",\"host\":").append(json(g.url().getHost()))
                        .append(",\"port\":").append(g.port())
                        .append(",\"path\":").append(json(g.url().getRawPath())).append('}');
                links.append("<li><a href=\"/hawtio/?con=").append(java.net.URLEncoder.encode(g.name(), StandardCharsets.UTF_8))
                        .append("\">").append(g.name()).append("</a> (").append(g.url()).append(")</li>");
            }
            connections.append('}');
            String first = java.net.URLEncoder.encode(gateways.get(0).name(), StandardCharsets.UTF_8).replace("+", "%20");
            String html = "<!doctype html><html><head><meta charset=\"utf-8\"><title>lpr-gateway Hawtio</title></head><body>"
                    + "<h1>lpr-gateway Hawtio console</h1><p>Connections preset in this browser:</p><ul>" + links + "</ul>"
                    + "<p>Log in with the gateway's operator credential: user <code>operator</code>, password its key (Hawtio sends every request as a POST, which the gateway grants to operators only).</p>"
                    + "<script>(function(){var preset=" + connections.toString().replace("<", "\\u003c") + ";"
                    + "var saved={};try{saved=JSON.parse(localStorage.getItem('connect.connections'))||{};}catch(e){}"
                    + "Object.keys(preset).forEach(function(k){saved[k]=preset[k];});"
                    + "localStorage.setItem('connect.connections',JSON.stringify(saved));"
                    + (gateways.size() == 1 ? "location.replace('/hawtio/?con=" + first + "');" : "")
                    + "})();</script></body></html>";
            page = html.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void handle(String target, Request base, HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (!"/".equals(target) && !"/index.html".equals(target)) {
                if ("/hawtio".equals(target)) {
                    response.sendRedirect("/hawtio/");
                    base.setHandled(true);
                }
                return;
            }
            response.setContentType("text/html; charset=utf-8");
            response.setHeader("Cache-Control", "no-store");
            response.setHeader("X-Frame-Options", "DENY");
            response.getOutputStream().write(page);
            base.setHandled(true);
        }

        private static String json(String s) {
            StringBuilder b = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') {
                    b.append('\\').append(c);
                } else if (c < 0x20) {
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
            return b.append('"').toString();
        }
    }

    /** The console's own JVM is not served: Hawtio then offers its connections instead of itself. */
    static final class NoLocalAgent implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException {
            ((HttpServletResponse) response).sendError(404, "this console serves no MBeans of its own: connect to a gateway");
        }
    }

    /**
     * Hawtio's proxy is this console's client of the gateway. A request from another site is refused
     * here, as the gateway would refuse it; one from the console's own page goes on without the
     * browser's {@code Origin}, which names the console and not the gateway's address. The gateway's
     * Basic challenge is not passed back: the browser would open its own password prompt over
     * Hawtio's login dialog (and a headless one would wait for it forever).
     */
    static final class SameOriginProxy implements Filter {
        private static final Set<String> DROPPED = Set.of("origin", "sec-fetch-site", "sec-fetch-mode", "sec-fetch-dest", "referer");

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
            HttpServletRequest http = (HttpServletRequest) request;
            String origin = http.getHeader("Origin");
            String site = http.getHeader("Sec-Fetch-Site");
            String own = http.getScheme() + "://" + http.getHeader("Host");
            boolean crossSite = (origin != null && !origin.equalsIgnoreCase(own))
                    || (site != null && !site.equals("same-origin") && !site.equals("none"));
            if (crossSite) {
                ((HttpServletResponse) response).sendError(403, "cross-site request refused");
                return;
            }
            // the gateway asks a browser for Basic credentials; Hawtio asks in its own login dialog instead
            HttpServletResponse noChallenge = new HttpServletResponseWrapper((HttpServletResponse) response) {
                @Override
                public void setHeader(String name, String value) {
                    if (!"www-authenticate".equalsIgnoreCase(name)) {
                        super.setHeader(name, value);
                    }
                }

                @Override
                public void addHeader(String name, String value) {
                    if (!"www-authenticate".equalsIgnoreCase(name)) {
                        super.addHeader(name, value);
                    }
                }
            };
            chain.doFilter(new HttpServletRequestWrapper(http) {
                @Override
                public String getHeader(String name) {
                    return DROPPED.contains(name.toLowerCase(Locale.ROOT)) ? null : super.getHeader(name);
                }

                @Override
                public java.util.Enumeration<String> getHeaders(String name) {
                    return DROPPED.contains(name.toLowerCase(Locale.ROOT)) ? Collections.emptyEnumeration() : super.getHeaders(name);
                }

                @Override
                public java.util.Enumeration<String> getHeaderNames() {
                    List<String> names = new ArrayList<>();
                    for (String n : Collections.list(super.getHeaderNames())) {
                        if (!DROPPED.contains(n.toLowerCase(Locale.ROOT))) {
                            names.add(n);
                        }
                    }
                    return Collections.enumeration(names);
                }
            }, noChallenge);
        }
    }
}
