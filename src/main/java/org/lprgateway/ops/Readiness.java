package org.lprgateway.ops;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.lprgateway.mqtt.MqttConnectionComponent;

/**
 * Whether this gateway can do its work: every database of its role answers, its MQTT connection is
 * up and every route that should run is started. Routes or a connection waiting for a peer (the
 * broker) make it not ready, with the reason.
 */
public class Readiness implements CamelContextAware {

    private CamelContext camelContext;

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /** A route is expected to run unless its definition switches auto-start off (the demo camera outside role all). */
    private boolean shouldRun(String routeId) {
        if (camelContext instanceof org.apache.camel.model.ModelCamelContext model) {
            org.apache.camel.model.RouteDefinition def = model.getRouteDefinition(routeId);
            String auto = def == null ? null : def.getAutoStartup();
            if (auto != null) {
                return Boolean.parseBoolean(camelContext.resolvePropertyPlaceholders(auto));
            }
        }
        return true;
    }

    /** @return {@code ready} (boolean) and {@code reasons} (why not) */
    public Map<String, Object> check() {
        List<String> reasons = new ArrayList<>();
        camelContext.getRegistry().findByTypeWithName(DataSource.class).forEach((name, ds) -> {
            try (Connection c = ds.getConnection()) {
                if (!c.isValid(2)) {
                    reasons.add("database " + name + " does not answer");
                }
            } catch (Exception e) {
                reasons.add("database " + name + ": " + e.getMessage());
            }
        });
        for (String name : camelContext.getComponentNames()) {
            if (camelContext.hasComponent(name) instanceof MqttConnectionComponent mqtt && !mqtt.isConnected()) {
                reasons.add("MQTT connection " + name + " is not connected to its broker");
            }
        }
        // the supervising route controller starts the routes one by one after the context has started
        if (camelContext.getRouteController().isStartingRoutes()) {
            reasons.add("routes are starting");
        }
        for (Route route : camelContext.getRoutes()) {
            ServiceStatus status = camelContext.getRouteController().getRouteStatus(route.getRouteId());
            boolean wanted = shouldRun(route.getRouteId());
            if (wanted && status != ServiceStatus.Started) {
                reasons.add("route " + route.getRouteId() + " is " + status);
            }
        }
        // conditions the edge reports about itself (another sender at work, a disk running full)
        org.lprgateway.metrics.GatewayMetrics metrics = camelContext.getRegistry()
                .lookupByNameAndType("gatewayMetrics", org.lprgateway.metrics.GatewayMetrics.class);
        if (metrics != null) {
            reasons.addAll(metrics.warnings());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", reasons.isEmpty() ? "UP" : "DOWN");
        out.put("ready", reasons.isEmpty());
        out.put("reasons", reasons);
        return out;
    }
}
