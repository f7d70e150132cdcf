package org.lprgateway.image;

import java.awt.Dimension;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Width and height an image declares in its header, read by the JPEG reader without decoding a
 * pixel: a few hundred bytes may declare 30000x30000, which would take gigabytes to decode.
 */
public final class JpegHeader {

    private JpegHeader() {
    }

    /** @return the declared size, or null when no JPEG reader can read the header */
    public static Dimension dimensions(byte[] jpeg) {
        try {
            return dimensions(new ByteArrayInputStream(jpeg));
        } catch (IOException e) {
            return null;
        }
    }

    /** @return the declared size of a file, or null when no JPEG reader can read its header */
    public static Dimension dimensions(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return dimensions(in);
        }
    }

    private static Dimension dimensions(InputStream source) throws IOException {
        // in memory: ImageIO's default stream would cache through a temporary file
        try (ImageInputStream in = new MemoryCacheImageInputStream(source)) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
            if (!readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return new Dimension(reader.getWidth(0), reader.getHeight(0));
            } catch (IOException | RuntimeException e) {
                return null;
            } finally {
                reader.dispose();
            }
        }
    }
}
