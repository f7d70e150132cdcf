package org.lprgateway.support;

/** Reads one sample from a gateway's Prometheus text at /metrics. */
public final class Metrics {

    private Metrics() {
    }

    /**
     * @param series the metric name with its labels as they appear, e.g. {@code lpr_transport_sent_total{transport="rest"}};
     *               a label set may be given in part: every line starting with the name and containing each
     *               {@code key="value"} listed is summed
     * @return the value, or 0 when the series is absent
     */
    public static double value(int port, String name, String... labels) {
        String text = Http.get("http://127.0.0.1:" + port + "/metrics").body();
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            boolean all = true;
            for (String l : labels) {
                all &= line.contains(l);
            }
            if (all) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
