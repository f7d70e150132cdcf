package org.lprgateway.downlink;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PendingRepliesTest {

    @Test
    void only_the_asked_camera_answers_on_the_response_topic_of_the_request_kind() throws Exception {
        PendingReplies replies = new PendingReplies();
        String id = (String) replies.control("CAM001", Map.of("command", "report_status")).get("message_id");
        Map<String, Object> answer = Map.of("message_id", id, "status", "success");

        assertThat(replies.complete("lprserver/cameras/CAM999/control/response", answer)).isFalse();
        assertThat(replies.complete("lprserver/cameras/CAM001/config/response", answer)).isFalse();
        assertThat(replies.complete("lprserver/cameras/CAM001/control/response", Map.of("message_id", "never-sent", "status", "success")))
                .isFalse();
        assertThat(replies.complete("lprserver/cameras/CAM001/control/response", answer)).isTrue();
        assertThat(replies.await(id, 1000)).isEqualTo(answer);
    }

    @Test
    void a_request_to_a_camera_that_never_answers_times_out_whatever_others_publish() {
        PendingReplies replies = new PendingReplies();
        String id = (String) replies.config("CAM404", Map.of("version", 1)).get("message_id");
        replies.complete("lprserver/cameras/CAM001/config/response", Map.of("message_id", id, "status", "applied"));
        assertThatThrownBy(() -> replies.await(id, 200)).isInstanceOf(TimeoutException.class);
    }

    @Test
    void a_command_carries_its_time_and_one_outside_the_window_is_stale() {
        Commands commands = new Commands();
        commands.setMaxAgeMillis(60_000);
        Map<String, Object> fresh = new PendingReplies().control("CAM001", Map.of("command", "report_status"));
        assertThat(commands.problem(fresh)).isNull();
        assertThat(commands.problem(Map.of("message_id", "a", "command", "report_status"))).contains("timestamp");
        assertThat(commands.problem(Map.of("message_id", "b", "command", "report_status",
                "timestamp", Instant.now().minusSeconds(120).toString()))).startsWith("stale command");
        assertThat(commands.problem(Map.of("message_id", "c", "command", "report_status",
                "timestamp", Instant.now().plusSeconds(120).toString()))).startsWith("stale command");
    }
}
