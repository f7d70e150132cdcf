package org.lprgateway.ingest;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IngestRepliesTest {

    private final IngestReplies replies = new IngestReplies();

    @Test
    void an_invalid_record_is_a_400_naming_the_field() {
        Map<String, Object> r = replies.error(new InvalidRecordException("data.confidence", "must be between 0 and 100"), "id-1");
        assertThat(r).containsEntry("status", "error").containsEntry("code", 400).containsEntry("reason", "invalid_record")
                .containsEntry("field", "data.confidence").containsEntry("message_id", "id-1");
        assertThat(replies.outcome(r)).isEqualTo(400);
    }

    @Test
    void a_conflicting_duplicate_is_a_409_even_when_wrapped() {
        Map<String, Object> r = replies.error(new RuntimeException("wrapped",
                new ConflictingDuplicateException("preview_sha256", "differs: another image")), "id-2");
        assertThat(r).containsEntry("status", "error").containsEntry("code", 409).containsEntry("reason", "duplicate_conflict")
                .containsEntry("field", "preview_sha256");
        assertThat(r.get("message").toString()).contains("already stored with different content");
        assertThat(replies.outcome(r)).isEqualTo(409);
    }

    @Test
    void anything_else_is_a_500_to_retry() {
        Map<String, Object> r = replies.error(new IllegalStateException("database locked"), null);
        assertThat(r).containsEntry("code", 500).containsEntry("reason", "internal_error").doesNotContainKey("message_id");
        assertThat(r.get("message").toString()).doesNotContain("database locked");
        assertThat(replies.outcome(r)).isEqualTo(500);
    }
}
