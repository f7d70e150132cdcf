package org.lprgateway.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inline images for the WebSocket transport (seed 003): the JPEG is shrunk to fit the configured
 * box, re-encoded at the configured quality and sent as {@code data:image/jpeg;base64,...}.
 * A missing or unreadable image never stops its record: the record travels with a null image and
 * the reason is counted and logged.
 */
public class ImageCodec {

    public static final String DATA_URI_PREFIX = "data:image/jpeg;base64,";

    private static final Logger LOG = LoggerFactory.getLogger(ImageCodec.class);

    private int maxWidth = 640;
    private int maxHeight = 480;
    private float quality = 0.75f;
    private final AtomicLong missing = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();

    public void setMaxWidth(int maxWidth) {
        this.maxWidth = maxWidth;
    }

    public void setMaxHeight(int maxHeight) {
        this.maxHeight = maxHeight;
    }

    /** JPEG quality in percent (1..100). */
    public void setQuality(int percent) {
        this.quality = Math.max(1, Math.min(100, percent)) / 100f;
    }

    public long getMissingCount() {
        return missing.get();
    }

    public long getUnreadableCount() {
        return unreadable.get();
    }

    private org.lprgateway.files.ImageFiles imageFiles;

    /** Confines image paths to the image folder; without it any readable path is used. */
    public void setImageFiles(org.lprgateway.files.ImageFiles imageFiles) {
        this.imageFiles = imageFiles;
    }

    /** @return the data URI of the shrunk image, or null when there is no usable image (reason logged) */
    public String inline(String imagePath) {
        if (imagePath == null || imagePath.isBlank()) {
            return null;
        }
        Path path;
        try {
            // confined to the image folder like the file routes
            path = imageFiles != null ? imageFiles.open(imagePath).toPath() : Path.of(imagePath);
        } catch (org.lprgateway.files.ImageRefusedException e) {
            missing.incrementAndGet();
            LOG.warn("image refused, record sent without it: path={} reason={}", imagePath, e.getMessage());
            return null;
        } catch (java.nio.file.InvalidPathException e) {
            unreadable.incrementAndGet();
            LOG.warn("image path invalid, record sent without it: path={} reason={}", imagePath, e.getMessage());
            return null;
        }
        if (!Files.isRegularFile(path)) {
            missing.incrementAndGet();
            LOG.warn("image missing, record sent without it: path={}", imagePath);
            return null;
        }
        try {
            BufferedImage src = read(path);
            if (src == null) {
                unreadable.incrementAndGet();
                LOG.warn("image unreadable (not an image format Java reads), record sent without it: path={}", imagePath);
                return null;
            }
            return DATA_URI_PREFIX + Base64.getEncoder().encodeToString(encode(fit(src)));
        } catch (IOException | RuntimeException e) {
            unreadable.incrementAndGet();
            LOG.warn("image unreadable, record sent without it: path={} reason={}", imagePath, e.toString());
            return null;
        }
    }

    /** Puts the inline image of {@code imagePath} into the seed 003 message's {@code data.image}. */
    @SuppressWarnings("unchecked")
    public java.util.Map<String, Object> withInlineImage(java.util.Map<String, Object> message, String imagePath) {
        if (message.get("data") instanceof java.util.Map<?, ?> data) {
            ((java.util.Map<String, Object>) data).put("image", inline(imagePath));
        }
        return message;
    }

    /**
     * Decodes the image, skipping pixels while decoding when it is at least twice the box in both
     * directions: a 1280x960 camera frame is read as 640x480 directly, which is several times
     * cheaper than decoding it whole and scaling it down.
     */
    BufferedImage read(Path path) throws IOException {
        try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(path.toFile())) {
            if (in == null) {
                return null;
            }
            Iterator<javax.imageio.ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return null;
            }
            javax.imageio.ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int step = Math.max(1, Math.min(reader.getWidth(0) / maxWidth, reader.getHeight(0) / maxHeight));
                javax.imageio.ImageReadParam param = reader.getDefaultReadParam();
                if (step > 1) {
                    param.setSourceSubsampling(step, step, 0, 0);
                }
                return reader.read(0, param);
            } finally {
                reader.dispose();
            }
        }
    }

    BufferedImage fit(BufferedImage src) {
        double scale = Math.min(1.0, Math.min((double) maxWidth / src.getWidth(), (double) maxHeight / src.getHeight()));
        if (scale == 1.0 && src.getType() == BufferedImage.TYPE_INT_RGB) {
            return src;
        }
        int w = Math.max(1, (int) Math.round(src.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(src.getHeight() * scale));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(src, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    byte[] encode(BufferedImage img) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new IOException("no JPEG writer available");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
