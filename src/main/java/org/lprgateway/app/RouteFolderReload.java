package org.lprgateway.app;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.RouteWatcherReloadStrategy;

/**
 * Live reload of edited route files. Camel's own reload matches file names only, so it cannot tell
 * routes/edge/x.camel.yaml from routes/server/x.camel.yaml; this watches the routes folder and
 * reloads only files in the folders of the running role ({@code gateway.reload.<role>}). Only the
 * routes of the changed file restart, so the transports of the others stay connected.
 */
@Configuration
public class RouteFolderReload implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent pc = context.getPropertiesComponent();
        if (!Boolean.parseBoolean(pc.resolveProperty("gateway.routesReload").orElse("true"))) {
            return;
        }
        String role = pc.resolveProperty("gateway.role").orElse("all");
        Set<String> folders = Arrays.stream(pc.resolveProperty("gateway.reload." + role).orElse("").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        RouteWatcherReloadStrategy reload = new RouteWatcherReloadStrategy(
                pc.resolveProperty("gateway.routesDir").orElse("routes"), true);
        reload.setRemoveAllRoutes(false);
        reload.setFileFilter(f -> f.getName().endsWith(".camel.yaml") && f.getParentFile() != null
                && folders.contains(f.getParentFile().getName()));
        context.addService(reload);
    }
}
