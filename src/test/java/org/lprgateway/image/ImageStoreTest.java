package org.lprgateway.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lprgateway.ingest.InvalidRecordException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ImageStoreTest {

    private static final String MESSAGE_ID = "0b7e3a52-6c1f-4d2e-9a8b-3c4d5e6f7a8b";

    @TempDir
    Path root;

    private final ImageStore store = new ImageStore();

    private static byte[] image(String format) throws IOException {
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.ORANGE);
            g.fillRect(0, 0, 64, 48);
            g.setColor(Color.BLACK);
            g.drawString("ABC1234", 4, 28);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(img, format, out)).isTrue();
        return out.toByteArray();
    }

    private static String dataUri(byte[] bytes) {
        return ImageCodec.DATA_URI_PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    private static Map<String, Object> record(String checkpointId, String timestamp, String messageId) {
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("table", "lpr_detection");
        rec.put("message_id", messageId);
        rec.put("checkpoint_id", checkpointId);
        rec.put("timestamp", timestamp);
        rec.put("license_plate", "ABC1234");
        return rec;
    }

    private void assertRefused(Object image) {
        assertThatExceptionOfType(InvalidRecordException.class)
                .isThrownBy(() -> store.decode(image))
                .satisfies(e -> assertThat(e.getField()).isEqualTo("data.image"));
    }

    private List<Path> filesUnderRoot() throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void no_image_decodes_to_null() {
        assertThat(store.decode(null)).isNull();
        assertThat(store.decode("")).isNull();
        assertThat(store.decode("  ")).isNull();
    }

    @Test
    void decodes_a_jpeg_data_uri_to_the_exact_bytes() throws IOException {
        byte[] jpeg = image("jpg");

        assertThat(store.decode(dataUri(jpeg))).isEqualTo(jpeg);
    }

    @Test
    void refuses_an_image_with_another_prefix() throws IOException {
        String b64 = Base64.getEncoder().encodeToString(image("jpg"));

        assertRefused("data:image/png;base64," + b64);
        assertRefused(b64);
    }

    @Test
    void refuses_an_image_that_is_not_a_string() {
        assertRefused(Map.of("data", "x"));
        assertRefused(42);
    }

    @Test
    void refuses_invalid_base64() {
        assertRefused(ImageCodec.DATA_URI_PREFIX + "not base64!");
    }

    @Test
    void refuses_bytes_that_are_not_a_jpeg() throws IOException {
        assertRefused(dataUri(image("png")));
    }

    @Test
    void refuses_an_image_over_the_size_limit() throws IOException {
        byte[] jpeg = image("jpg");
        store.setMaxBytes(jpeg.length / 2);

        assertRefused(dataUri(jpeg));
    }

    @Test
    void saves_the_image_under_checkpoint_day_and_message_id_leaving_no_part_file() throws IOException {
        store.setRoot(root.toString());
        byte[] jpeg = image("jpg");

        String saved = store.save(record("CP001", "2025-03-01T08:15:30.123", MESSAGE_ID), jpeg);

        Path expected = root.resolve("CP001").resolve("2025-03-01").resolve(MESSAGE_ID + ".jpg");
        assertThat(Path.of(saved)).isEqualTo(expected);
        assertThat(Files.readAllBytes(expected)).isEqualTo(jpeg);
        assertThat(filesUnderRoot()).containsExactly(expected);
    }

    @Test
    void takes_the_day_from_a_timestamp_with_an_offset() throws IOException {
        store.setRoot(root.toString());

        String saved = store.save(record("CP001", "2024-01-15T23:30:00+07:00", MESSAGE_ID), image("jpg"));

        assertThat(Path.of(saved)).isEqualTo(root.resolve("CP001/2024-01-15/" + MESSAGE_ID + ".jpg"));
    }

    @Test
    void saving_the_same_record_twice_keeps_one_identical_file() throws IOException {
        store.setRoot(root.toString());
        byte[] jpeg = image("jpg");
        Map<String, Object> rec = record("CP001", "2025-03-01T08:15:30.123", MESSAGE_ID);

        String first = store.save(rec, jpeg);
        String second = store.save(rec, jpeg);

        assertThat(second).isEqualTo(first);
        assertThat(Files.readAllBytes(Path.of(second))).isEqualTo(jpeg);
        assertThat(filesUnderRoot()).containsExactly(Path.of(first));
    }

    @Test
    void record_without_image_writes_nothing() throws IOException {
        store.setRoot(root.toString());

        assertThat(store.save(record("CP001", "2025-03-01T08:15:30.123", MESSAGE_ID), null)).isNull();
        assertThat(filesUnderRoot()).isEmpty();
    }

    @Test
    void path_hostile_ids_stay_inside_the_root() throws IOException {
        Path imageRoot = root.resolve("images");
        store.setRoot(imageRoot.toString());
        byte[] jpeg = image("jpg");
        List<Map<String, Object>> records = List.of(
                record("../../etc", "2025-03-01T08:15:30", "a/b"),
                record("a/b", "2025-03-01T08:15:30", "../../etc/passwd"),
                record("..", "../../../x", ".."),
                record("", "", ""),
                record("/abs", "2025-03-01T08:15:30", "/tmp/x"));

        for (Map<String, Object> rec : records) {
            Path saved = Path.of(store.save(rec, jpeg)).toAbsolutePath().normalize();

            assertThat(saved).as("%s", rec).startsWith(imageRoot.toAbsolutePath().normalize());
            assertThat(Files.readAllBytes(saved)).isEqualTo(jpeg);
        }
        assertThat(filesUnderRoot()).hasSize(records.size())
                .allSatisfy(p -> assertThat(p.normalize()).startsWith(imageRoot));
    }

    @Test
    void refuses_a_small_jpeg_declaring_30000_by_30000_pixels_from_its_header() {
        byte[] bomb = org.lprgateway.support.Jpeg.declaring(30000, 30000);
        assertThat(bomb.length).isLessThan(2000);
        assertThat(JpegHeader.dimensions(bomb)).isEqualTo(new java.awt.Dimension(30000, 30000));

        assertThatExceptionOfType(InvalidRecordException.class)
                .isThrownBy(() -> store.decode(dataUri(bomb)))
                .satisfies(e -> assertThat(e.getField()).isEqualTo("data.image"))
                .withMessageContaining("30000x30000");
    }

    @Test
    void the_pixel_limits_are_settings_and_a_jpeg_within_them_passes() throws IOException {
        byte[] jpeg = image("jpg");
        store.setMaxWidth(64);
        store.setMaxHeight(48);
        assertThat(store.decode(dataUri(jpeg))).isEqualTo(jpeg);

        store.setMaxWidth(63);
        assertRefused(dataUri(jpeg));
        store.setMaxWidth(64);
        store.setMaxHeight(47);
        assertRefused(dataUri(jpeg));
    }

    @Test
    void refuses_a_jpeg_whose_header_cannot_be_read() {
        byte[] truncated = java.util.Arrays.copyOf(org.lprgateway.support.Jpeg.bytes(8, 8), 20);
        assertRefused(dataUri(truncated));
    }

    @Test
    void a_staged_image_takes_its_final_name_only_when_committed() throws IOException {
        store.setRoot(root.toString());
        byte[] jpeg = image("jpg");
        Map<String, Object> rec = record("CP001", "2025-03-01T08:15:30", MESSAGE_ID);
        rec.put("image", dataUri(jpeg));

        store.stageInline(rec);

        Path target = root.resolve("CP001/2025-03-01/" + MESSAGE_ID + ".jpg");
        assertThat(rec).containsEntry("image_path", target.toString()).doesNotContainKey("image");
        assertThat(rec.get("preview_sha256")).isEqualTo(org.lprgateway.support.Jpeg.sha256(jpeg));
        assertThat(target).doesNotExist();
        store.commit((String) rec.get("preview_staged"), (String) rec.get("image_path"));
        assertThat(Files.readAllBytes(target)).isEqualTo(jpeg);
        assertThat(filesUnderRoot()).containsExactly(target);
    }

    @Test
    void a_discarded_staged_image_leaves_the_stored_one_untouched() throws IOException {
        store.setRoot(root.toString());
        byte[] first = image("jpg");
        Map<String, Object> stored = record("CP001", "2025-03-01T08:15:30", MESSAGE_ID);
        stored.put("image", dataUri(first));
        store.stageInline(stored);
        store.commit((String) stored.get("preview_staged"), (String) stored.get("image_path"));

        Map<String, Object> other = record("CP001", "2025-03-01T08:15:30", MESSAGE_ID);
        other.put("image", dataUri(org.lprgateway.support.Jpeg.bytes(32, 32)));
        store.stageInline(other);
        store.discard((String) other.get("preview_staged"));

        Path target = Path.of((String) stored.get("image_path"));
        assertThat(Files.readAllBytes(target)).isEqualTo(first);
        assertThat(filesUnderRoot()).containsExactly(target);
    }

    @Test
    void a_record_without_image_stages_nothing() throws IOException {
        store.setRoot(root.toString());
        Map<String, Object> rec = record("CP001", "2025-03-01T08:15:30", MESSAGE_ID);
        rec.put("image", null);

        store.stageInline(rec);
        store.commit((String) rec.get("preview_staged"), (String) rec.get("image_path"));
        store.discard((String) rec.get("preview_staged"));

        assertThat(rec).containsEntry("image_path", null).containsEntry("preview_sha256", null);
        assertThat(filesUnderRoot()).isEmpty();
    }
}
