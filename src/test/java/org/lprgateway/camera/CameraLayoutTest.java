package org.lprgateway.camera;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** Layout choice against the shipped layouts in routes/camera. */
class CameraLayoutTest {

    private static final Path SHIPPED = Path.of("routes/camera");

    private static Map<String, Set<String>> flatDatabase() {
        return Map.of("detection_results", Set.of("id", "license_plate", "confidence", "checkpoint_id", "timestamp",
                        "hostname", "vehicle_type", "vehicle_color", "latitude", "longitude", "image_path",
                        "exposure_time", "analog_gain", "lux", "sent_to_server"),
                "health_checks", Set.of("id", "checkpoint_id", "hostname", "timestamp", "component", "status", "message",
                        "system_info", "sent_to_server"));
    }

    private static Map<String, Set<String>> cameraAppDatabase() {
        return Map.of("detection_results", Set.of("id", "timestamp", "vehicles_count", "plates_count", "ocr_results",
                        "original_image_path", "vehicle_detections", "plate_detections", "processing_time_ms", "created_at",
                        "sent_to_server", "sent_at", "server_response", "hailo_ocr_results", "best_ocr_method"),
                "health_checks", Set.of("id", "timestamp", "component", "status", "message", "details", "created_at",
                        "sent_to_server", "sent_at", "server_response"));
    }

    @Test
    void auto_detects_each_shipped_layout_from_its_columns() throws Exception {
        Map<String, Set<String>> layouts = CameraLayout.layouts(SHIPPED);

        assertThat(layouts).containsOnlyKeys("flat", "ocr-json");
        assertThat(CameraLayout.choose(layouts, flatDatabase(), "auto")).isEqualTo("flat");
        assertThat(CameraLayout.choose(layouts, cameraAppDatabase(), "auto")).isEqualTo("ocr-json");
    }

    @Test
    void an_explicit_layout_wins_but_must_fit() throws Exception {
        Map<String, Set<String>> layouts = CameraLayout.layouts(SHIPPED);

        assertThat(CameraLayout.choose(layouts, cameraAppDatabase(), "ocr-json")).isEqualTo("ocr-json");
        assertThatIllegalStateException().isThrownBy(() -> CameraLayout.choose(layouts, cameraAppDatabase(), "flat"))
                .withMessageContaining("does not fit camera.layout 'flat'")
                .withMessageContaining("detection_results.license_plate");
        assertThatIllegalStateException().isThrownBy(() -> CameraLayout.choose(layouts, cameraAppDatabase(), "v9"))
                .withMessageContaining("not a layout");
    }

    @Test
    void no_fit_names_the_missing_columns_of_every_layout() throws Exception {
        Map<String, Set<String>> db = Map.of("detection_results", Set.of("id", "plate", "sent_to_server"),
                "health_checks", Set.of());

        assertThatIllegalStateException().isThrownBy(() -> CameraLayout.choose(CameraLayout.layouts(SHIPPED), db, "auto"))
                .withMessageContaining("layout 'flat' needs table health_checks, detection_results.license_plate")
                .withMessageContaining("layout 'ocr-json' needs table health_checks, detection_results.timestamp");
    }
}
