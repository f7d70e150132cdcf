package org.lprgateway.support;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.imageio.ImageIO;

/** Real JPEG files for tests. */
public final class Jpeg {

    private Jpeg() {
    }

    public static byte[] bytes(int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.DARK_GRAY);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.WHITE);
        g.fillRect(width / 4, height / 3, width / 2, height / 4);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "jpg", out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /**
     * A small JPEG (an 8x8 image, some hundreds of bytes) whose frame header declares
     * {@code width} x {@code height}: what a decompression bomb looks like before decoding.
     */
    public static byte[] declaring(int width, int height) {
        byte[] jpeg = bytes(8, 8);
        for (int i = 2; i + 9 < jpeg.length; i++) {
            // SOF0 or SOF2: marker, length (2), precision (1), height (2), width (2)
            if ((jpeg[i] & 0xFF) == 0xFF && ((jpeg[i + 1] & 0xFF) == 0xC0 || (jpeg[i + 1] & 0xFF) == 0xC2)) {
                jpeg[i + 5] = (byte) (height >> 8);
                jpeg[i + 6] = (byte) height;
                jpeg[i + 7] = (byte) (width >> 8);
                jpeg[i + 8] = (byte) width;
                return jpeg;
            }
        }
        throw new IllegalStateException("no frame header in the test JPEG");
    }

    public static Path write(Path file, int width, int height) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes(width, height));
    }

    public static BufferedImage read(Path file) throws IOException {
        return ImageIO.read(file.toFile());
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
