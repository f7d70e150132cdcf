package org.lprgateway.files;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lprgateway.support.Jpeg;

import static org.assertj.core.api.Assertions.assertThat;

class SentImageRemoverTest {

    @TempDir
    Path dir;

    private Path images;
    private final SentImageRemover remover = new SentImageRemover();

    @BeforeEach
    void folder() throws Exception {
        images = Files.createDirectories(dir.resolve("images"));
        ImageFiles files = new ImageFiles();
        files.setRoot(images.toString());
        remover.setImageFiles(files);
    }

    private static Map<String, Object> row(Object path) {
        return Map.of("image_path", path);
    }

    @Test
    void sent_images_are_deleted_and_a_file_already_gone_counts_as_deleted() throws Exception {
        Path a = Jpeg.write(images.resolve("2026-01-01/a.jpg"), 40, 30);
        Path b = Jpeg.write(images.resolve("b.jpg"), 40, 30);
        long bytes = Files.size(a) + Files.size(b);

        Map<String, Object> out = remover.remove(List.of(row("2026-01-01/a.jpg"), row(b.toString()), row("gone.jpg"),
                // the same file named by a second plate of its camera row
                row("2026-01-01/a.jpg")));

        assertThat(out.get("deleted")).isEqualTo(List.of("2026-01-01/a.jpg", b.toString(), "gone.jpg"));
        assertThat(out.get("files")).isEqualTo(2L);
        assertThat(out.get("bytes")).isEqualTo(bytes);
        assertThat((List<?>) out.get("kept")).isEmpty();
        assertThat(a).doesNotExist();
        assertThat(b).doesNotExist();
        // folders stay: the camera may be writing into one
        assertThat(images.resolve("2026-01-01")).isDirectory();
    }

    @Test
    void a_path_leaving_the_image_folder_or_a_file_that_is_no_longer_a_jpeg_is_kept_with_its_reason() throws Exception {
        Path outside = Jpeg.write(dir.resolve("outside.jpg"), 40, 30);
        Path text = Files.writeString(images.resolve("replaced.jpg"), "not an image");

        Map<String, Object> out = remover.remove(List.of(row("../outside.jpg"), row(outside.toString()), row("replaced.jpg")));

        assertThat((List<?>) out.get("deleted")).isEmpty();
        assertThat(out.get("files")).isEqualTo(0L);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> kept = (List<Map<String, Object>>) out.get("kept");
        assertThat(kept).extracting(k -> k.get("image_path")).containsExactly("../outside.jpg", outside.toString(), "replaced.jpg");
        assertThat(kept).extracting(k -> (String) k.get("error")).allMatch(e -> e.startsWith("not deleted by retention: "));
        assertThat(kept.get(2).get("error").toString()).contains("not a JPEG");
        assertThat(outside).exists();
        assertThat(text).exists();
    }
}
