package org.lprgateway.ops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The body of GET /api/websocket_unsent_data: the waiting rows of each table. */
public class UnsentReport {

    public Map<String, Object> of(List<?> detections, List<?> health) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "success");
        out.put("detection_results", detections);
        out.put("health_checks", health);
        return out;
    }
}
