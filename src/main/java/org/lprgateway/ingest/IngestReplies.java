package org.lprgateway.ingest;

import java.util.LinkedHashMap;
import java.util.Map;

/** The acknowledgement and error replies of every ingest transport (seed 003 shape). */
public class IngestReplies {

    /** @param duplicate the message_id was already stored: nothing new was written */
    public Map<String, Object> stored(Number recordId, String table, boolean duplicate, String messageId) {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("status", "success");
        reply.put("message", duplicate ? "Already stored: duplicate ignored" : "Data saved successfully");
        reply.put("record_id", recordId);
        reply.put("table", table);
        reply.put("action", "insert");
        // beyond seed 003: lets a sender with many messages in flight match the acknowledgement
        reply.put("message_id", messageId);
        return reply;
    }

    public Map<String, Object> error(Throwable failure, String messageId) {
        Throwable cause = failure;
        while (cause.getCause() != null && !(cause instanceof InvalidRecordException)
                && !(cause instanceof RetryLaterException)
                && !(cause instanceof ConflictingDuplicateException)
                && !(cause instanceof com.fasterxml.jackson.core.JsonProcessingException)) {
            cause = cause.getCause();
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("status", "error");
        if (messageId != null && !messageId.isBlank()) {
            reply.put("message_id", messageId);
        }
        // code: 400 the record is invalid and must not be sent again unchanged; 409 its message_id
        // is stored with other content (never resend it); 500 try again later. reason: the same, for programs
        if (cause instanceof InvalidRecordException invalid) {
            reply.put("message", invalid.getMessage());
            reply.put("field", invalid.getField());
            reply.put("code", 400);
            reply.put("reason", "invalid_record");
        } else if (cause instanceof ConflictingDuplicateException conflict) {
            reply.put("message", conflict.getMessage());
            reply.put("field", conflict.getField());
            reply.put("code", 409);
            reply.put("reason", "duplicate_conflict");
        } else if (cause instanceof com.fasterxml.jackson.core.JsonProcessingException json) {
            reply.put("message", "malformed JSON: " + json.getOriginalMessage());
            reply.put("code", 400);
            reply.put("reason", "malformed_json");
        } else if (cause instanceof RetryLaterException later) {
            reply.put("message", later.getMessage());
            reply.put("code", 500);
            reply.put("reason", "retry_later");
        } else {
            reply.put("message", "internal error: record not stored, try again later");
            reply.put("code", 500);
            reply.put("reason", "internal_error");
        }
        return reply;
    }

    /** The HTTP-style outcome of a failed ingest: 400, 409 or 500, as {@link #error} reports it. */
    public int outcome(Map<String, Object> errorReply) {
        return errorReply.get("code") instanceof Number n ? n.intValue() : 500;
    }
}
