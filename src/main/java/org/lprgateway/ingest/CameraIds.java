package org.lprgateway.ingest;

import java.util.regex.Pattern;

/**
 * The one rule for a camera id, wherever it comes from: an MQTT topic level, a message's
 * {@code camera_id}, an API path, an image file name, the edge's own {@code camera.id}.
 *
 * <p>1 to 64 characters of {@code A-Z a-z 0-9 _ . -}, starting with a letter or digit, and no
 * {@code ..}: safe as a topic level (no wildcards, no separators), as a folder name (no hidden
 * folder, no parent reference), in HTML and in a log line.
 */
public final class CameraIds {

    public static final String RULE = "1-64 of A-Z a-z 0-9 _ . -, starting with a letter or digit, without '..'";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private CameraIds() {
    }

    public static boolean valid(String id) {
        return id != null && ID.matcher(id).matches() && !id.contains("..");
    }

    /**
     * @return the id when valid
     * @throws InvalidRecordException naming {@code field}; the refused value is not repeated (it may
     *         be thousands of characters, markup or control characters)
     */
    public static String check(Object id, String field) {
        if (!(id instanceof String s) || !valid(s)) {
            throw new InvalidRecordException(field, "not a valid camera id (" + RULE + ")");
        }
        return s;
    }
}
