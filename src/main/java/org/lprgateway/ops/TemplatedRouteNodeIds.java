package org.lprgateway.ops;

import java.util.Collection;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.RouteStartedEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the steps of a route made from a template the ids its statistics carry.
 * <p>
 * Camel gives each route made from a template a node prefix ({@code route-12}) and reports the
 * statistics of its steps under the prefixed id ({@code route-12setHeader71}), but the route's
 * model, which {@code dumpRouteAsXml} writes and consoles such as Hawtio draw, keeps the bare id
 * ({@code setHeader71}). A console then finds no counters for any step of {@code poll-detections},
 * {@code poll-health-checks} or the transport breakers. Once such a route has started (its steps and
 * their management objects exist, with their ids fixed), this writes the prefixed ids into the model
 * and clears the model's prefix, so that model, statistics and later lookups agree on one id.
 */
public class TemplatedRouteNodeIds extends EventNotifierSupport implements CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(TemplatedRouteNodeIds.class);

    private CamelContext camelContext;

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof RouteStartedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        RouteStartedEvent started = (RouteStartedEvent) event;
        CamelContext context = camelContext != null ? camelContext : started.getRoute().getCamelContext();
        if (!(context instanceof ModelCamelContext model)) {
            return;
        }
        RouteDefinition route = model.getRouteDefinition(started.getRoute().getRouteId());
        if (route != null) {
            applyPrefix(route);
        }
    }

    /** @return how many step ids were rewritten (0 when the route has no node prefix) */
    static int applyPrefix(RouteDefinition route) {
        String prefix = route.getNodePrefixId();
        if (prefix == null || prefix.isEmpty()) {
            return 0;
        }
        int changed = 0;
        Collection<ProcessorDefinition> steps = ProcessorDefinitionHelper.filterTypeInOutputs(route.getOutputs(),
                ProcessorDefinition.class);
        for (ProcessorDefinition<?> step : steps) {
            String id = step.getId();
            if (id == null || id.startsWith(prefix)) {
                continue;
            }
            if (step.hasCustomIdAssigned()) {
                step.setId(prefix + id);
            } else {
                step.setGeneratedId(prefix + id);
            }
            changed++;
        }
        route.setNodePrefixId(null);
        LOG.debug("route {}: {} step ids now carry the node prefix {}", route.getRouteId(), changed, prefix);
        return changed;
    }
}
