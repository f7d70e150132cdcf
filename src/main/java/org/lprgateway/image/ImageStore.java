package org.lprgateway.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.Map;

import org.lprgateway.ingest.InvalidRecordException;

/**
 * Server side of inline images: decodes {@code data.image}, checks that it is a JPEG within the
 * size limit whose header declares no more than the allowed width and height (read from the header
 * alone, nothing is decoded), and writes it as {@code <root>/<checkpoint_id>/<yyyy-mm-dd>/<message_id>.jpg}
 * (under a temporary name, then renamed, so a partial file never has the final name).
 *
 * <p>Storing a record is two steps, so that a duplicate never replaces the image of the record
 * already stored: {@link #stageInline} writes the temporary file before the insert, and
 * {@link #commit} renames it once the insert took the record ({@link #discard} otherwise).
 */
public class ImageStore {

    private String root = "data/server-images";
    private int maxBytes = 2 * 1024 * 1024;
    private int maxWidth = 8192;
    private int maxHeight = 8192;

    public void setMaxWidth(int maxWidth) {
        this.maxWidth = maxWidth;
    }

    public void setMaxHeight(int maxHeight) {
        this.maxHeight = maxHeight;
    }

    public void setRoot(String root) {
        this.root = root;
    }

    public void setMaxBytes(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Checks the inline image of a message, if any. Called before anything is stored so that a
     * bad image refuses the record with the field named.
     *
     * @return the decoded JPEG bytes, or null when the message carries no image
     */
    public byte[] decode(Object image) {
        if (image == null || (image instanceof String s && s.isBlank())) {
            return null;
        }
        if (!(image instanceof String text)) {
            throw new InvalidRecordException("data.image", "must be a data URI string");
        }
        String b64 = text.startsWith(ImageCodec.DATA_URI_PREFIX) ? text.substring(ImageCodec.DATA_URI_PREFIX.length()) : null;
        if (b64 == null) {
            throw new InvalidRecordException("data.image", "must start with " + ImageCodec.DATA_URI_PREFIX);
        }
        // decoded size is known from the text length; refuse before decoding anything too large
        if (b64.length() / 4L * 3 - 2 > maxBytes) {
            throw new InvalidRecordException("data.image", "larger than " + maxBytes + " bytes");
        }
        byte[] jpeg;
        try {
            jpeg = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new InvalidRecordException("data.image", "not valid base64");
        }
        if (jpeg.length > maxBytes) {
            throw new InvalidRecordException("data.image", "larger than " + maxBytes + " bytes");
        }
        if (!org.lprgateway.files.ImageFiles.looksLikeJpeg(jpeg, jpeg.length)) {
            throw new InvalidRecordException("data.image", "not a JPEG");
        }
        java.awt.Dimension size = JpegHeader.dimensions(jpeg);
        if (size == null) {
            throw new InvalidRecordException("data.image", "JPEG header unreadable");
        }
        if (size.width > maxWidth || size.height > maxHeight || size.width < 1 || size.height < 1) {
            throw new InvalidRecordException("data.image", "declares " + size.width + "x" + size.height
                    + " pixels, more than " + maxWidth + "x" + maxHeight + " allowed");
        }
        return jpeg;
    }

    /**
     * Checks the inline image of a validated record and writes it under a temporary name beside its
     * final one, replacing the record's {@code image} entry with {@code image_path} (the final name),
     * {@code preview_sha256} and {@code preview_staged} (the temporary file); all null without an image.
     *
     * @throws InvalidRecordException naming {@code data.image} when the image is not acceptable
     */
    public Map<String, Object> stageInline(Map<String, Object> record) throws IOException {
        byte[] jpeg = decode(record.remove("image"));
        record.put("image_path", null);
        record.put("preview_sha256", null);
        record.put("preview_staged", null);
        if (jpeg != null) {
            Path target = target(record);
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
            Files.write(tmp, jpeg);
            record.put("image_path", target.toString());
            record.put("preview_sha256", sha256(jpeg));
            record.put("preview_staged", tmp.toString());
        }
        return record;
    }

    /** Gives a staged image its final name (the record was stored); nothing when there is none. */
    public void commit(String staged, String imagePath) throws IOException {
        if (staged != null && imagePath != null) {
            Files.move(Path.of(staged), Path.of(imagePath), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** Removes a staged image that was not committed (a duplicate, a refusal, a failure); nothing when there is none. */
    public void discard(String staged) throws IOException {
        if (staged != null) {
            Files.deleteIfExists(Path.of(staged));
        }
    }

    static String sha256(byte[] data) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the image of a validated record; returns its path, or null when the record has none. */
    public String save(Map<String, Object> record, byte[] jpeg) throws IOException {
        if (jpeg == null) {
            return null;
        }
        Path target = target(record);
        Path dir = target.getParent();
        Files.createDirectories(dir);
        // unique per call: a retried message may be stored by two requests at once
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".part");
        Files.write(tmp, jpeg);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target.toString();
    }

    private Path target(Map<String, Object> record) {
        String day = String.valueOf(record.get("timestamp"));
        day = day.length() >= 10 ? day.substring(0, 10) : "unknown-date";
        Path dir = Path.of(root, safe(String.valueOf(record.get("checkpoint_id"))), safe(day));
        return dir.resolve(safe(String.valueOf(record.get("message_id"))) + ".jpg");
    }

    /** Keeps path parts to a safe alphabet: ids come from the network. */
    static String safe(String part) {
        String s = part.replaceAll("[^A-Za-z0-9_.-]", "_");
        return s.isEmpty() || s.startsWith(".") ? "_" + s : s;
    }
}
