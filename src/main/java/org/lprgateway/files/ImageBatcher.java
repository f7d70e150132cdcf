package org.lprgateway.files;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.lprgateway.outbox.Backoff;
import org.lprgateway.transport.TransportChain;

/**
 * Groups the pending images of one poll by the fallback chain the router chose for each (exchange
 * property {@code fileChain}), so that rsync moves many files per call; and reads and updates an
 * {@link ImageBatch} for the file routes.
 */
public class ImageBatcher implements AggregationStrategy {

    private final TransportChain chains = new TransportChain();
    private Backoff backoff = new Backoff();

    /** The retry delay rule of the outbox, for images that no transport delivered. */
    public void setBackoff(Backoff backoff) {
        this.backoff = backoff;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        Exchange result = oldExchange != null ? oldExchange : newExchange;
        List<ImageBatch> batches = oldExchange != null ? oldExchange.getIn().getBody(List.class) : new ArrayList<>();
        String chain = newExchange.getProperty("fileChain", "", String.class);
        Map<String, Object> row = newExchange.getIn().getBody(Map.class);
        ImageBatch batch = null;
        for (ImageBatch b : batches) {
            if (b.getChain().equals(chain)) {
                batch = b;
            }
        }
        if (batch == null) {
            batch = new ImageBatch(chain);
            batches.add(batch);
        }
        batch.add(row);
        result.getIn().setBody(batches);
        return result;
    }

    public List<Map<String, Object>> remaining(ImageBatch batch) {
        return batch.remaining();
    }

    /** The transport after {@code current} in the batch's chain while images remain, else null. */
    public String next(ImageBatch batch, String current) {
        return batch.remaining().isEmpty() ? null : chains.next(batch.getChain(), current);
    }

    public void sent(ImageBatch batch, Object id, String transport) {
        batch.sent(id, transport);
    }

    /** Every remaining image went by one call of {@code transport}; returns how many. */
    public int sentAll(ImageBatch batch, String transport) {
        List<Map<String, Object>> rows = batch.remaining();
        rows.forEach(r -> batch.sent(r.get("id"), transport));
        return rows.size();
    }

    /** Bytes of the images of the batch sent by {@code transport}. */
    public long bytesSent(ImageBatch batch, String transport) {
        long bytes = 0;
        for (Map<String, Object> row : batch.getRows()) {
            if (transport.equals(batch.getSentBy().get(row.get("id"))) && row.get("image_size") instanceof Number n) {
                bytes += n.longValue();
            }
        }
        return bytes;
    }

    public void fail(ImageBatch batch, Object id, String transport, String reason) {
        batch.fail(id, transport, reason == null ? "failed" : reason);
    }

    public void failAll(ImageBatch batch, String transport, String reason) {
        batch.remaining().forEach(r -> batch.fail(r.get("id"), transport, reason == null ? "failed" : reason));
    }

    public void park(ImageBatch batch, Object id, String reason) {
        batch.park(id, reason);
    }

    /** {@code id}, {@code transport} of each sent image, for a batched UPDATE; null when none. */
    public List<Map<String, Object>> sentRows(ImageBatch batch) {
        List<Map<String, Object>> out = new ArrayList<>();
        batch.getSentBy().forEach((id, transport) -> out.add(row(id, "transport", transport)));
        return out.isEmpty() ? null : out;
    }

    /** {@code id}, {@code error}, {@code message_id} of each parked image; null when none. */
    public List<Map<String, Object>> parkedRows(ImageBatch batch) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : batch.getRows()) {
            String reason = batch.getParked().get(r.get("id"));
            if (reason != null) {
                Map<String, Object> m = row(r.get("id"), "error", reason);
                m.put("message_id", r.get("message_id"));
                out.add(m);
            }
        }
        return out.isEmpty() ? null : out;
    }

    /**
     * {@code id}, {@code error}, {@code message_id} and {@code delay} (ms until the next attempt, by
     * the outbox's backoff rule) of each image no transport delivered; null when none.
     */
    public List<Map<String, Object>> failedRows(ImageBatch batch) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : batch.remaining()) {
            String reason = batch.getFailures().getOrDefault(r.get("id"), "no file transport available (chain '" + batch.getChain() + "')");
            Map<String, Object> m = row(r.get("id"), "error", reason);
            m.put("message_id", r.get("message_id"));
            m.put("delay", backoff.delayMillis(r.get("image_attempts") instanceof Number n ? n.intValue() : 0));
            out.add(m);
        }
        return out.isEmpty() ? null : out;
    }

    private static Map<String, Object> row(Object id, String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put(key, value);
        return m;
    }
}
