package org.lprgateway.support;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** A plain MQTT 5 client for tests: subscribes and records what arrives, or publishes. */
public final class MqttProbe implements AutoCloseable {

    /** One received message with the flags the broker delivered it with. */
    public record Received(String topic, String payload, int qos, boolean retained) {
    }

    private final MqttClient client;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public MqttProbe(String url, String clientId) throws MqttException {
        this(url, clientId, new MqttConnectionOptions());
    }

    /** A probe connecting with {@code options} (credentials, TLS socket factory); clean start. */
    public MqttProbe(String url, String clientId, MqttConnectionOptions options) throws MqttException {
        client = new MqttClient(url, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8),
                        message.getQos(), message.isRetained()));
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        options.setCleanStart(true);
        client.connect(options);
    }

    public MqttProbe subscribe(String filter, int qos) throws MqttException {
        client.subscribe(filter, qos);
        return this;
    }

    public void publish(String topic, String payload, int qos) throws MqttException {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false);
    }

    /** Publishes with MQTT 5 properties (user properties such as a signature). */
    public void publish(String topic, String payload, int qos, boolean retained, MqttProperties properties) throws MqttException {
        MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8), qos, retained, properties);
        client.publish(topic, m);
    }

    /** Connection options logging in as {@code user}. */
    public static MqttConnectionOptions login(String user, String password) {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName(user);
        o.setPassword(password.getBytes(StandardCharsets.UTF_8));
        o.setConnectionTimeout(5);
        return o;
    }

    public String clientId() {
        return client.getClientId();
    }

    public List<Received> received() {
        return received;
    }

    public List<Received> on(String topic) {
        return received.stream().filter(r -> r.topic().equals(topic)).toList();
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}
