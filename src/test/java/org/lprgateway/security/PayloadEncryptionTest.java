package org.lprgateway.security;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.lprgateway.ingest.InvalidRecordException;
import org.lprgateway.ingest.RetryLaterException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PayloadEncryptionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MESSAGE = "{\"message_id\":\"m-1\",\"table\":\"lpr_detection\",\"action\":\"insert\","
            + "\"data\":{\"license_plate\":\"ABC1234\"}}";

    private static String key(int seed) {
        byte[] k = new byte[32];
        new Random(seed).nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    private static PayloadEncryption encryption(String transports, String key) {
        PayloadEncryption e = new PayloadEncryption();
        e.setTransports(transports);
        e.setEnvironment(key == null ? Map.of() : Map.of("PAYLOAD_ENCRYPTION_KEY", key));
        e.init();
        return e;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String json) throws Exception {
        return JSON.readValue(json, LinkedHashMap.class);
    }

    @Test
    void the_envelope_names_the_scheme_keeps_the_message_id_in_clear_and_hides_the_record() throws Exception {
        PayloadEncryption edge = encryption("rest, mqtt", key(1));
        Map<String, Object> envelope = parse(edge.seal(MESSAGE, "m-1"));

        assertThat(envelope).containsOnlyKeys("message_id", "encryption", "payload")
                .containsEntry("message_id", "m-1").containsEntry("encryption", "aes-256-gcm");
        assertThat(envelope.toString()).doesNotContain("ABC1234", "lpr_detection");
        assertThat(edge.isSealed(envelope)).isTrue();
        assertThat(edge.isSealed(parse(MESSAGE))).isFalse();

        PayloadEncryption server = encryption("", key(1));
        assertThat(server.open(envelope)).isEqualTo(MESSAGE);
    }

    @Test
    void a_transport_seals_only_when_named_and_takes_the_json_as_text_or_utf8_bytes() throws Exception {
        PayloadEncryption e = encryption("rest", key(1));
        byte[] utf8 = MESSAGE.replace("ABC1234", "กข 1234").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(e.sealFor("mqtt", utf8, "m-1")).isSameAs(utf8);
        assertThat(e.sealFor("websocket", MESSAGE, "m-1")).isSameAs(MESSAGE);
        Object sealed = e.sealFor("rest", utf8, "m-1");
        assertThat(e.open(parse((String) sealed))).contains("กข 1234");
        assertThat(e.open(parse((String) e.sealFor("rest", MESSAGE, "m-1")))).isEqualTo(MESSAGE);
        Object fromStream = e.sealFor("rest", new java.io.ByteArrayInputStream(utf8), "m-1");
        assertThat(e.open(parse((String) fromStream))).contains("กข 1234");
        assertThatThrownBy(() -> e.sealFor("rest", 42, "m-1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void only_the_named_transports_are_covered() {
        PayloadEncryption e = encryption(" rest,mqtt ", key(1));
        assertThat(e.covers("rest")).isTrue();
        assertThat(e.covers("mqtt")).isTrue();
        assertThat(e.covers("websocket")).isFalse();
        PayloadEncryption off = encryption("", null);
        assertThat(off.covers("rest")).isFalse();
        assertThat(off.hasKey()).isFalse();
    }

    @Test
    void settings_that_would_send_in_clear_or_cannot_work_stop_the_start_without_showing_the_key() {
        assertThatThrownBy(() -> encryption("rest", null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PAYLOAD_ENCRYPTION_KEY");
        assertThatThrownBy(() -> encryption("rest,ftp", key(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown transport 'ftp'");
        String short16 = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> encryption("rest", short16)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes").message().doesNotContain(short16);
        assertThatThrownBy(() -> encryption("", "secret!")).isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain("secret!");
        assertThat(encryption("rest", key(1)).toString()).doesNotContain(key(1));
    }

    @Test
    void the_key_comes_from_the_environment_or_a_file_it_names() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("payload-key", "");
        java.nio.file.Files.writeString(file, key(1) + "\n");
        PayloadEncryption fromFile = new PayloadEncryption();
        fromFile.setTransports("mqtt");
        fromFile.setEnvironment(Map.of("PAYLOAD_ENCRYPTION_KEY_FILE", file.toString()));
        fromFile.init();
        assertThat(encryption("", key(1)).open(parse(fromFile.seal(MESSAGE, "m-1")))).isEqualTo(MESSAGE);

        PayloadEncryption missingFile = new PayloadEncryption();
        missingFile.setEnvironment(Map.of("PAYLOAD_ENCRYPTION_KEY_FILE", file + ".gone"));
        assertThatThrownBy(missingFile::init).hasMessageContaining("cannot read");
    }

    @Test
    void a_server_without_a_key_says_so_and_asks_for_the_message_later() throws Exception {
        Map<String, Object> envelope = parse(encryption("rest", key(1)).seal(MESSAGE, "m-1"));
        assertThatThrownBy(() -> encryption("", null).open(envelope)).isInstanceOf(RetryLaterException.class)
                .hasMessageContaining("no payload encryption key is configured");
    }

    @Test
    void an_altered_or_foreign_envelope_is_refused_as_invalid_without_quoting_it() throws Exception {
        PayloadEncryption e = encryption("rest", key(1));
        Map<String, Object> envelope = parse(e.seal(MESSAGE, "m-1"));

        Map<String, Object> tampered = new LinkedHashMap<>(envelope);
        byte[] raw = Base64.getDecoder().decode((String) envelope.get("payload"));
        raw[40] ^= 0x20;
        tampered.put("payload", Base64.getEncoder().encodeToString(raw));
        assertThatThrownBy(() -> e.open(tampered)).isInstanceOf(InvalidRecordException.class)
                .hasMessage("payload: cannot be decrypted: authentication failed: encrypted with another key, or altered on the way");

        assertThatThrownBy(() -> encryption("", key(2)).open(envelope)).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("another key");

        Map<String, Object> otherId = new LinkedHashMap<>(envelope);
        otherId.put("message_id", "m-2");
        assertThatThrownBy(() -> e.open(otherId)).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("message_id: differs");

        Map<String, Object> scheme = new LinkedHashMap<>(envelope);
        scheme.put("encryption", "aes-128-cbc");
        assertThatThrownBy(() -> e.open(scheme)).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("unsupported encryption");

        Map<String, Object> noPayload = new LinkedHashMap<>(envelope);
        noPayload.remove("payload");
        assertThatThrownBy(() -> e.open(noPayload)).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("payload: missing");

        Map<String, Object> notBase64 = new LinkedHashMap<>(envelope);
        notBase64.put("payload", "{\"license_plate\":\"ABC1234\"}");
        assertThatThrownBy(() -> e.open(notBase64)).isInstanceOf(InvalidRecordException.class)
                .hasMessage("payload: cannot be decrypted: not base64");
    }

    @Test
    void a_payload_that_opens_but_is_not_one_json_object_is_refused() throws Exception {
        PayloadEncryption e = encryption("rest", key(1));
        assertThatThrownBy(() -> e.open(parse(e.seal("[1,2]", null)))).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> e.open(parse(e.seal("ABC1234", null)))).isInstanceOf(InvalidRecordException.class)
                .hasMessage("payload: decrypted, but not JSON");
        String twice = e.seal(e.seal(MESSAGE, "m-1"), null);
        assertThatThrownBy(() -> e.open(parse(twice))).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("encrypted again");
        // an envelope without message_id (a sender that has none) is opened as it is
        assertThat(e.open(parse(e.seal(MESSAGE, null)))).isEqualTo(MESSAGE);
    }
}
