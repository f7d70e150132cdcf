package org.lprgateway.mqtt;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.lprgateway.support.Mosquitto;
import org.lprgateway.support.MqttProbe;
import org.lprgateway.support.MqttProbe.Received;
import org.lprgateway.support.ProcessTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several routes on one {@link MqttConnectionComponent}, against a real Mosquitto: each route gets
 * its own topic's messages, a route may publish while it handles a burst, a stopped route's topic is
 * left, messages kept for the persistent session reach their routes, and the connection comes back
 * with its subscriptions and presence after the broker lost its state or when the broker starts
 * after the gateway. One client at the broker.
 */
class MqttConnectionComponentIT extends ProcessTest {

    private static final String PRESENCE = "test/cam/status";

    private final List<String> onA = new CopyOnWriteArrayList<>();
    private final List<String> onB = new CopyOnWriteArrayList<>();

    private CamelContext context(Mosquitto broker) throws Exception {
        MqttConnectionComponent mqtt = new MqttConnectionComponent();
        mqtt.setBrokerUrl(broker.url());
        mqtt.setClientId("shared-test");
        mqtt.setCleanStart(false);
        mqtt.setSessionExpirySeconds(300);
        mqtt.setMaxReconnectDelayMillis(500);
        mqtt.setPresenceTopic(PRESENCE);
        CamelContext context = new DefaultCamelContext();
        context.getRegistry().bind("test-mqtt", mqtt);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("test-mqtt:in/a?qos=1").routeId("on-a").convertBodyTo(String.class)
                        .process(e -> onA.add(e.getMessage().getBody(String.class)));
                // answers each message on the same connection, from the consumer's own thread
                from("test-mqtt:in/b/+?qos=2").routeId("on-b").convertBodyTo(String.class)
                        .process(e -> onB.add(e.getMessage().getBody(String.class)))
                        .setBody(simple("re ${body}"))
                        .to("test-mqtt:out/b?qos=1");
            }
        });
        context.start();
        return context;
    }

    private static boolean connected(CamelContext context) {
        return ((MqttConnectionComponent) context.getComponent("test-mqtt")).isConnected();
    }

    private static long clients(Mosquitto broker, String clientId) throws Exception {
        return broker.log().lines().filter(l -> l.contains("New client connected") && l.contains(" as " + clientId + " ")).count();
    }

    @Test
    void routes_share_one_connection_and_each_gets_its_own_topic() throws Exception {
        Mosquitto broker = track(new Mosquitto()).start();
        MqttProbe probe = track(new MqttProbe(broker.url(), "probe-" + UUID.randomUUID())).subscribe("#", 1);
        CamelContext context = context(broker);
        track(context);
        await().atMost(Duration.ofSeconds(10)).until(() -> connected(context));
        await().atMost(Duration.ofSeconds(10)).until(() -> probe.on(PRESENCE).stream().anyMatch(r -> "online".equals(r.payload())));

        // a burst on b (more than Paho's ten waiting messages) while b publishes its answers
        for (int i = 0; i < 30; i++) {
            probe.publish("in/b/" + (i % 3), "b" + i, 2);
        }
        probe.publish("in/a", "a0", 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> probe.on("out/b").size() == 30 && onA.size() == 1);
        assertThat(onA).containsExactly("a0");
        assertThat(onB).hasSize(30).allMatch(s -> s.startsWith("b"));
        assertThat(clients(broker, "shared-test")).isEqualTo(1);

        // a stopped route leaves its topic; started again it subscribes again
        context.getRouteController().stopRoute("on-a");
        probe.publish("in/a", "while stopped", 1);
        probe.publish("in/b/0", "after", 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> onB.contains("after"));
        context.getRouteController().startRoute("on-a");
        probe.publish("in/a", "a1", 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> onA.contains("a1"));
        assertThat(onA).containsExactly("a0", "a1");

        // shut down: offline; what arrives meanwhile waits in the session for the next start
        context.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> probe.on(PRESENCE).get(probe.on(PRESENCE).size() - 1).payload().equals("offline"));
        probe.publish("in/a", "a2", 1);
        probe.publish("in/b/1", "b-queued", 2);
        CamelContext again = context(broker);
        track(again);
        await().atMost(Duration.ofSeconds(10)).until(() -> onA.contains("a2") && onB.contains("b-queued"));
        assertThat(onA).containsExactly("a0", "a1", "a2");

        // a broker that lost every session on the same port: subscriptions and presence come back
        broker.stop();
        Mosquitto fresh = track(new Mosquitto(broker.port())).start();
        await().atMost(Duration.ofSeconds(20)).until(() -> connected(again));
        try (MqttProbe late = new MqttProbe(fresh.url(), "late-" + UUID.randomUUID()).subscribe(PRESENCE, 1)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> late.on(PRESENCE).contains(new Received(PRESENCE, "online", 1, true)));
            late.publish("in/a", "a3", 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> onA.contains("a3"));
        }
        assertThat(clients(fresh, "shared-test")).isEqualTo(1);
    }

    @Test
    void a_broker_that_is_not_there_at_start_is_tried_again_until_it_is() throws Exception {
        Mosquitto broker = track(new Mosquitto());
        CamelContext context = track(context(broker));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> !connected(context));
        broker.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> connected(context));
        try (MqttProbe probe = new MqttProbe(broker.url(), "probe-" + UUID.randomUUID()).subscribe(PRESENCE, 1)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> probe.on(PRESENCE).contains(new Received(PRESENCE, "online", 1, true)));
            probe.publish("in/a", "late", 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> onA.contains("late"));
        }
    }
}
