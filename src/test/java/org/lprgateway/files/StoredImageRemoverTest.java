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

class StoredImageRemoverTest {

    @TempDir
    Path dir;

    private Path originals;
    private Path previews;
    private final StoredImageRemover remover = new StoredImageRemover();

    @BeforeEach
    void folders() throws Exception {
        originals = Files.createDirectories(dir.resolve("server-images"));
        previews = Files.createDirectories(dir.resolve("server-previews"));
        remover.setImageDir(originals.toString());
        remover.setPreviewDir(previews.toString());
    }

    private static Map<String, Object> row(Object imageFile, Object imagePath) {
        Map<String, Object> r = new HashMap<>();
        r.put("image_file", imageFile);
        r.put("image_path", imagePath);
        return r;
    }

    @Test
    void the_original_and_the_preview_of_an_expired_record_are_deleted_and_missing_ones_are_no_error() throws Exception {
        Path original = Jpeg.write(originals.resolve("CAM001/2026-01-01/m1.jpg"), 40, 30);
        Path preview = Jpeg.write(previews.resolve("CP001/2026-01-01/m1.jpg"), 40, 30);

        long deleted = remover.remove(List.of(row("CAM001/2026-01-01/m1.jpg", preview.toString()),
                row("CAM001/2026-01-01/gone.jpg", null), row(null, null)));

        assertThat(deleted).isEqualTo(2);
        assertThat(original).doesNotExist();
        assertThat(preview).doesNotExist();
    }

    @Test
    void a_name_leading_outside_its_folder_is_never_followed() throws Exception {
        Path secret = Jpeg.write(dir.resolve("elsewhere/secret.jpg"), 40, 30);
        Files.createDirectories(originals.resolve("CAM001"));
        Files.createSymbolicLink(originals.resolve("CAM001/link.jpg"), secret);

        long deleted = remover.remove(List.of(row("../elsewhere/secret.jpg", secret.toString()),
                row("CAM001/link.jpg", null)));

        assertThat(deleted).isZero();
        assertThat(secret).exists();
    }
}
