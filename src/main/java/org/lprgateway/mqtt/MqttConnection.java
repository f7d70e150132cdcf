package org.lprgateway.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.util.MqttTopicValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT 5 connection (one Paho client, one client id) carrying every publication and
 * subscription of a role.
 * <ul>
 * <li>It connects once the routes have started, so that a message the broker kept for a
 * persistent session finds its route; until the first connection it retries with a growing delay,
 * afterwards Paho reconnects by itself.</li>
 * <li>After every (re)connection it subscribes again to every filter a running route asked for
 * (retain handling 1: retained messages only for a subscription the session did not have), then
 * publishes {@code online}, retained, on the presence topic when there is one. Its last will is
 * {@code offline}, retained, QoS 1, on the same topic; a graceful close publishes {@code offline}
 * itself (a normal DISCONNECT discards the will).</li>
 * <li>Messages are handed to the subscriber whose filter matches the topic (filters of one
 * connection must not overlap) without blocking Paho's thread: a subscriber that publishes from
 * Paho's thread while more than ten messages wait would deadlock the client. The subscriber
 * acknowledges each message when done (manual acknowledgements). A message no running route
 * subscribed to is acknowledged and dropped with a warning.</li>
 * </ul>
 */
public final class MqttConnection {

    public static final String ONLINE = "online";
    public static final String OFFLINE = "offline";

