package org.lprgateway.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When detections sent over MQTT and not yet confirmed by the server go again.
 * <p>
 * A broker's PUBACK only says the broker took a message. A broker that restarts without its state
 * (killed between two saves of its persistence) has lost the server's session and subscription: it
 * takes messages until the server subscribes again, for no one. The server announces each new
 * connection on {@code lprserver/system/status} with a new {@code session}; once one is seen (and
 * {@code resendDelayMillis} has passed, for its subscriptions to be made), everything sent over MQTT
 * before it and still unconfirmed goes again at once. Otherwise a row goes again when it has been
 * unconfirmed for the grace while the server answers the network probe.
 * <p>
 * A server working through a backlog confirms late, not never: each confirmation tells how long its
 * detection waited ({@link #confirmed}), and a row goes again only when it has waited twice that
 * long (and at least the grace). A lost message is still sent again once its confirmation is that
 * much later than its neighbours'; one merely queued behind them is not sent twice.
 */
public class ServerSessions {

    private static final Logger LOG = LoggerFactory.getLogger("org.lprgateway.outbox");
    private static final ObjectMapper JSON = new ObjectMapper();

    private long resendDelayMillis = 3000;
    private volatile String lastSession;
    private volatile long pendingCutoff;
    private volatile long dueAt;
    private volatile String cause = "";
    /** How long (ms) the most recently confirmed detection waited for its confirmation. */
    private volatile long confirmationLagMillis;

    public void setResendDelayMillis(long resendDelayMillis) {
        this.resendDelayMillis = resendDelayMillis;
    }

    /** The server's presence message (retained on lprserver/system/status). */
    public void status(String message) {
        String status;
        String session;
        try {
            JsonNode node = JSON.readTree(message);
            status = node.path("status").asText("");
            session = node.path("session").asText(null);
        } catch (Exception e) {
            LOG.debug("server status not read: {}", e.getMessage());
            return;
        }
        if (!"online".equals(status) || session == null || session.equals(lastSession)) {
            if ("offline".equals(status)) {
                LOG.warn("the server's MQTT connection is offline");
            }
            return;
        }
        boolean first = lastSession == null;
        lastSession = session;
        long now = System.currentTimeMillis();
        pendingCutoff = now;
        dueAt = now + resendDelayMillis;
        LOG.info("server MQTT session {}{}: detections sent over MQTT before it and not confirmed go again in {} ms", session,
                first ? " (first seen since start)" : " (new)", resendDelayMillis);
    }

    /**
     * A confirmation arrived for a detection published at {@code publishedAt} (epoch ms; null when
     * the detection was no longer waiting, such as a second confirmation).
     */
    public void confirmed(Long publishedAt) {
        if (publishedAt != null) {
            confirmationLagMillis = Math.max(0, System.currentTimeMillis() - publishedAt);
        }
    }

    /** How long the most recently confirmed detection waited for its confirmation (ms). */
    public long confirmationLagMillis() {
        return confirmationLagMillis;
    }

    /**
     * The publication time (epoch ms) before which unconfirmed detections go again now, or 0 for none.
     *
     * @param graceSeconds how long a detection may stay unconfirmed while the server is reachable
     * @param reachable    whether the server answers the network probe
     */
    public long cutoff(long graceSeconds, boolean reachable) {
        long now = System.currentTimeMillis();
        // the server behind by more than half the grace: wait twice its delay instead
        long waitMillis = Math.max(graceSeconds * 1000, 2 * confirmationLagMillis);
        long cutoff = reachable ? now - waitMillis : 0;
        cause = "unconfirmed for " + (waitMillis / 1000) + " s" + (waitMillis > graceSeconds * 1000
                ? ", twice the server's current confirmation delay" : "");
        long pending = pendingCutoff;
        if (pending > 0 && now >= dueAt) {
            pendingCutoff = 0;
            if (pending > cutoff) {
                cutoff = pending;
                cause = "sent before the server's new MQTT session " + lastSession;
            }
        }
        return cutoff;
    }

    /** Why the last {@link #cutoff} was taken, for the log line. */
    public String cause() {
        return cause;
    }
}
