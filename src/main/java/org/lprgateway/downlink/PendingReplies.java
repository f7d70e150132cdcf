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

    /** A request waiting for its answer: only the camera it went to, on the response topic of its kind, answers it. */
    private record Pending(String cameraId, String kind, CompletableFuture<Object> reply) {
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    /** A config message for {@code cameraId} from the API body ({@code version}, {@code config_data}, optional {@code config_type}). */
    public Map<String, Object> config(String cameraId, Object body) {
        Map<?, ?> b = body instanceof Map<?, ?> m ? m : Map.of();
        Map<String, Object> msg = header(cameraId);
        msg.put("config_type", b.get("config_type") != null ? b.get("config_type") : "gateway_settings");
        msg.put("version", b.get("version"));
        msg.put("config_data", b.get("config_data"));
        return register(msg, "config");
    }

    /** A control message for {@code cameraId} from the API body ({@code command}, optional {@code parameters}, {@code priority}). */
    public Map<String, Object> control(String cameraId, Object body) {
        Map<?, ?> b = body instanceof Map<?, ?> m ? m : Map.of();
        Map<String, Object> msg = header(cameraId);
        msg.put("command", b.get("command"));
        msg.put("parameters", b.get("parameters") != null ? b.get("parameters") : Map.of());
        msg.put("priority", b.get("priority") != null ? b.get("priority") : "normal");
        return register(msg, "control");
    }

    private static Map<String, Object> header(String cameraId) {
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("message_id", UUID.randomUUID().toString());
        msg.put("timestamp", Instant.now().toString());
        msg.put("camera_id", cameraId);
        return msg;
    }

    private Map<String, Object> register(Map<String, Object> msg, String kind) {
        pending.put((String) msg.get("message_id"), new Pending((String) msg.get("camera_id"), kind, new CompletableFuture<>()));
        return msg;
    }

    /**
     * A response that arrived on {@code topic} ({@code lprserver/cameras/<camera>/<kind>/response}).
     * It completes a waiting request only when it answers a pending {@code message_id} sent to that
     * camera, of that kind; anything else (nobody waits any more, another camera's topic, a
     * request that was never sent) is dropped.
     *
     * @return whether it answered a waiting request
     */
    public boolean complete(String topic, Object response) {
        if (!(response instanceof Map<?, ?> m) || m.get("message_id") == null || topic == null) {
            return false;
        }
        Pending p = pending.get(m.get("message_id").toString());
        if (p == null || !topic.equals("lprserver/cameras/" + p.cameraId() + "/" + p.kind() + "/response")) {
            return false;
        }
        return p.reply().complete(response);
    }

    /**
     * @return the camera's response
     * @throws TimeoutException when none came within {@code timeoutMillis}
     */
    public Object await(String messageId, long timeoutMillis) throws InterruptedException, ExecutionException, TimeoutException {
        Pending p = pending.get(messageId);
        if (p == null) {
            throw new IllegalStateException("no request " + messageId);
        }
        try {
            return p.reply().get(timeoutMillis, TimeUnit.MILLISECONDS);
        } finally {
            pending.remove(messageId);
        }
    }
}
