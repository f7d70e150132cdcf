package org.lprgateway.downlink;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CamerasTest {

    private final Cameras cameras = new Cameras();

    @Test
    void a_presence_message_is_online_or_offline_and_nothing_else() {
        assertThat(cameras.presenceOf("online")).isEqualTo("online");
        assertThat(cameras.presenceOf(" OFFLINE\n")).isEqualTo("offline");
        assertThat(cameras.presenceOf("")).isNull();
        assertThat(cameras.presenceOf(null)).isNull();
        assertThat(cameras.presenceOf("{\"status\":\"online\"}")).isNull();
    }

    @Test
    void the_camera_of_a_status_topic_is_its_third_level() {
        assertThat(cameras.cameraOf("lprserver/cameras/CAM001/status")).isEqualTo("CAM001");
        assertThat(cameras.valid("CAM001")).isTrue();
        assertThat(cameras.valid("CAM 1")).isFalse();
    }

    @Test
    void a_topic_level_that_is_not_a_camera_id_is_not_valid_and_not_printed() {
        for (String level : new String[] {"..", "<b>x</b>", "C".repeat(5000), "CAM\u202E1", "CAM..1"}) {
            String camera = cameras.cameraOf("lprserver/cameras/" + level + "/health");
            assertThat(cameras.valid(camera)).as(level).isFalse();
            assertThat(cameras.printable(camera)).isEqualTo("(invalid camera id)");
        }
        assertThat(cameras.printable("CAM001")).isEqualTo("CAM001");
    }

    @Test
    void a_cameras_last_contact_is_due_once_per_resolution() throws Exception {
        Cameras c = new Cameras();
        c.setLastSeenResolutionMillis(200);
        assertThat(c.contactDue("CAM001")).isTrue();
        assertThat(c.contactDue("CAM001")).isFalse();
        assertThat(c.contactDue("CAM002")).isTrue();
        Thread.sleep(250);
        assertThat(c.contactDue("CAM001")).isTrue();
        assertThat(c.contactDue("CAM001")).isFalse();
    }
}
