package org.lprgateway.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ImageCodecTest {

    @TempDir
    Path dir;

    private final ImageCodec codec = new ImageCodec();

    private Path jpeg(String name, int width, int height) throws IOException {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(new Color(30, 90, 160));
            g.fillRect(0, 0, width, height);
            g.setColor(Color.WHITE);
            g.fillRect(width / 4, height / 3, width / 2, height / 3);
        } finally {
            g.dispose();
        }
        return write(name, img);
    }

    private Path noisyJpeg(String name, int width, int height) throws IOException {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(42);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return write(name, img);
    }

    private Path write(String name, BufferedImage img) throws IOException {
        Path file = dir.resolve(name);
        assertThat(ImageIO.write(img, "jpg", file.toFile())).isTrue();
        return file;
    }

    private static byte[] payload(String dataUri) {
        assertThat(dataUri).startsWith("data:image/jpeg;base64,");
        return Base64.getDecoder().decode(dataUri.substring("data:image/jpeg;base64,".length()));
    }

    private static BufferedImage decoded(String dataUri) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(payload(dataUri)));
        assertThat(img).isNotNull();
        return img;
    }

    private static String formatName(byte[] bytes) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            assertThat(readers.hasNext()).isTrue();
            return readers.next().getFormatName();
        }
    }

    @Test
    void inlines_a_jpeg_file_as_a_jpeg_data_uri() throws IOException {
        String uri = codec.inline(jpeg("plate.jpg", 320, 240).toString());

        byte[] bytes = payload(uri);
        assertThat(formatName(bytes)).isEqualToIgnoringCase("jpeg");
        assertThat(bytes).startsWith((byte) 0xFF, (byte) 0xD8, (byte) 0xFF);
    }

    @Test
    void shrinks_a_wide_image_to_fit_640x480_keeping_its_aspect_ratio() throws IOException {
        BufferedImage img = decoded(codec.inline(jpeg("wide.jpg", 1920, 1080).toString()));

        assertThat(img.getWidth()).isEqualTo(640);
        assertThat(img.getHeight()).isEqualTo(360);
    }

    @Test
    void shrinks_a_tall_image_to_fit_640x480_keeping_its_aspect_ratio() throws IOException {
        BufferedImage img = decoded(codec.inline(jpeg("tall.jpg", 480, 1000).toString()));

        assertThat(img.getHeight()).isEqualTo(480);
        assertThat(img.getWidth()).isBetween(230, 231);
    }

    @Test
    void does_not_enlarge_an_image_that_already_fits() throws IOException {
        BufferedImage img = decoded(codec.inline(jpeg("small.jpg", 320, 240).toString()));

        assertThat(img.getWidth()).isEqualTo(320);
        assertThat(img.getHeight()).isEqualTo(240);
    }

    @Test
    void fits_the_configured_box() throws IOException {
        codec.setMaxWidth(100);
        codec.setMaxHeight(100);

        BufferedImage img = decoded(codec.inline(jpeg("wide.jpg", 1920, 1080).toString()));

        assertThat(img.getWidth()).isEqualTo(100);
        assertThat(img.getHeight()).isEqualTo(56);
    }

    @Test
    void lower_quality_gives_fewer_bytes_for_the_same_image() throws IOException {
        String path = noisyJpeg("noise.jpg", 400, 300).toString();
        ImageCodec low = new ImageCodec();
        low.setQuality(20);
        ImageCodec high = new ImageCodec();
        high.setQuality(95);

        byte[] lowBytes = payload(low.inline(path));
        byte[] highBytes = payload(high.inline(path));

        assertThat(lowBytes.length).isLessThan(highBytes.length);
    }

    @Test
    void missing_file_gives_no_image_and_is_counted_as_missing() {
        String uri = codec.inline(dir.resolve("gone.jpg").toString());

        assertThat(uri).isNull();
        assertThat(codec.getMissingCount()).isEqualTo(1);
        assertThat(codec.getUnreadableCount()).isZero();
    }

    @Test
    void file_that_is_not_an_image_gives_no_image_and_is_counted_as_unreadable() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.jpg"), "not an image, just some text\n");

        String uri = codec.inline(text.toString());

        assertThat(uri).isNull();
        assertThat(codec.getUnreadableCount()).isEqualTo(1);
        assertThat(codec.getMissingCount()).isZero();
    }

    @Test
    void no_path_gives_no_image_and_counts_nothing() {
        assertThat(codec.inline(null)).isNull();
        assertThat(codec.inline("")).isNull();
        assertThat(codec.inline("   ")).isNull();
        assertThat(codec.getMissingCount()).isZero();
        assertThat(codec.getUnreadableCount()).isZero();
    }

    @Test
    void puts_the_inline_image_into_the_message_data() throws IOException {
        Path file = jpeg("plate.jpg", 320, 240);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("license_plate", "ABC1234");
        data.put("image", null);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("table", "lpr_detection");
        message.put("data", data);

        Map<String, Object> result = codec.withInlineImage(message, file.toString());

        assertThat(result).isSameAs(message);
        assertThat((String) data.get("image")).isEqualTo(codec.inline(file.toString()));
        assertThat(decoded((String) data.get("image")).getWidth()).isEqualTo(320);
        assertThat(data).containsEntry("license_plate", "ABC1234");
    }

    @Test
    void leaves_the_message_image_empty_when_the_file_is_missing() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("image", "stale");
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("data", data);

        codec.withInlineImage(message, dir.resolve("gone.jpg").toString());

        assertThat(data).containsEntry("image", null);
    }
}
