package org.lprgateway.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageSignerTest {

    private static final String KEY = "a-key-of-at-least-thirty-two-bytes-0123";
    private static final String TOPIC = "lprserver/cameras/CAM001/control";
    private static final byte[] PAYLOAD = "{\"command\":\"report_status\"}".getBytes(StandardCharsets.UTF_8);

    private static MessageSigner signer(String key, boolean required) {
        MessageSigner s = new MessageSigner();
        s.setKey(key);
        s.setRequired(required);
        return s;
    }

    private static MqttProperties with(String signature) {
        MqttProperties p = new MqttProperties();
        p.setUserProperties(List.of(new UserProperty("other", "x"), new UserProperty(MessageSigner.PROPERTY, signature)));
        return p;
    }

    @Test
    void the_signature_is_hmac_sha256_of_topic_newline_payload_in_base64url() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((TOPIC + "\n").getBytes(StandardCharsets.UTF_8));
        String expected = "hmac-sha256:" + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(PAYLOAD));

        MqttProperties signed = signer(KEY, true).sign(TOPIC, PAYLOAD, null);
        assertThat(signed.getUserProperties()).extracting(UserProperty::getKey, UserProperty::getValue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(MessageSigner.PROPERTY, expected));
    }

    @Test
    void only_a_signature_by_the_same_key_for_the_same_topic_and_payload_is_accepted() {
        MessageSigner signer = signer(KEY, true);
        String good = signer.signature(TOPIC, PAYLOAD);
        assertThat(signer.problem(TOPIC, PAYLOAD, with(good))).isNull();
        assertThat(signer.problem(TOPIC, PAYLOAD, null)).isEqualTo("unsigned");
        assertThat(signer.problem(TOPIC, PAYLOAD, new MqttProperties())).isEqualTo("unsigned");
        assertThat(signer.problem("lprserver/cameras/CAM002/control", PAYLOAD, with(good))).isEqualTo("bad signature");
        assertThat(signer.problem(TOPIC, "{\"command\":\"stop_sender\"}".getBytes(StandardCharsets.UTF_8), with(good)))
                .isEqualTo("bad signature");
        assertThat(signer.problem(TOPIC, PAYLOAD, with(signer("another-key-of-thirty-two-bytes-or-more", true).signature(TOPIC, PAYLOAD))))
                .isEqualTo("bad signature");
        assertThat(signer.problem(TOPIC, PAYLOAD, with("hmac-sha256:"))).isEqualTo("bad signature");
    }

    @Test
    void refusals_are_counted_by_reason_and_kind() {
        MessageSigner signer = signer(KEY, true);
        assertThat(signer.accept(TOPIC, PAYLOAD, null)).isFalse();
        assertThat(signer.accept(TOPIC, PAYLOAD, null)).isFalse();
        assertThat(signer.accept("lprserver/blacklist/updates", PAYLOAD, with("hmac-sha256:AAAA"))).isFalse();
        assertThat(signer.accept(TOPIC, PAYLOAD, with(signer.signature(TOPIC, PAYLOAD)))).isTrue();
        assertThat(signer.refusedCounts()).containsEntry("unsigned|control", 2L).containsEntry("bad signature|blacklist/updates", 1L)
                .hasSize(2);
    }

    @Test
    void without_a_key_everything_is_refused_unless_signing_is_not_required() {
        MessageSigner none = signer(null, true);
        assertThat(none.problem(TOPIC, PAYLOAD, null)).isEqualTo("unsigned");
        assertThat(none.problem(TOPIC, PAYLOAD, with("hmac-sha256:AAAA"))).isEqualTo("no key");
        assertThat(none.sign(TOPIC, PAYLOAD, null).getUserProperties()).isEmpty();
        MessageSigner optional = signer(KEY, false);
        assertThat(optional.problem(TOPIC, PAYLOAD, null)).isNull();
        assertThat(optional.problem(TOPIC, PAYLOAD, with("hmac-sha256:AAAA"))).isEqualTo("bad signature");
    }

    @Test
    void a_short_key_fails_the_start_and_role_all_creates_one_it_keeps() throws Exception {
        assertThatThrownBy(() -> signer("short", true).init()).isInstanceOf(IllegalArgumentException.class);
        java.nio.file.Path file = java.nio.file.Files.createTempDirectory("signing").resolve("secrets/mqtt-signing-key");
        MessageSigner first = new MessageSigner();
        first.setGeneratedKeyFile(file.toString());
        first.init();
        MessageSigner second = new MessageSigner();
        second.setGeneratedKeyFile(file.toString());
        second.init();
        assertThat(second.signature(TOPIC, PAYLOAD)).isEqualTo(first.signature(TOPIC, PAYLOAD));
        assertThat(java.nio.file.Files.getPosixFilePermissions(file)).extracting(Object::toString)
                .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
    }
}
