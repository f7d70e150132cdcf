package org.lprgateway.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.lprgateway.ingest.InvalidRecordException;
import org.lprgateway.ingest.RetryLaterException;

/**
 * Optional end-to-end encryption of records (payload.encryption.*): the edge seals the JSON message
 * of a record on the transports named in {@code transports}; the server opens a sealed message from
 * any transport. A sealed message is a small JSON envelope (docs/security-encryption.md):
 *
 * <pre>{"message_id": "&lt;id, in clear&gt;", "encryption": "aes-256-gcm", "payload": "&lt;base64(nonce ‖ tag ‖ ciphertext)&gt;"}</pre>
 *
 * <p>The plaintext is exactly the message the transport would have sent in clear. The key (base64
 * of 32 bytes) comes from the environment only: {@value #KEY_VARIABLE}, or the file named by
 * {@value #KEY_VARIABLE}{@code _FILE}. It is no property, so neither the configuration API nor a
 * placeholder error can show it; it is never logged, and no message of this class quotes it or
 * the payload.
 */
public class PayloadEncryption {

    /** The envelope field whose presence marks a sealed message, and its one accepted value. */
    public static final String MARKER = "encryption";
    public static final String SCHEME = "aes-256-gcm";
    public static final String PAYLOAD = "payload";
    public static final String MESSAGE_ID = "message_id";
    public static final String KEY_VARIABLE = "PAYLOAD_ENCRYPTION_KEY";

    static final Set<String> TRANSPORTS = Set.of("websocket", "rest", "mqtt");
    private static final ObjectMapper JSON = new ObjectMapper();

    private String transports = "";
    private Map<String, String> environment = System.getenv();
    private Set<String> covered = Set.of();
    private PayloadCipher cipher;

    /** Checks the settings once at start: a bad setting stops the gateway instead of sending in clear. */
    public void init() {
        List<String> names = Arrays.stream(transports == null ? new String[0] : transports.split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        for (String name : names) {
            if (!TRANSPORTS.contains(name)) {
                throw new IllegalArgumentException("payload.encryption.transports: unknown transport '" + name
                        + "' (websocket, rest, mqtt)");
            }
        }
        covered = Set.copyOf(names);
        String key = keyFromEnvironment();
        if (key != null && !key.isBlank()) {
            try {
                cipher = PayloadCipher.ofBase64Key(key);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("payload encryption key (PAYLOAD_ENCRYPTION_KEY): " + e.getMessage()
                        + "; expected base64 of " + PayloadCipher.KEY_BYTES + " bytes");
            }
        }
        if (!covered.isEmpty() && cipher == null) {
            throw new IllegalStateException("payload.encryption.transports = " + String.join(",", names)
                    + " but no key: set PAYLOAD_ENCRYPTION_KEY (base64 of " + PayloadCipher.KEY_BYTES + " bytes)");
        }
    }

    private String keyFromEnvironment() {
        String value = environment.get(KEY_VARIABLE);
        String file = environment.get(KEY_VARIABLE + "_FILE");
        if ((value == null || value.isBlank()) && file != null && !file.isBlank()) {
            try {
                value = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new IllegalStateException(KEY_VARIABLE + "_FILE: cannot read " + file + ": " + e.getMessage());
            }
        }
        return value;
    }

    /** Whether records sent on this transport are sealed. */
    public boolean covers(String transport) {
        return covered.contains(transport);
    }

    /** Whether a key is configured (a sealed message can be opened). */
    public boolean hasKey() {
        return cipher != null;
    }

    /**
     * What a transport sends for one record: the envelope when {@code transport} is covered, else
     * {@code message} unchanged.
     *
     * @param message the record as JSON: text, or UTF-8 bytes as Jackson writes them (an array or,
     *        with stream caching, a stream)
     */
    public Object sealFor(String transport, Object message, String messageId) throws IOException {
        if (!covers(transport)) {
            return message;
        }
        String text;
        if (message instanceof byte[] bytes) {
            text = new String(bytes, StandardCharsets.UTF_8);
        } else if (message instanceof InputStream stream) {
            text = new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } else if (message instanceof String string) {
            text = string;
        } else {
            throw new IllegalArgumentException("a record to seal is JSON text or bytes, not "
                    + (message == null ? "nothing" : message.getClass().getName()));
        }
        return seal(text, messageId);
    }

    /** @return the envelope (JSON text) carrying {@code message}, the JSON text of one record */
    public String seal(String message, String messageId) throws JsonProcessingException {
        if (cipher == null) {
            throw new IllegalStateException("no payload encryption key");
        }
        Map<String, Object> envelope = new LinkedHashMap<>();
        if (messageId != null) {
            envelope.put(MESSAGE_ID, messageId);
        }
        envelope.put(MARKER, SCHEME);
        envelope.put(PAYLOAD, cipher.seal(message.getBytes(StandardCharsets.UTF_8)));
        return JSON.writeValueAsString(envelope);
    }

    /** Whether a parsed message is an envelope made by {@link #seal}. */
    public boolean isSealed(Object message) {
        return message instanceof Map<?, ?> map && map.containsKey(MARKER);
    }

    /**
     * @return the JSON text inside an envelope: a JSON object whose message_id is the envelope's
     * @throws InvalidRecordException when the envelope is malformed or cannot be opened (wrong key,
     *         altered, wrong layout): sending it again will not help
     * @throws RetryLaterException when this server has no key: the message may be taken once it has one
     */
    public String open(Map<String, Object> envelope) {
        Object scheme = envelope.get(MARKER);
        if (!SCHEME.equals(scheme)) {
            throw new InvalidRecordException(MARKER, "unsupported encryption (only " + SCHEME + ")");
        }
        if (!(envelope.get(PAYLOAD) instanceof String payload)) {
            throw new InvalidRecordException(PAYLOAD, "missing: an encrypted message carries its payload as a base64 string");
        }
        if (cipher == null) {
            throw new RetryLaterException("encrypted message but no payload encryption key is configured on this server"
                    + " (PAYLOAD_ENCRYPTION_KEY): not stored");
        }
        String text;
        try {
            text = new String(cipher.open(payload), StandardCharsets.UTF_8);
        } catch (PayloadCipher.RefusedException e) {
            throw new InvalidRecordException(PAYLOAD, "cannot be decrypted: " + e.getMessage());
        }
        Object inner;
        try {
            inner = JSON.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new InvalidRecordException(PAYLOAD, "decrypted, but not JSON");
        }
        if (!(inner instanceof Map<?, ?> message)) {
            throw new InvalidRecordException(PAYLOAD, "decrypted, but not a JSON object");
        }
        if (isSealed(message)) {
            throw new InvalidRecordException(PAYLOAD, "decrypted, but encrypted again inside");
        }
        Object outerId = envelope.get(MESSAGE_ID);
        if (outerId != null && !outerId.equals(message.get(MESSAGE_ID))) {
            throw new InvalidRecordException(MESSAGE_ID, "differs from the message_id inside the encrypted payload");
        }
        return text;
    }

    public void setTransports(String transports) {
        this.transports = transports;
    }

    /** The environment the key is read from (tests). */
    void setEnvironment(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public String toString() {
        return "PayloadEncryption[transports=" + covered + ", key " + (cipher == null ? "absent" : "set") + "]";
    }
}
