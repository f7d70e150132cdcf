package org.lprgateway.files;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lprgateway.support.Jpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageInboxTest {

    private static final String ID = "0b1c2d3e-1111-4222-8333-444455556666";
    private static final String NAME = "CAM001/2026-01-02/" + ID + ".jpg";

    @TempDir
    Path dir;

    private final ImageInbox inbox = new ImageInbox();

    @BeforeEach
    void folders() {
        inbox.setRoot(dir.resolve("images").toString());
        inbox.setInbox(dir.resolve("upload").toString());
    }

    private byte[] upload(String name, byte[] content) throws Exception {
        Path p = dir.resolve("upload").resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, content);
        return content;
    }

    @Test
    void an_upload_is_moved_to_its_name_under_the_image_folder_with_its_digest() throws Exception {
        byte[] jpeg = upload(NAME, Jpeg.bytes(40, 30));
        Map<String, Object> r = inbox.accept(NAME);
        assertThat(r).containsEntry("message_id", ID).containsEntry("image_file", NAME)
                .containsEntry("sha256", Jpeg.sha256(jpeg)).containsEntry("size", (long) jpeg.length);
        assertThat(dir.resolve("images").resolve(NAME)).hasBinaryContent(jpeg);
        assertThat(dir.resolve("upload").resolve(NAME)).doesNotExist();
        assertThat(inbox.stateOf(NAME, Jpeg.sha256(jpeg))).isEqualTo("received");
        assertThat(inbox.stateOf(NAME, "0".repeat(64))).isEqualTo("mismatch");
        assertThat(inbox.stateOf("CAM001/2026-01-02/1b1c2d3e-1111-4222-8333-444455556666.jpg", Jpeg.sha256(jpeg))).isEqualTo("awaiting");
    }

    @Test
    void the_same_file_received_twice_leaves_one_identical_copy() throws Exception {
        byte[] jpeg = upload(NAME, Jpeg.bytes(40, 30));
        inbox.accept(NAME);
        upload(NAME, jpeg);
        inbox.accept(NAME);
        assertThat(dir.resolve("images").resolve(NAME)).hasBinaryContent(jpeg);
        try (var all = Files.walk(dir.resolve("images"))) {
            assertThat(all.filter(Files::isRegularFile).count()).isEqualTo(1);
        }
    }

    @Test
    void a_foreign_name_or_a_non_jpeg_goes_aside_with_its_reason() throws Exception {
        upload("CAM001/2026-01-02/not-an-id.jpg", Jpeg.bytes(40, 30));
        assertThatThrownBy(() -> inbox.accept("CAM001/2026-01-02/not-an-id.jpg"))
                .isInstanceOf(ImageRefusedException.class).hasMessageContaining("name is not");
        upload(NAME, "plain text".getBytes());
        assertThatThrownBy(() -> inbox.accept(NAME)).isInstanceOf(ImageRefusedException.class).hasMessage("not a JPEG");
        assertThat(dir.resolve("upload/.rejected/CAM001_2026-01-02_" + ID + ".jpg")).exists();
        assertThat(dir.resolve("upload/.rejected/CAM001_2026-01-02_not-an-id.jpg")).exists();
        assertThat(dir.resolve("images")).doesNotExist();
    }

    @Test
    void a_jpeg_declaring_more_pixels_than_allowed_goes_aside_undecoded() throws Exception {
        upload(NAME, Jpeg.declaring(30000, 30000));
        assertThatThrownBy(() -> inbox.accept(NAME)).isInstanceOf(ImageRefusedException.class).hasMessageContaining("30000x30000");
        assertThat(dir.resolve("images").resolve(NAME)).doesNotExist();
        assertThat(dir.resolve("upload/.rejected").resolve(NAME.replace('/', '_'))).exists();
    }

    @Test
    void a_name_whose_camera_id_holds_two_dots_goes_aside() throws Exception {
        String name = "CAM..1/2026-01-02/" + ID + ".jpg";
        upload(name, Jpeg.bytes(40, 30));
        assertThatThrownBy(() -> inbox.accept(name)).isInstanceOf(ImageRefusedException.class).hasMessageContaining("camera id");
    }

    @Test
    void another_file_under_the_name_of_a_received_image_is_refused_and_the_first_stays() throws Exception {
        byte[] first = upload(NAME, Jpeg.bytes(40, 30));
        inbox.accept(NAME);
        upload(NAME, Jpeg.bytes(48, 32));
        assertThatThrownBy(() -> inbox.accept(NAME)).isInstanceOf(ImageRefusedException.class).hasMessageContaining("first one stays");
        assertThat(dir.resolve("images").resolve(NAME)).hasBinaryContent(first);
    }
}
