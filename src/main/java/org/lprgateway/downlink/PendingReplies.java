package org.lprgateway.downlink;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Server side of config and control: builds the message for a camera, and lets the API call that
 * sent it wait for the camera's response (matched by {@code message_id}) or time out.
 */
public class PendingReplies {

    private final Map<String, CompletableFuture<Object>> pending = new ConcurrentHashMap<>();

    /** A config message for {@code cameraId} from the API body ({@code version}, {@code config_data}, optional {@code config_type}). */
    public Map<String, Object> config(String cameraId, Object body) {
        Map<?, ?> b = body instanceof Map<?, ?> m ? m : Map.of();
        Map<String, Object> msg = header(cameraId);
        msg.put("config_type", b.get("config_type") != null ? b.get("config_type") : "gateway_settings");
        msg.put("version", b.get("version"));
        msg.put("config_data", b.get("config_data"));
        return register(msg);
    }

    /** A control message for {@code cameraId} from the API body ({@code command}, optional {@code parameters}, {@code priority}). */
    public Map<String, Object> control(String cameraId, Object body) {
        Map<?, ?> b = body instanceof Map<?, ?> m ? m : Map.of();
        Map<String, Object> msg = header(cameraId);
        msg.put("command", b.get("command"));
        msg.put("parameters", b.get("parameters") != null ? b.get("parameters") : Map.of());
        msg.put("priority", b.get("priority") != null ? b.get("priority") : "normal");
        return register(msg);
    }

    private static Map<String, Object> header(String cameraId) {
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("message_id", UUID.randomUUID().toString());
        msg.put("timestamp", Instant.now().toString());
        msg.put("camera_id", cameraId);
        return msg;
    }

    private Map<String, Object> register(Map<String, Object> msg) {
        pending.put((String) msg.get("message_id"), new CompletableFuture<>());
        return msg;
    }

    /** A response from a camera; one nobody waits for any more is dropped. */
    public void complete(Object response) {
        if (response instanceof Map<?, ?> m && m.get("message_id") != null) {
            CompletableFuture<Object> f = pending.get(m.get("message_id").toString());
            if (f != null) {
                f.complete(response);
            }
        }
    }

    /**
     * @return the camera's response
     * @throws TimeoutException when none came within {@code timeoutMillis}
     */
    public Object await(String messageId, long timeoutMillis) throws InterruptedException, ExecutionException, TimeoutException {
        CompletableFuture<Object> f = pending.get(messageId);
        if (f == null) {
            throw new IllegalStateException("no request " + messageId);
        }
        try {
            return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } finally {
            pending.remove(messageId);
        }
    }
}
