package org.lprgateway.mqtt;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Producer;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Component;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Configuration;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Endpoint;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5EndpointConfigurer;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Producer;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;
import org.apache.camel.spi.PropertyConfigurer;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.util.MqttTopicValidator;
import org.lprgateway.security.MessageSigner;

/**
 * Camel's paho-mqtt5 component with every endpoint on one {@link MqttConnection}: bound under a
 * scheme name of its own ({@code edge-mqtt}, {@code server-mqtt}), configured once with the
 * connection settings; the endpoints keep only topic, {@code qos}, {@code retained} and
 * {@code manualAcksEnabled}.
 * <p>
 * Why not the stock component's {@code client} option: its producers do publish on a shared
 * client, but each of its consumers calls {@code setCallback} on the client, so the last one started
 * receives the messages of every subscription, processes them on Paho's thread, and nobody
 * connects the client or subscribes again after a reconnection. Here producers are Camel's own,
 * given the shared client at every start, and consumers are {@link MqttSubscriptionConsumer}s.
 * <p>
 * Security: TLS and client certificates come from {@link MqttTls} ({@code tls}); messages published
 * on a topic matching {@code signedTopics} carry the {@link MessageSigner}'s signature, and messages
 * received on a topic matching {@code verifiedTopics} reach their route only when their signature
 * holds (the others are acknowledged, counted and dropped).
 */
public class MqttConnectionComponent extends PahoMqtt5Component {

    // the endpoint options are paho-mqtt5's; Camel finds its generated configurer by the
    // @Component annotation, which a subclass does not inherit
    private static final PropertyConfigurer ENDPOINT_CONFIGURER = new PahoMqtt5EndpointConfigurer();

    private String brokerUrl = "tcp://localhost:1883";
    private String clientId;
    private String userName;
    private String password;
    private boolean cleanStart = true;
    private long sessionExpirySeconds;
    private int keepAliveSeconds = 60;
    private int connectTimeoutSeconds = 10;
    private int maxReconnectDelayMillis = 10000;
    private String presenceTopic;
    private boolean presenceSession;
    private String onConnected;
    private ProducerTemplate template;
    private MqttConnection connection;
    private MqttTls tls;
    private MessageSigner signer;
    private List<String> signedTopics = List.of();
    private List<String> verifiedTopics = List.of();

    public void setTls(MqttTls tls) {
        this.tls = tls;
    }

    public void setSigner(MessageSigner signer) {
        this.signer = signer;
    }

    /** Comma-separated topic filters whose publications are signed. */
    public void setSignedTopics(String signedTopics) {
        this.signedTopics = filters(signedTopics);
    }

    /** Comma-separated topic filters whose messages must carry a valid signature. */
    public void setVerifiedTopics(String verifiedTopics) {
        this.verifiedTopics = filters(verifiedTopics);
    }

    private static List<String> filters(String csv) {
        return csv == null ? List.of() : Arrays.stream(csv.split(",")).map(String::strip).filter(f -> !f.isEmpty()).toList();
    }

    private static boolean matches(List<String> filters, String topic) {
        return filters.stream().anyMatch(f -> MqttTopicValidator.isMatched(f, topic));
    }

    /** Whether a received message may reach its route. */
    boolean authentic(String topic, MqttMessage message) {
        if (!matches(verifiedTopics, topic)) {
            return true;
        }
        if (signer == null) {
            return false;
        }
        return signer.accept(topic, message.getPayload(), message.getProperties());
    }

    /** Signs the exchange's message when its topic is one of {@code signedTopics}. */
    void sign(Exchange exchange, String topic) {
        if (signer == null || !matches(signedTopics, topic)) {
            return;
        }
        byte[] payload = exchange.getIn().getBody(byte[].class);
        exchange.getIn().setBody(payload);
        MqttProperties properties = exchange.getIn().getHeader(PahoMqtt5Constants.CAMEL_PAHO_MSG_PROPERTIES, MqttProperties.class);
        exchange.getIn().setHeader(PahoMqtt5Constants.CAMEL_PAHO_MSG_PROPERTIES,
                signer.sign(topic, payload == null ? new byte[0] : payload, properties));
    }

