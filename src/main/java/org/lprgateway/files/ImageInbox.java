package org.lprgateway.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.lprgateway.image.JpegHeader;
import org.lprgateway.ingest.CameraIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server side of plate images. SFTP and rsync drop complete files (they upload under a dot-name
 * and rename) as {@code <camera_id>/<yyyy-mm-dd>/<message_id>.jpg} into the upload folder; each is
 * checked, digested and moved to the same name under the image folder, where it is linked to its
 * record by {@code message_id}. A file that is not a JPEG or has a foreign name goes to
 * {@code .rejected/} in the upload folder, and so does one whose header declares more pixels than
 * allowed (read without decoding) or whose camera id is not valid ({@link CameraIds}). Receiving
 * the same file again is harmless; another file under the name of one already received is refused,
 * so a received image is never replaced.
 */
public class ImageInbox {

    private static final Logger LOG = LoggerFactory.getLogger("org.lprgateway.files");
    /** {@code <camera_id>/<yyyy-mm-dd>/<message_id>.jpg}: safe characters, no part starting with a dot. */
    public static final Pattern NAME = Pattern.compile(
            "([A-Za-z0-9_-][A-Za-z0-9_.-]{0,63})/([0-9A-Za-z_-]{1,16})/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\.jpg");

    private Path root = Path.of("data/server-images");
    private Path inbox = Path.of("data/server-upload/incoming");
    private long maxBytes = 10L * 1024 * 1024;
    private int maxWidth = 8192;
    private int maxHeight = 8192;

    public void setMaxWidth(int maxWidth) {
        this.maxWidth = maxWidth;
    }

    public void setMaxHeight(int maxHeight) {
        this.maxHeight = maxHeight;
    }

    public void setRoot(String root) {
        this.root = Path.of(root);
    }

    public void setInbox(String inbox) {
        this.inbox = Path.of(inbox);
    }

    public void setMaxBytes(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Takes one uploaded file.
     *
     * @param relativeName its name below the upload folder
     * @return {@code message_id}, {@code image_file}, {@code sha256}, {@code size}
     * @throws ImageRefusedException when the file was moved aside as unacceptable
     */
    public Map<String, Object> accept(String relativeName) throws IOException {
        String name = relativeName.replace('\\', '/');
        Path source = inbox.resolve(name);
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            throw reject(source, name, "name is not <camera_id>/<yyyy-mm-dd>/<message_id>.jpg");
        }
        if (!CameraIds.valid(m.group(1))) {
            throw reject(source, name, "not a valid camera id (" + CameraIds.RULE + ")");
        }
        long size = Files.size(source);
        if (size == 0 || size > maxBytes) {
            throw reject(source, name, size == 0 ? "empty file" : "larger than " + maxBytes + " bytes");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(source)) {
            head = in.readNBytes(3);
        }
        if (!ImageFiles.looksLikeJpeg(head, head.length)) {
            throw reject(source, name, "not a JPEG");
        }
        java.awt.Dimension dim = JpegHeader.dimensions(source);
        if (dim == null || dim.width > maxWidth || dim.height > maxHeight || dim.width < 1 || dim.height < 1) {
            throw reject(source, name, dim == null ? "JPEG header unreadable"
                    : "declares " + dim.width + "x" + dim.height + " pixels, more than " + maxWidth + "x" + maxHeight + " allowed");
        }
        String sha = ImageFiles.sha256(source);
        Path target = root.resolve(name);
        if (Files.isRegularFile(target) && !ImageFiles.sha256(target).equals(sha)) {
            throw reject(source, name, "another image was received under this name: the first one stays");
        }
        move(source, target);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("message_id", m.group(3));
        out.put("image_file", name);
        out.put("sha256", sha);
        out.put("size", size);
        return out;
    }

    /**
     * State of a just-stored record's image: the file may have arrived before the record.
     *
     * @return received (same digest), mismatch (another digest) or awaiting (not here yet)
     */
    public String stateOf(String imageFile, String sha256) throws IOException {
        if (imageFile == null || !NAME.matcher(imageFile).matches()) {
            return "awaiting";
        }
        Path file = root.resolve(imageFile);
        if (!Files.isRegularFile(file)) {
            return "awaiting";
        }
        return ImageFiles.sha256(file).equals(sha256) ? "received" : "mismatch";
    }

    private ImageRefusedException reject(Path source, String name, String reason) throws IOException {
        Path aside = inbox.resolve(".rejected").resolve(name.replace('/', '_'));
        move(source, aside);
        LOG.warn("uploaded image refused file={} reason={} moved_to={}", name, reason, aside);
        return new ImageRefusedException(reason);
    }

    /** Atomic within a file system; across file systems a copy under a dot-name, then a rename. */
    private static void move(Path source, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
            Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.delete(source);
        }
    }
}
