package org.lprgateway.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogsTest {

    @Test
    void control_and_direction_characters_cannot_forge_or_hide_log_text() {
        assertThat(Logs.clean("ABC\n2026-01-01 INFO forged")).isEqualTo("ABC\\u000a2026-01-01 INFO forged");
        assertThat(Logs.clean("a\rb\u001b[31m")).isEqualTo("a\\u000db\\u001b[31m");
        assertThat(Logs.clean("\u202eCBA")).isEqualTo("\\u202eCBA");
        assertThat(Logs.clean("กข 1234")).isEqualTo("กข 1234");
        assertThat(Logs.clean(null)).isEqualTo("null");
        assertThat(Logs.clean("x".repeat(5000))).hasSize(203).endsWith("...");
    }
}