    public void setBrokerUrl(String brokerUrl) {
        this.brokerUrl = brokerUrl;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public void setUserName(String userName) {
        this.userName = userName;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    /** false: a persistent session (subscriptions and queued messages survive a disconnection). */
    public void setCleanStart(boolean cleanStart) {
        this.cleanStart = cleanStart;
    }

    /** How long the broker keeps the session after a disconnection (persistent sessions). */
    public void setSessionExpirySeconds(long sessionExpirySeconds) {
        this.sessionExpirySeconds = sessionExpirySeconds;
    }

    /** The broker takes the connection for lost (and publishes the last will) after 1.5 times this without a packet. */
    /**
     * How long one connection attempt waits for the broker's answer. Paho's default of 30 s holds
     * every reconnection behind an attempt that reached a broker going down.
     */
    public void setConnectTimeoutSeconds(int connectTimeoutSeconds) {
        this.connectTimeoutSeconds = connectTimeoutSeconds;
    }

    public void setKeepAliveSeconds(int keepAliveSeconds) {
        this.keepAliveSeconds = keepAliveSeconds;
    }

    public void setMaxReconnectDelayMillis(int maxReconnectDelayMillis) {
        this.maxReconnectDelayMillis = maxReconnectDelayMillis;
    }

    /** Retained {@code online} after every connection, {@code offline} as last will; empty: none. */
    public void setPresenceTopic(String presenceTopic) {
        this.presenceTopic = presenceTopic;
    }

    /** Presence as JSON with a session id new at every connection (see {@link MqttConnection#presenceSession}). */
    public void setPresenceSession(boolean presenceSession) {
        this.presenceSession = presenceSession;
    }

    /**
     * Endpoints (comma-separated URIs) sent an empty message after every connection and
     * reconnection: routes that publish retained state a broker may have lost, or that could not
     * publish before the connection was up.
     */
    public void setOnConnected(String onConnected) {
        this.onConnected = onConnected;
    }

    public boolean isConnected() {
        MqttConnection c = connection;
        return c != null && c.isConnected();
    }

    synchronized MqttConnection connection() throws MqttException {
        if (connection == null) {
            MqttConnectionOptions options = new MqttConnectionOptions();
            if (userName != null && !userName.isBlank()) {
                options.setUserName(userName);
                if (password != null && !password.isBlank()) {
                    options.setPassword(password.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            options.setCleanStart(cleanStart);
            options.setSessionExpiryInterval(sessionExpirySeconds);
            options.setKeepAliveInterval(keepAliveSeconds);
            options.setConnectionTimeout(connectTimeoutSeconds);
            if (tls != null) {
                try {
                    options.setSocketFactory(tls.socketFactory());
                } catch (java.security.GeneralSecurityException | java.io.IOException e) {
                    throw new MqttException(e);
                }
                options.setHttpsHostnameVerificationEnabled(tls.isHostnameVerification());
            }
            connection = new MqttConnection(brokerUrl, clientId, options, presenceTopic, maxReconnectDelayMillis);
            connection.presenceSession(presenceSession);
        }
        return connection;
    }

    @Override
    public PropertyConfigurer getEndpointPropertyConfigurer() {
        return ENDPOINT_CONFIGURER;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SharedEndpoint endpoint = new SharedEndpoint(uri, remaining, this, getConfiguration().copy());
        setProperties(endpoint, parameters);
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        CamelContext context = getCamelContext();
        if (onConnected != null && !onConnected.isBlank()) {
            template = context.createProducerTemplate();
            List<String> uris = Arrays.stream(onConnected.split(",")).map(String::strip).filter(u -> !u.isEmpty()).toList();
            ProducerTemplate t = template;
            connection().onConnected(() -> uris.forEach(uri -> t.asyncSendBody(uri, null)));
        }
        // a message kept for the persistent session must find its route: connect once they run
        connection().stopping(() -> context.isStopping() || context.getStatus().isStopped());
        connection().open(() -> context.getStatus().isStarted() && !context.getRouteController().isStartingRoutes());
    }

    @Override
    protected void doStop() throws Exception {
        MqttConnection c;
        synchronized (this) {
            c = connection;
            connection = null;
        }
        if (c != null) {
            c.close();
        }
        if (template != null) {
            template.stop();
            template = null;
        }
        super.doStop();
    }

    /** An endpoint of the shared connection. */
    static final class SharedEndpoint extends PahoMqtt5Endpoint {

        SharedEndpoint(String uri, String topic, MqttConnectionComponent component, PahoMqtt5Configuration configuration) {
            super(uri, topic, component, configuration);
        }

        private MqttConnection connection() throws MqttException {
            return ((MqttConnectionComponent) getComponent()).connection();
        }

        @Override
        public Producer createProducer() {
            return new SharedProducer(this);
        }

        @Override
        public Consumer createConsumer(Processor processor) throws Exception {
            MqttSubscriptionConsumer consumer = new MqttSubscriptionConsumer(this, processor, connection(), getTopic(),
                    getConfiguration().getQos(), getConfiguration().isManualAcksEnabled(),
                    ((MqttConnectionComponent) getComponent())::authentic);
            configureConsumer(consumer);
            return consumer;
        }
    }

    /** Camel's producer, handed the shared client at every start (it forgets its client when stopped). */
    static final class SharedProducer extends PahoMqtt5Producer {

        SharedProducer(SharedEndpoint endpoint) {
            super(endpoint);
        }

        @Override
        protected void doStart() throws Exception {
            setClient(((SharedEndpoint) getEndpoint()).connection().client());
            super.doStart();
        }

        @Override
        public void process(Exchange exchange) throws Exception {
            // the connection's current client: it gets a new one after every lost connection
            setClient(((SharedEndpoint) getEndpoint()).connection().client());
            String topic = exchange.getIn().getHeader(PahoMqtt5Constants.CAMEL_PAHO_OVERRIDE_TOPIC, getEndpoint().getTopic(), String.class);
            ((MqttConnectionComponent) getEndpoint().getComponent()).sign(exchange, topic);
            super.process(exchange);
        }
    }
}
