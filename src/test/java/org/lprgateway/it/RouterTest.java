package org.lprgateway.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.Exchange;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.lprgateway.app.Application;
import org.lprgateway.network.NetworkQuality;
import org.lprgateway.support.Ports;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The content-based router of routes/edge/choose-transport.camel.yaml, booted from the real
 * properties and YAML: each branch of the router's table (README, "Transport choice and fallback") for the right inputs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RouterTest extends CamelMainTestSupport {

    private static final Path DIR = tempDir();

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("router");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    protected Class<?> getMainClass() {
        return Application.class;
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = new Properties();
        p.put("gateway.role", "edge");
        p.put("gateway.http.port", String.valueOf(Ports.free()));
        // the camera application's tables, as the demo's simulated camera has them
        p.put("camera.createTables", "true");
        p.put("edge.db.path", DIR.resolve("edge.db").toString());
        // no timer probes during the test: it sets the network class itself
        p.put("network.probe.intervalMillis", "3600000");
        p.put("outbox.pollInterval", "3600000");
        return p;
    }

    private Properties overrides() {
        return ((org.apache.camel.component.properties.PropertiesComponent) context.getPropertiesComponent())
                .getOverrideProperties();
    }

    @AfterEach
    void unpin() {
        overrides().remove("gateway.transport.pinned");
        overrides().remove("router.smallMessageBytes");
    }

    private void network(double latencyMillis) {
        NetworkQuality q = context.getRegistry().lookupByNameAndType("networkQuality", NetworkQuality.class);
        q.reset();
        if (latencyMillis >= 0) {
            for (int i = 0; i < 10; i++) {
                q.record(latencyMillis);
            }
        }
    }

    private String chainFor(String priority, int payloadBytes) {
        Exchange ex = new DefaultExchange(context);
        ex.setProperty("priority", priority);
        ex.getMessage().setBody(Map.of("data", "x".repeat(Math.max(0, payloadBytes - 11))));
        Exchange out = template.send("direct:choose-transport", ex);
        assertThat(out.getProperty("payloadBytes", Integer.class)).isEqualTo(payloadBytes);
        return out.getProperty("chain", String.class);
    }

    @Test
    void high_priority_takes_websocket_on_a_good_network_and_mqtt_otherwise() {
        network(20);
        assertThat(chainFor("high", 500)).isEqualTo("websocket,rest,mqtt");
        network(80);
        assertThat(chainFor("high", 50_000)).isEqualTo("websocket,rest,mqtt");
        network(150);
        assertThat(chainFor("high", 500)).isEqualTo("mqtt,rest,websocket");
        network(-1);
        assertThat(chainFor("high", 500)).isEqualTo("mqtt,rest,websocket");
    }

    @Test
    void small_messages_take_websocket_on_a_good_network_and_rest_otherwise() {
        network(20);
        assertThat(chainFor("normal", 500)).isEqualTo("websocket,rest,mqtt");
        network(300);
        assertThat(chainFor("normal", 500)).isEqualTo("rest,mqtt,websocket");
    }

    @Test
    void medium_messages_take_rest_and_large_ones_mqtt_whatever_the_network() {
        network(20);
        assertThat(chainFor("normal", 5_000)).isEqualTo("rest,mqtt,websocket");
        assertThat(chainFor("low", 20_000)).isEqualTo("mqtt,rest,websocket");
        network(300);
        assertThat(chainFor("normal", 5_000)).isEqualTo("rest,mqtt,websocket");
        assertThat(chainFor("normal", 10_240)).isEqualTo("mqtt,rest,websocket");
    }

    @Test
    void an_edited_threshold_changes_the_choice() {
        network(20);
        assertThat(chainFor("normal", 500)).isEqualTo("websocket,rest,mqtt");
        overrides().put("router.smallMessageBytes", "100");
        assertThat(chainFor("normal", 500)).isEqualTo("rest,mqtt,websocket");
    }

    @Test
    void a_pinned_transport_is_the_only_one_tried() {
        network(20);
        overrides().put("gateway.transport.pinned", "mqtt");
        assertThat(chainFor("high", 500)).isEqualTo("mqtt");
    }
}
