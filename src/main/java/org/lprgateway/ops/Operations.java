package org.lprgateway.ops;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.ServiceStatus;
import org.lprgateway.app.Settings;

/**
 * The edge's own management API: route groups (state, start, stop, restart) and the effective
 * configuration with secrets masked. Groups are named in {@code management.groups}:
 * {@code outbox=poll-detections,poll-health-checks;images=inspect-images,poll-images;...}.
 */
public class Operations implements CamelContextAware {

    private static final Pattern SECRET = Pattern.compile("(?i).*(password|secret|token|apikey|api_key|credential|\\.key)$");
    private static final List<String> ACTIONS = List.of("start", "stop", "restart");

    private CamelContext camelContext;
    private final Map<String, List<String>> groups = new LinkedHashMap<>();

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    public void setGroups(String spec) {
        groups.clear();
        for (String g : spec.split(";")) {
            int eq = g.indexOf('=');
            if (eq > 0) {
                groups.put(g.substring(0, eq).strip(), List.of(g.substring(eq + 1).strip().split("\\s*,\\s*")));
            }
        }
    }

    /** Each group with the state of each of its routes, and the group's own: Started only when all are. */
    public Map<String, Object> groups() {
        Map<String, Object> out = new LinkedHashMap<>();
        groups.forEach((name, routes) -> out.put(name, group(routes)));
        return out;
    }

    private Map<String, Object> group(List<String> routes) {
        Map<String, Object> states = new LinkedHashMap<>();
        boolean allStarted = true;
        for (String r : routes) {
            ServiceStatus s = camelContext.getRouteController().getRouteStatus(r);
            states.put(r, s == null ? "absent" : s.name());
            allStarted &= s == ServiceStatus.Started;
        }
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("state", allStarted ? "Started" : "Stopped");
        g.put("routes", states);
        return g;
    }

    /** @return null when the group and action exist, else the problem (the API answers 404 or 400) */
    public String problem(String group, String action) {
        if (!groups.containsKey(group)) {
            return "unknown route group '" + group + "' (known: " + String.join(", ", groups.keySet()) + ")";
        }
        return ACTIONS.contains(action) ? null : "unknown action '" + action + "' (start, stop or restart)";
    }

    /** Starts, stops or restarts every route of a group; returns the group's new state. */
    public Map<String, Object> control(String group, String action) throws Exception {
        for (String r : groups.get(group)) {
            if (camelContext.getRouteController().getRouteStatus(r) == null) {
                continue;
            }
            switch (action) {
                case "start" -> camelContext.getRouteController().startRoute(r);
                case "stop" -> camelContext.getRouteController().stopRoute(r);
                default -> {
                    camelContext.getRouteController().stopRoute(r);
                    camelContext.getRouteController().startRoute(r);
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "success");
        out.put("group", group);
        out.put("action", action);
        out.putAll(group(groups.get(group)));
        return out;
    }

    /**
     * Every setting of the configuration file with the value in force (after environment,
     * arguments and remote config). Masked: every value that came from a secret file, or from the
     * environment for a key without a value in the configuration file (where secrets never have
     * one), credentials the gateway generated, every value containing one of those, and, as a
     * last net for a secret given where it should not be, keys naming a password, secret, token,
     * key or credential.
     */
    public Map<String, Object> effectiveConfig() throws IOException {
        Properties known = Settings.knownKeys(Path.of(System.getProperty("gateway.config", "application.properties")));
        TreeSet<String> keys = new TreeSet<>(known.stringPropertyNames());
        // keys set only by the environment, an argument or remote config
        keys.addAll(camelContext.getPropertiesComponent().loadProperties().stringPropertyNames());
        Set<String> secretKeys = Settings.secretKeys();
        List<String> secretValues = new ArrayList<>();
        for (String key : secretKeys) {
            camelContext.getPropertiesComponent().resolveProperty(key).filter(v -> v.length() >= 6).ifPresent(secretValues::add);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String key : keys) {
            String value;
            try {
                value = camelContext.getPropertiesComponent().resolveProperty(key).orElse("");
            } catch (RuntimeException e) {
                value = "(unresolved: " + e.getMessage() + ")";
            }
            String shown = value;
            boolean secret = !value.isEmpty() && (secretKeys.contains(key) || SECRET.matcher(key).matches()
                    || secretValues.stream().anyMatch(value::contains));
            out.put(key, secret ? "****" : shown);
        }
        return out;
    }

    /** 404 for an unknown group, 400 for an unknown action. */
    public int problemStatus(String group) {
        return groups.containsKey(group) ? 400 : 404;
    }

    /** The error body of the management API. */
    public Map<String, Object> error(String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "error");
        m.put("message", message);
        return m;
    }

    /** A text file shipped in the jar (the dashboard page). */
    public String resource(String path) throws IOException {
        try (var in = Operations.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("not in the jar: " + path);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