    private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);
    private static final long READY_CHECK_MILLIS = 250;
    private static final long OPERATION_TIMEOUT_MILLIS = 5000;
    private static final long QOS2_ACK_DELAY_MILLIS = 100;

    /** Takes one message for a route; must not block (it runs on Paho's thread). False: cannot take it now. */
    @FunctionalInterface
    public interface Subscriber {
        boolean offer(Delivery delivery);
    }

    /** A message for one subscriber; {@link #acknowledge()} once it is processed. */
    public final class Delivery {
        private final String topic;
        private final MqttMessage message;
        private final long generation;
        private final MqttClient owner;

        private final long arrivedNanos = System.nanoTime();

        private Delivery(String topic, MqttMessage message, long generation, MqttClient owner) {
            this.topic = topic;
            this.message = message;
            this.generation = generation;
            this.owner = owner;
        }

        public String topic() {
            return topic;
        }

        public MqttMessage message() {
            return message;
        }

        /**
         * Sends the broker its acknowledgement (QoS 1 and 2). A message of an earlier, lost
         * connection is not acknowledged: the broker sends it again on the new one.
         */
        public void acknowledge() {
            if (message.getQos() == 0 || generation != MqttConnection.this.generation) {
                return;
            }
            if (message.getQos() == 2 && System.nanoTime() - arrivedNanos < TimeUnit.MILLISECONDS.toNanos(QOS2_ACK_DELAY_MILLIS)) {
                // Paho hands a QoS 2 message over before it sends PUBREC; a PUBCOMP overtaking that
                // PUBREC is a protocol error to the broker, which drops the connection
                try {
                    worker.schedule(this::complete, QOS2_ACK_DELAY_MILLIS, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException closing) {
                    // not acknowledged: the broker sends it again
                }
                return;
            }
            complete();
        }

        private void complete() {
            if (generation != MqttConnection.this.generation) {
                return;
            }
            try {
                owner.messageArrivedComplete(message.getId(), message.getQos());
            } catch (MqttException | RuntimeException e) {
                LOG.debug("MQTT {}: acknowledgement of a message on {} not sent ({}); the broker sends it again",
                        clientId, topic, e.getMessage());
            }
        }
    }

    private record Subscription(String filter, int qos, Subscriber subscriber) {
    }

    private final String brokerUrl;
    private final String clientId;
    private final MqttConnectionOptions options;
    private final String presenceTopic;
    private final int maxReconnectDelayMillis;
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    private final ScheduledExecutorService worker;
    /** Replaced by a new one after every lost connection (see {@link #replaceClient()}). */
    private volatile MqttClient client;
    private volatile boolean everConnected;
    private volatile Runnable onConnected;
    /** Whether the gateway is shutting down: what arrives then is left to the broker, not acknowledged. */
    private volatile BooleanSupplier stopping = () -> false;
    /** When true, presence is JSON naming a session that is new at every connection (the server's). */
    private volatile boolean presenceSession;
    private volatile long generation;
    private volatile boolean opened;
    private volatile boolean closed;

    /**
     * @param presenceTopic where {@code online} / {@code offline} go (retained, QoS 1), or null for none
     */
    public MqttConnection(String brokerUrl, String clientId, MqttConnectionOptions options, String presenceTopic,
            int maxReconnectDelayMillis) throws MqttException {
        this.brokerUrl = brokerUrl;
        this.clientId = clientId;
        this.options = options;
        this.presenceTopic = presenceTopic == null || presenceTopic.isBlank() ? null : presenceTopic;
        this.maxReconnectDelayMillis = maxReconnectDelayMillis;
        // reconnection is ours: a new client each time (replaceClient), not Paho's automatic one
        options.setAutomaticReconnect(false);
        if (this.presenceTopic != null) {
            options.setWill(this.presenceTopic, presence(OFFLINE));
        }
        this.client = newClient();
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mqtt-connection-" + clientId);
            t.setDaemon(true);
            return t;
        });
    }

    private MqttClient newClient() throws MqttException {
        MqttClient c = new MqttClient(brokerUrl, clientId, new MemoryPersistence());
        c.setManualAcks(true);
        c.setCallback(new Callback(c));
        return c;
    }

    /**
     * After a lost connection: the old client is closed with whatever it had in flight, and a new
     * one connects to the same session. Paho's own reconnection keeps the old client's in-flight
     * state and sends it again; against a broker that restarted from an older save of that session
     * (killed between two saves) the two states disagree, the broker answers with a protocol error,
     * and the client reconnects, sends again and is refused again, for ever. What was in flight
     * needs no resending by Paho: a publication that got no acknowledgement failed for its route,
     * which sends it again, and the broker sends again what it had sent us and we had not
     * acknowledged.
     */
    private void replaceClient() {
        if (closed) {
            return;
        }
        MqttClient old = client;
        try {
            old.disconnectForcibly(0, 100, false);
        } catch (MqttException | RuntimeException e) {
            LOG.debug("MQTT {}: closing the lost client: {}", clientId, e.getMessage());
        }
        try {
            old.close(true);
        } catch (MqttException | RuntimeException e) {
            LOG.debug("MQTT {}: releasing the lost client: {}", clientId, e.getMessage());
        }
        try {
            client = newClient();
        } catch (MqttException e) {
            LOG.warn("MQTT {}: no new client ({}); trying again", clientId, e.getMessage());
            worker.schedule(this::replaceClient, 1000, TimeUnit.MILLISECONDS);
            return;
        }
        connectWhenReady(() -> true, 500, false);
    }

    /** The Paho client the publishing routes share (Camel's paho-mqtt5 producer publishes on it); a new one after each lost connection. */
    public MqttClient client() {
        return client;
    }

    public String clientId() {
        return clientId;
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    /**
     * Presence as JSON, {@code {"status":"online","session":"<new at each connection>","timestamp":...}},
     * last will {@code {"status":"offline"}}: whoever reads it can tell a new connection (whose
     * subscriptions a broker that lost its state has only now) from one it already knew.
     */
    public void presenceSession(boolean enabled) {
        this.presenceSession = enabled;
        if (presenceTopic != null) {
            options.setWill(presenceTopic, presence(OFFLINE));
        }
    }

    /**
     * Tells the connection when the gateway is shutting down: a message arriving then, when its
     * route no longer takes it, is not acknowledged, so the broker keeps it in the session and
     * delivers it at the next connection (the acknowledgement of an edge stopping in the middle of
     * a batch waits for its next start, not for a grace).
     */
    public void stopping(BooleanSupplier stopping) {
        this.stopping = stopping;
    }

    /** Runs on the connection's thread after every (re)connection, once subscriptions and presence are done. */
    public void onConnected(Runnable action) {
        this.onConnected = action;
    }

    /** Connects as soon as {@code routesStarted} says so (checked every 250 ms), then keeps connected. */
    public synchronized void open(BooleanSupplier routesStarted) {
        if (opened || closed) {
            return;
        }
        opened = true;
        worker.execute(() -> connectWhenReady(routesStarted, READY_CHECK_MILLIS, false));
    }

    private void connectWhenReady(BooleanSupplier routesStarted, long delayMillis, boolean failedBefore) {
        if (closed) {
            return;
        }
        if (!routesStarted.getAsBoolean()) {
            worker.schedule(() -> connectWhenReady(routesStarted, delayMillis, failedBefore), READY_CHECK_MILLIS,
                    TimeUnit.MILLISECONDS);
            return;
        }
        try {
            client.connect(options);
        } catch (MqttException e) {
            if (e.getReasonCode() == MqttClientException.REASON_CODE_CLIENT_CONNECTED
                    || e.getReasonCode() == MqttClientException.REASON_CODE_CONNECT_IN_PROGRESS) {
                return;
            }
            long next = Math.min(Math.max(1000, delayMillis * 2), maxReconnectDelayMillis);
            if (failedBefore) {
                LOG.debug("MQTT {}: {} still unreachable ({}), next try in {} ms", clientId, brokerUrl, e.getMessage(), next);
            } else {
                LOG.warn("MQTT {}: {} unreachable ({}); retrying every {} s at most", clientId, brokerUrl, e.getMessage(),
                        maxReconnectDelayMillis / 1000);
            }
            worker.schedule(() -> connectWhenReady(routesStarted, next, true), next, TimeUnit.MILLISECONDS);
        }
    }

    /** Runs on the worker after each (re)connection: subscriptions first, then presence. */
    private void afterConnect(boolean reconnect) {
        List<Subscription> all;
        synchronized (this) {
            all = new ArrayList<>(subscriptions.values());
        }
        for (Subscription s : all) {
            subscribeAtBroker(s.filter());
        }
        if (presenceTopic != null) {
            try {
                client.publish(presenceTopic, presence(ONLINE));
            } catch (MqttException e) {
                LOG.warn("MQTT {}: {} not published on {}: {}", clientId, ONLINE, presenceTopic, e.getMessage());
            }
        }
        LOG.info("MQTT {} {} to {}: {} subscription(s){}", clientId, reconnect ? "reconnected" : "connected", brokerUrl,
                all.size(), presenceTopic == null ? "" : ", online on " + presenceTopic);
        Runnable action = onConnected;
        if (action != null) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.warn("MQTT {}: action after connecting failed: {}", clientId, e.getMessage());
            }
        }
    }

    /**
     * A running route's subscription: made at the broker before this returns when connected (waiting
     * at most 5 s), and again after every reconnection.
     */
    public void subscribe(String filter, int qos, Subscriber subscriber) {
        MqttTopicValidator.validate(shared(filter), true, true);
        synchronized (this) {
            subscriptions.put(filter, new Subscription(filter, qos, subscriber));
        }
        if (client.isConnected() && !closed) {
            try {
                worker.submit(() -> subscribeAtBroker(filter)).get(OPERATION_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
                LOG.warn("MQTT {}: subscription to {} not confirmed yet ({}); made after the next reconnection at the latest",
                        clientId, filter, e.toString());
            }
        }
    }

    /**
     * The route of {@code filter} stopped. {@code atBroker}: the broker forgets the subscription too
     * (a route stopped while the gateway runs); otherwise the persistent session keeps it and the
     * broker keeps its messages until the gateway is back (the gateway is shutting down).
     */
    public void unsubscribe(String filter, boolean atBroker) {
        synchronized (this) {
            subscriptions.remove(filter);
        }
        if (atBroker && client.isConnected() && !closed) {
            worker.execute(() -> {
                synchronized (this) {
                    if (subscriptions.containsKey(filter)) {
                        return;
                    }
                }
                try {
                    client.unsubscribe(filter);
                } catch (MqttException e) {
                    LOG.debug("MQTT {}: unsubscribe {} failed: {}", clientId, filter, e.getMessage());
                }
            });
        }
    }

    private void subscribeAtBroker(String filter) {
        Subscription s;
        synchronized (this) {
            s = subscriptions.get(filter);
        }
        if (s == null || !client.isConnected()) {
            return;
        }
        MqttSubscription sub = new MqttSubscription(filter, s.qos());
        sub.setRetainHandling(1);
        try {
            client.subscribe(new MqttSubscription[] {sub});
            LOG.debug("MQTT {}: subscribed to {} (QoS {})", clientId, filter, s.qos());
        } catch (MqttException e) {
            LOG.warn("MQTT {}: subscription to {} failed ({}); tried again after the next reconnection", clientId, filter,
                    e.getMessage());
        }
    }

    private Subscription subscriptionFor(String topic) {
        synchronized (this) {
            for (Subscription s : subscriptions.values()) {
                if (MqttTopicValidator.isMatched(shared(s.filter()), topic)) {
                    return s;
                }
            }
        }
        return null;
    }

    /** {@code a/b} of {@code $share/group/a/b}: what a shared subscription's messages are matched against. */
    static String shared(String filter) {
        if (filter.startsWith("$share/")) {
            int slash = filter.indexOf('/', "$share/".length());
            return slash < 0 ? filter : filter.substring(slash + 1);
        }
        return filter;
    }

    private MqttMessage presence(String status) {
        String payload = status;
        if (presenceSession) {
            payload = ONLINE.equals(status)
                    ? "{\"status\":\"online\",\"session\":\"" + java.util.UUID.randomUUID() + "\",\"timestamp\":\""
                            + java.time.Instant.now() + "\"}"
                    : "{\"status\":\"" + status + "\"}";
        }
        return new MqttMessage(payload.getBytes(StandardCharsets.UTF_8), 1, true, null);
    }

    /** Publishes {@code offline} when there is a presence topic, then disconnects and releases the client. */
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        worker.shutdownNow();
        try {
            if (client.isConnected()) {
                client.setTimeToWait(OPERATION_TIMEOUT_MILLIS);
                if (presenceTopic != null) {
                    client.publish(presenceTopic, presence(OFFLINE));
                }
                client.disconnect(OPERATION_TIMEOUT_MILLIS);
            }
        } catch (MqttException | RuntimeException e) {
            LOG.debug("MQTT {}: graceful disconnect failed: {}", clientId, e.getMessage());
            try {
                client.disconnectForcibly(0, 1000, false);
            } catch (MqttException | RuntimeException ignored) {
                // closing anyway
            }
        }
        try {
            client.close(true);
        } catch (MqttException | RuntimeException e) {
            LOG.debug("MQTT {}: close failed: {}", clientId, e.getMessage());
        }
        LOG.info("MQTT {} closed", clientId);
    }

    private final class Callback implements MqttCallback {

        private final MqttClient owner;

        Callback(MqttClient owner) {
            this.owner = owner;
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            // Paho's own thread: anything that waits for the broker goes to the worker
            boolean again = everConnected;
            everConnected = true;
            worker.execute(() -> afterConnect(again));
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            if (owner != client) {
                return;
            }
            generation++;
            if (!closed) {
                LOG.warn("MQTT {}: connection to {} lost ({}); reconnecting", clientId, brokerUrl,
                        response.getException() != null ? response.getException().getMessage() : response.getReasonString());
                try {
                    worker.execute(MqttConnection.this::replaceClient);
                } catch (RejectedExecutionException closing) {
                    // shutting down
                }
            }
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            Delivery delivery = new Delivery(topic, message, generation, owner);
            Subscription s = subscriptionFor(topic);
            if (s == null || !s.subscriber().offer(delivery)) {
                if (stopping.getAsBoolean()) {
                    LOG.debug("MQTT {}: message on {} left to the broker: shutting down", clientId, topic);
                    return;
                }
                LOG.warn("MQTT {}: message on {} dropped: no running route subscribes to it", clientId, topic);
                delivery.acknowledge();
            }
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.debug("MQTT {}: {}", clientId, exception.getMessage());
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
