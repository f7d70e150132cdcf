package org.lprgateway.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proof that an MQTT message comes from the server: HMAC-SHA256, keyed with
 * {@code security.signing.key}, over the topic, a newline and the payload bytes, carried as the
 * MQTT 5 user property {@value #PROPERTY} ({@code hmac-sha256:} and the MAC in unpadded base64url),
 * so the JSON payloads keep their shapes. Binding the topic stops a message signed for one camera
 * from being replayed to another.
 * <p>
 * The server signs what it sends down (control, config, acknowledgements, blacklist); the edge
 * refuses what is unsigned or badly signed. Each refusal is counted
 * ({@code lpr_mqtt_refused_messages_total} by reason and topic kind) and logged once per reason
 * and kind.
 */
public class MessageSigner implements CamelContextAware {

    public static final String PROPERTY = "lpr-signature";
    static final String SCHEME = "hmac-sha256:";
    private static final int MIN_KEY_BYTES = 32;
    private static final Logger LOG = LoggerFactory.getLogger("org.lprgateway.security");

    private CamelContext camelContext;
    private byte[] key;
    private boolean required = true;
    private String generatedKeyFile = "";
    private final Map<String, AtomicLong> refused = new ConcurrentHashMap<>();
    private final Set<String> logged = ConcurrentHashMap.newKeySet();
    private volatile MeterRegistry registry;

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /** The shared secret (at least 32 bytes of UTF-8); never logged. */
    public void setKey(String key) {
        this.key = key == null || key.isBlank() ? null : key.strip().getBytes(StandardCharsets.UTF_8);
    }

    /** false: unsigned messages are accepted (a badly signed one never is). */
    public void setRequired(boolean required) {
        this.required = required;
    }

    /** With no key given: the key is read from this file, created with a random key on first start (role all). */
    public void setGeneratedKeyFile(String generatedKeyFile) {
        this.generatedKeyFile = generatedKeyFile == null ? "" : generatedKeyFile.strip();
    }

    public void init() throws IOException {
        if (key == null && !generatedKeyFile.isEmpty()) {
            Path file = Path.of(generatedKeyFile);
            if (!Files.exists(file)) {
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                if (file.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(file.toAbsolutePath().getParent());
                }
                Files.writeString(file, Base64.getUrlEncoder().withoutPadding().encodeToString(random));
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // the folder's permissions protect it
                }
                LOG.info("MQTT signing key created in {}", file);
            }
            setKey(Files.readString(file));
        }
        if (key != null && key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("security.signing.key must be at least " + MIN_KEY_BYTES + " bytes long");
        }
        if (key == null) {
            LOG.warn(required
                    ? "no security.signing.key: control, config, blacklist and acknowledgements sent down are unsigned, and those received are refused"
                    : "no security.signing.key and security.signing.required=false: MQTT control, config, blacklist and acknowledgements are not authenticated");
        }
    }

    public boolean hasKey() {
        return key != null;
    }

    /** The signature of {@code payload} on {@code topic}: {@code hmac-sha256:<base64url>}. */
    public String signature(String topic, byte[] payload) {
        if (key == null) {
            throw new IllegalStateException("no security.signing.key");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(topic.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) '\n');
            return SCHEME + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(payload));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** {@code properties} (or new ones) with the signature as user property; unchanged without a key. */
    public MqttProperties sign(String topic, byte[] payload, MqttProperties properties) {
        MqttProperties out = properties == null ? new MqttProperties() : properties;
        if (key == null) {
            return out;
        }
        List<UserProperty> user = new ArrayList<>();
        if (out.getUserProperties() != null) {
            out.getUserProperties().stream().filter(p -> !PROPERTY.equals(p.getKey())).forEach(user::add);
        }
        user.add(new UserProperty(PROPERTY, signature(topic, payload)));
        out.setUserProperties(user);
        return out;
    }

    /**
     * @return null when the message may be taken, else why not: {@code unsigned},
     *         {@code bad signature}, {@code no key} (one cannot be checked)
     */
    public String problem(String topic, byte[] payload, MqttProperties properties) {
        List<String> given = new ArrayList<>();
        if (properties != null && properties.getUserProperties() != null) {
            properties.getUserProperties().stream().filter(p -> PROPERTY.equals(p.getKey())).forEach(p -> given.add(p.getValue()));
        }
        if (given.isEmpty()) {
            return required ? "unsigned" : null;
        }
        if (key == null) {
            return required ? "no key" : null;
        }
        byte[] expected = signature(topic, payload).getBytes(StandardCharsets.US_ASCII);
        for (String g : given) {
            if (g != null && MessageDigest.isEqual(expected, g.getBytes(StandardCharsets.US_ASCII))) {
                return null;
            }
        }
        return "bad signature";
    }

    /**
     * Checks a received message, counting and logging a refusal.
     *
     * @return true when it may be processed
     */
    public boolean accept(String topic, byte[] payload, MqttProperties properties) {
        String reason = problem(topic, payload, properties);
        if (reason == null) {
            return true;
        }
        refused(reason, kind(topic));
        return false;
    }

    /** Counts a refused message of {@code kind} for {@code reason}, logging the first of each pair. */
    public void refused(String reason, String kind) {
        String id = reason + "|" + kind;
        AtomicLong count = refused.computeIfAbsent(id, k -> {
            AtomicLong c = new AtomicLong();
            MeterRegistry r = registry();
            if (r != null) {
                FunctionCounter.builder("lpr.mqtt.refused.messages", c, AtomicLong::get)
                        .description("MQTT messages refused by the edge: unsigned, badly signed, stale or out of bounds")
                        .tag("reason", reason).tag("kind", kind).register(r);
            }
            return c;
        });
        count.incrementAndGet();
        if (logged.add(id)) {
            LOG.warn("MQTT {} message refused: {} (logged once; counted in lpr_mqtt_refused_messages_total)", kind, reason);
        }
    }

    /** Refusals so far by {@code reason|kind}. */
    public Map<String, Long> refusedCounts() {
        Map<String, Long> out = new java.util.TreeMap<>();
        refused.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** What a topic carries, for counting: its last level(s) after the camera id, or after lprserver/. */
    static String kind(String topic) {
        String[] levels = topic.split("/");
        if (levels.length > 3 && "cameras".equals(levels[1])) {
            return String.join("/", java.util.Arrays.copyOfRange(levels, 3, levels.length));
        }
        return levels.length > 1 ? String.join("/", java.util.Arrays.copyOfRange(levels, 1, levels.length)) : topic;
    }

    private MeterRegistry registry() {
        if (registry == null && camelContext != null) {
            registry = camelContext.getRegistry().findSingleByType(MeterRegistry.class);
        }
        return registry;
    }
}
