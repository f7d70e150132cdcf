package org.lprgateway.files;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pending images of one poll that share a fallback chain ({@code sftp,rsync} or {@code rsync,sftp}),
 * and what became of each: sent (by which transport), failed (with the reasons per transport) or
 * parked (can never be sent as it is). The file routes walk the chain with the images not yet sent.
 */
public class ImageBatch {

    private final String chain;
    private final List<Map<String, Object>> rows = new ArrayList<>();
    private final Map<Object, String> sentBy = new LinkedHashMap<>();
    private final Map<Object, String> failures = new LinkedHashMap<>();
    private final Map<Object, String> parked = new LinkedHashMap<>();
    private Path stage;

    public ImageBatch(String chain) {
        this.chain = chain;
    }

    public String getChain() {
        return chain;
    }

    public List<Map<String, Object>> getRows() {
        return rows;
    }

    void add(Map<String, Object> row) {
        rows.add(row);
    }

    /** Rows neither sent nor parked yet. */
    public List<Map<String, Object>> remaining() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Object id = row.get("id");
            if (!sentBy.containsKey(id) && !parked.containsKey(id)) {
                out.add(row);
            }
        }
        return out;
    }

    public void sent(Object id, String transport) {
        sentBy.put(id, transport);
    }

    public void fail(Object id, String transport, String reason) {
        failures.merge(id, "[" + transport + "] " + reason, (a, b) -> a + " " + b);
    }

    public void park(Object id, String reason) {
        parked.put(id, reason);
    }

    public Map<Object, String> getSentBy() {
        return sentBy;
    }

    public Map<Object, String> getParked() {
        return parked;
    }

    public Map<Object, String> getFailures() {
        return failures;
    }

    /** Staging folder of the rsync call in progress, if any. */
    public Path getStage() {
        return stage;
    }

    public void setStage(Path stage) {
        this.stage = stage;
    }
}
