package org.lprgateway.support;

import java.nio.charset.StandardCharsets;

import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.lprgateway.security.MessageSigner;

/** MQTT 5 properties carrying a downlink signature, as the server makes them, for a test's own messages. */
public final class Signing {

    private Signing() {
    }

    /** Signed with the key the test gateways use ({@link GatewayProcess#SIGNING_KEY}). */
    public static MqttProperties signed(String topic, String payload) {
        return signed(topic, payload, GatewayProcess.SIGNING_KEY);
    }

    public static MqttProperties signed(String topic, String payload, String key) {
        MessageSigner signer = new MessageSigner();
        signer.setKey(key);
        return signer.sign(topic, payload.getBytes(StandardCharsets.UTF_8), null);
    }
}
