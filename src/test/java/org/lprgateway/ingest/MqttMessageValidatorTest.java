package org.lprgateway.ingest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class MqttMessageValidatorTest {

    private final MqttMessageValidator validator = new MqttMessageValidator();

    /** A health report as the edge publishes it. */
    private static Map<String, Object> health() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("cpu_usage", 45.2);
        details.put("memory_usage", 67.8);
        details.put("disk_usage", 23.1);
        details.put("temperature", null);
        details.put("uptime_seconds", 86400);
        details.put("network_status", "connected");
        details.put("camera_status", "active");
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("level", "warning");
        alert.put("message", "High CPU usage detected");
        alert.put("timestamp", "2024-01-15T10:30:00Z");
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("message_id", "0b7e3a52-6c1f-4d2e-9a8b-3c4d5e6f7a8b");
        msg.put("timestamp", "2024-01-15T10:30:00Z");
        msg.put("camera_id", "CAM001");
        msg.put("health_status", "degraded");
        msg.put("health_details", details);
        msg.put("alerts", new ArrayList<>(List.of(alert)));
        return msg;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> details(Map<String, Object> msg) {
        return (Map<String, Object>) msg.get("health_details");
    }

    private void assertRefusedNaming(String kind, Object msg, String topicCamera, String field) {
        assertThatExceptionOfType(InvalidRecordException.class)
                .isThrownBy(() -> validator.check(kind, msg, topicCamera))
                .satisfies(e -> assertThat(e.getField()).isEqualTo(field));
    }

    @Test
    void accepts_the_edges_health_report() {
        Map<String, Object> msg = health();
        assertThat(validator.check("health", msg, "CAM001")).isSameAs(msg);
    }

    @Test
    void refuses_a_topic_level_that_is_not_a_camera_id() {
        for (String topicCamera : List.of("..", "<img src=x onerror=alert(1)>", "C".repeat(5000), "CAM\u202E1", "")) {
            Map<String, Object> msg = health();
            msg.remove("camera_id");
            assertRefusedNaming("health", msg, topicCamera, "topic");
            assertRefusedNaming("detection", Map.of("timestamp", "x"), topicCamera, "topic");
        }
    }

    @Test
    void a_camera_id_in_the_message_must_be_valid_and_the_topics() {
        Map<String, Object> msg = health();
        msg.put("camera_id", "CAM002");
        assertRefusedNaming("health", msg, "CAM001", "camera_id");
        msg.put("camera_id", "../CAM001");
        assertRefusedNaming("detection", msg, "CAM001", "camera_id");
        msg.put("camera_id", 7);
        assertRefusedNaming("detection", msg, "CAM001", "camera_id");
    }

    @Test
    void refuses_a_message_that_is_not_an_object() {
        assertRefusedNaming("health", List.of(1), "CAM001", null);
        assertRefusedNaming("detection", "text", "CAM001", null);
    }

    @Test
    void refuses_garbage_health_reports() {
        Map<String, Object> noStatus = health();
        noStatus.remove("health_status");
        assertRefusedNaming("health", noStatus, "CAM001", "health_status");

        Map<String, Object> html = health();
        html.put("health_status", "<script>alert(1)</script>");
        assertRefusedNaming("health", html, "CAM001", "health_status");

        Map<String, Object> detailsText = health();
        detailsText.put("health_details", "all good");
        assertRefusedNaming("health", detailsText, "CAM001", "health_details");

        Map<String, Object> cpuText = health();
        details(cpuText).put("cpu_usage", "45%");
        assertRefusedNaming("health", cpuText, "CAM001", "health_details.cpu_usage");

        Map<String, Object> diskOver = health();
        details(diskOver).put("disk_usage", 250);
        assertRefusedNaming("health", diskOver, "CAM001", "health_details.disk_usage");

        Map<String, Object> negativeUptime = health();
        details(negativeUptime).put("uptime_seconds", -1);
        assertRefusedNaming("health", negativeUptime, "CAM001", "health_details.uptime_seconds");

        Map<String, Object> alertsText = health();
        alertsText.put("alerts", "none");
        assertRefusedNaming("health", alertsText, "CAM001", "alerts");

        Map<String, Object> alertLevel = health();
        alertLevel.put("alerts", List.of(Map.of("level", "panic", "message", "x")));
        assertRefusedNaming("health", alertLevel, "CAM001", "alerts[0].level");

        Map<String, Object> alertNoMessage = health();
        alertNoMessage.put("alerts", List.of(Map.of("level", "error")));
        assertRefusedNaming("health", alertNoMessage, "CAM001", "alerts[0].message");
    }

    @Test
    void refuses_control_characters_anywhere_in_a_health_report() {
        Map<String, Object> msg = health();
        details(msg).put("camera_status", "active\u001B[2J");
        assertRefusedNaming("health", msg, "CAM001", "health report");
    }

    @Test
    void refuses_a_health_report_larger_than_the_limit() {
        validator.setMaxBytes(1024);
        Map<String, Object> msg = health();
        details(msg).put("dump", "x".repeat(1024));
        assertThatExceptionOfType(InvalidRecordException.class)
                .isThrownBy(() -> validator.check("health", msg, "CAM001"))
                .withMessageContaining("larger than 1024 bytes");
    }

    @Test
    void a_detection_is_left_to_the_record_validator_beyond_its_camera_ids() {
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("camera_id", "CAM001");
        msg.put("detection_data", Map.of());
        assertThat(validator.check("detection", msg, "CAM001")).isSameAs(msg);
    }
}
