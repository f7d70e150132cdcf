package org.lprgateway.transport;

/**
 * Walks a fallback chain written as a comma-separated list of transports
 * ({@code websocket,rest,mqtt}): the next transport to try after the given one.
 */
public class TransportChain {

    /** @return the first transport of the chain when {@code current} is null, the one after it otherwise, or null at the end */
    public String next(String chain, String current) {
        if (chain == null || chain.isBlank()) {
            return null;
        }
        String[] parts = chain.split(",");
        if (current == null || current.isBlank()) {
            return parts[0].strip();
        }
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts[i].strip().equals(current)) {
                return parts[i + 1].strip();
            }
        }
        return null;
    }

    /** The chain without one transport ({@code sftp,rsync} without rsync is {@code sftp}); may end empty. */
    public String without(String chain, String transport) {
        if (chain == null) {
            return "";
        }
        return java.util.Arrays.stream(chain.split(",")).map(String::strip)
                .filter(t -> !t.isEmpty() && !t.equals(transport))
                .collect(java.util.stream.Collectors.joining(","));
    }
}
