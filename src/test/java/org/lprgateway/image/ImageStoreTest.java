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
}
