package org.lprgateway.ingest;

/**
 * Text from the network that ends up in the database, in API answers and in log lines: no control
 * characters (a newline would forge a log line, an escape sequence would drive a terminal), no
 * line or paragraph separators, and no bidirectional overrides or isolates (they make a plate or an
 * id read differently from what is stored).
 */
public final class SafeText {

    private SafeText() {
    }

    /** @return the first refused character of {@code s}, or -1 when there is none */
    public static int firstRefused(String s, boolean multiline) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (multiline && (c == '\n' || c == '\r' || c == '\t')) {
                continue;
            }
            if (Character.getType(c) == Character.CONTROL || refusedFormat(c)) {
                return c;
            }
        }
        return -1;
    }

    private static boolean refusedFormat(char c) {
        return c == '\u061C' || c == '\u200E' || c == '\u200F' || c == '\u2028' || c == '\u2029'
                || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
    }

    /**
     * @param multiline whether tab, CR and LF are allowed (free text such as a health message)
     * @throws InvalidRecordException naming {@code field} and the refused character's code point
     */
    public static String check(String s, String field, boolean multiline) {
        int bad = s == null ? -1 : firstRefused(s, multiline);
        if (bad >= 0) {
            throw new InvalidRecordException(field, String.format(
                    "control or bidirectional formatting character U+%04X is not allowed", bad));
        }
        return s;
    }
}
