package org.lprgateway.files;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lprgateway.support.Jpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageFilesTest {

    private static final String ID = "0b1c2d3e-1111-4222-8333-444455556666";

    @TempDir
    Path dir;

    private Path images;
    private final ImageFiles files = new ImageFiles();

    @BeforeEach
    void folder() throws Exception {
        images = Files.createDirectories(dir.resolve("images"));
        files.setRoot(images.toString());
        files.setCameraId("CAM 7");
        files.setMaxBytes(5000);
    }

    private Map<String, Object> inspect(Object imagePath, String timestamp) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", 1);
        row.put("message_id", ID);
        row.put("image_path", imagePath);
        row.put("timestamp", timestamp);
        return files.inspect(List.of(row)).get(0);
    }

    @Test
    void an_image_inside_the_folder_is_pending_with_its_server_name_size_and_digest() throws Exception {
        Path jpeg = Jpeg.write(images.resolve("day/plate.jpg"), 40, 30);
        byte[] bytes = Files.readAllBytes(jpeg);
        for (Object path : List.of("day/plate.jpg", jpeg.toString())) {
            Map<String, Object> r = inspect(path, "2026-01-02T10:00:00.123");
            assertThat(r.get("state")).as(path.toString()).isEqualTo("pending");
            assertThat(r.get("file")).isEqualTo("CAM_7/2026-01-02/" + ID + ".jpg");
            assertThat(r.get("size")).isEqualTo((long) bytes.length);
            assertThat(r.get("sha256")).isEqualTo(Jpeg.sha256(bytes));
            assertThat(r.get("error")).isNull();
        }
        assertThat(inspect("day/plate.jpg", "yesterday").get("file")).isEqualTo("CAM_7/unknown-date/" + ID + ".jpg");
    }

    @Test
    void a_row_without_image_has_none() {
        assertThat(inspect(null, "2026-01-02T10:00:00").get("state")).isEqualTo("none");
        assertThat(inspect(" ", "2026-01-02T10:00:00").get("state")).isEqualTo("none");
    }

    @Test
    void paths_leaving_the_folder_and_broken_files_are_parked_with_their_reason() throws Exception {
        Path outside = Jpeg.write(dir.resolve("outside/secret.jpg"), 40, 30);
        Files.createSymbolicLink(images.resolve("link.jpg"), outside);
        Files.createFile(images.resolve("empty.jpg"));
        Files.writeString(images.resolve("text.jpg"), "hello");
        Jpeg.write(images.resolve("big.jpg"), 900, 700);
        Files.createDirectories(images.resolve("folder.jpg"));
        Map<String, String> expected = Map.of(
                "../outside/secret.jpg", "image path outside the image folder",
                outside.toString(), "image path outside the image folder",
                "link.jpg", "image path leads outside the image folder (symbolic link)",
                "missing.jpg", "image file missing",
                "empty.jpg", "image file empty",
                "text.jpg", "image file is not a JPEG",
                "big.jpg", "image file larger than 5000 bytes",
                "folder.jpg", "image path is not a regular file");
        expected.forEach((path, reason) -> {
            Map<String, Object> r = inspect(path, "2026-01-02T10:00:00");
            assertThat(r.get("state")).as(path).isEqualTo("parked");
            assertThat((String) r.get("error")).as(path).startsWith(reason);
            assertThat(r.get("sha256")).as(path).isNull();
            assertThat(r.get("file")).as(path).isNull();
        });
    }

    @Test
    void a_missing_image_folder_is_created_and_its_images_are_missing() {
        files.setRoot(dir.resolve("no-such-folder").toString());
        assertThat(inspect("plate.jpg", "2026-01-02T10:00:00")).containsEntry("state", "parked")
                .containsEntry("error", "image file missing: plate.jpg");
        assertThat(dir.resolve("no-such-folder")).isDirectory();
    }

    @Test
    void an_unreadable_image_folder_is_a_set_up_fault_that_parks_nothing() throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("file-not-folder"), "x");
        files.setRoot(notAFolder.resolve("images").toString());
        assertThatThrownBy(() -> files.open("plate.jpg")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("image folder");
    }
}
