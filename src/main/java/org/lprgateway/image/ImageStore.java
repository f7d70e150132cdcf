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
 * size limit and writes it as {@code <root>/<checkpoint_id>/<yyyy-mm-dd>/<message_id>.jpg}
 * (under a temporary name, then renamed, so a partial file never has the final name).
 */
public class ImageStore {

    private String root = "data/server-images";
    private int maxBytes = 2 * 1024 * 1024;

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
        return jpeg;
    }

    /**
     * Checks and writes the inline image of a validated record, replacing its {@code image} entry
     * with {@code image_path} (null when the record has no image).
     *
     * @throws InvalidRecordException naming {@code data.image} when the image is not acceptable
     */
    public Map<String, Object> storeInline(Map<String, Object> record) throws IOException {
        byte[] jpeg = decode(record.remove("image"));
        record.put("image_path", save(record, jpeg));
        return record;
    }

    /** Writes the image of a validated record; returns its path, or null when the record has none. */
    public String save(Map<String, Object> record, byte[] jpeg) throws IOException {
        if (jpeg == null) {
            return null;
        }
        String day = String.valueOf(record.get("timestamp"));
        day = day.length() >= 10 ? day.substring(0, 10) : "unknown-date";
        Path dir = Path.of(root, safe(String.valueOf(record.get("checkpoint_id"))), safe(day));
        Files.createDirectories(dir);
        Path target = dir.resolve(safe(String.valueOf(record.get("message_id"))) + ".jpg");
        // unique per call: a retried message may be stored by two requests at once
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".part");
        Files.write(tmp, jpeg);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target.toString();
    }

    /** Keeps path parts to a safe alphabet: ids come from the network. */
    static String safe(String part) {
        String s = part.replaceAll("[^A-Za-z0-9_.-]", "_");
        return s.isEmpty() || s.startsWith(".") ? "_" + s : s;
    }
}
