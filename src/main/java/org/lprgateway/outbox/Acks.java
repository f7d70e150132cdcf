package org.lprgateway.outbox;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The acknowledgement of one outbox row as the batched UPDATE marks it: {@code id}, {@code via}
 * (the transport that delivered it) and {@code fallbacks} (the reasons of the transports tried
 * before it, or null), which the trace API shows.
 */
public class Acks {

    public Map<String, Object> ack(Object id, Object via, Object failures) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("via", via);
        String f = failures == null ? "" : failures.toString().strip();
        m.put("fallbacks", f.isEmpty() ? null : "delivered after: " + f);
        return m;
    }

    /** Whether a batch has anything to mark. */
    public boolean any(Object batch) {
        return batch instanceof Collection<?> c && !c.isEmpty();
    }
}
