package org.lprgateway.files;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Edge side of plate images: reads image paths from the camera's rows, confined to the image
 * folder. A path that leaves the folder ({@code ../}, an absolute path elsewhere, a symbolic link
 * pointing out) is refused, as are missing, empty, non-JPEG and oversized files.
 *
 * <p>An accepted image gets its name on the server, {@code <camera_id>/<yyyy-mm-dd>/<message_id>.jpg}
 * (the day of the detection's timestamp), and its SHA-256, which the record carries so that the
 * server can prove the file and the record belong together.
 */
public class ImageFiles {

    private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern SAFE = Pattern.compile("[^A-Za-z0-9_-]");

    private Path root = Path.of("data/images");
    private Path cameraRoot;
    private long maxBytes = 10L * 1024 * 1024;
    private String cameraId = "CAM001";

    public void setRoot(String root) {
        this.root = Path.of(root);
    }

    /** The camera application's folder: image paths in its rows may be relative to it. Empty: none. */
    public void setCameraRoot(String cameraRoot) {
        this.cameraRoot = cameraRoot == null || cameraRoot.isBlank() ? null : Path.of(cameraRoot);
    }

    public void setMaxBytes(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    public void setCameraId(String cameraId) {
        this.cameraId = cameraId;
    }

    /**
     * Inspects the images of newly polled detection rows ({@code id}, {@code message_id},
     * {@code image_path}, {@code timestamp}).
     *
     * @return one map per row for a batched UPDATE: {@code id}, {@code state} (none, pending or
     *         parked), {@code file}, {@code sha256}, {@code size}, {@code error}
     */
    public List<Map<String, Object>> inspect(List<Map<String, Object>> rows) {
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", row.get("id"));
            r.put("message_id", row.get("message_id"));
            r.put("image_path", row.get("image_path"));
            r.put("state", "none");
            r.put("file", null);
            r.put("sha256", null);
            r.put("size", null);
            r.put("error", null);
            Object imagePath = row.get("image_path");
            if (imagePath != null && !imagePath.toString().isBlank()) {
                try {
                    Path file = open(imagePath).toPath();
                    r.put("size", Files.size(file));
                    r.put("sha256", sha256(file));
                    r.put("file", remoteName(row.get("message_id"), row.get("timestamp")));
                    r.put("state", "pending");
                } catch (ImageRefusedException e) {
                    r.put("state", "parked");
                    r.put("error", e.getMessage());
                } catch (IOException e) {
                    r.put("state", "parked");
                    r.put("error", "image file unreadable: " + e.getMessage());
                }
            }
            out.add(r);
        }
        return out;
    }

    /** The name of a detection's image on the server: {@code <camera_id>/<yyyy-mm-dd>/<message_id>.jpg}. */
    public String remoteName(Object messageId, Object timestamp) {
        String ts = timestamp == null ? "" : timestamp.toString();
        String day = ts.length() >= 10 && DAY.matcher(ts.substring(0, 10)).matches() ? ts.substring(0, 10) : "unknown-date";
        String camera = SAFE.matcher(cameraId).replaceAll("_");
        return camera + "/" + day + "/" + messageId + ".jpg";
    }

    /**
     * The image file of a row, checked again right before it is sent (the camera may have removed
     * or replaced it since it was inspected).
     *
     * @throws ImageRefusedException with the reason the image can never be sent as it is
     */
    public File open(Object imagePath) {
        if (imagePath == null || imagePath.toString().isBlank()) {
            throw new ImageRefusedException("no image path");
        }
        Path base;
        try {
            if (!Files.exists(root)) {
                // a camera that has not written any image yet: its rows' images are simply missing
                Files.createDirectories(root);
                org.slf4j.LoggerFactory.getLogger("org.lprgateway.files").warn("image folder {} did not exist: created", root.toAbsolutePath());
            }
            base = root.toRealPath();
        } catch (IOException e) {
            // an unreadable image folder is a set-up fault, not the row's: it must not park anything
            throw new IllegalStateException("image folder " + root.toAbsolutePath() + " is not readable: " + e, e);
        }
        Path given = Path.of(imagePath.toString());
        Path candidate = locate(given, base);
        if (candidate == null) {
            throw new ImageRefusedException("image path outside the image folder: " + imagePath);
        }
        Path real;
        try {
            real = candidate.toRealPath();
        } catch (NoSuchFileException e) {
            throw new ImageRefusedException("image file missing: " + imagePath);
        } catch (IOException e) {
            throw new ImageRefusedException("image file unreadable: " + imagePath + " (" + e.getMessage() + ")");
        }
        if (!real.startsWith(base)) {
            throw new ImageRefusedException("image path leads outside the image folder (symbolic link): " + imagePath);
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new ImageRefusedException("image path is not a regular file: " + imagePath);
        }
        long size;
        byte[] head = new byte[3];
        int n;
        try (InputStream in = Files.newInputStream(real)) {
            size = Files.size(real);
            n = in.readNBytes(head, 0, 3);
        } catch (IOException e) {
            throw new ImageRefusedException("image file unreadable: " + imagePath + " (" + e.getMessage() + ")");
        }
        if (size == 0) {
            throw new ImageRefusedException("image file empty: " + imagePath);
        }
        if (size > maxBytes) {
            throw new ImageRefusedException("image file larger than " + maxBytes + " bytes (" + size + "): " + imagePath);
        }
        if (!looksLikeJpeg(head, n)) {
            throw new ImageRefusedException("image file is not a JPEG: " + imagePath);
        }
        return real.toFile();
    }

    /**
     * Where a path from the camera's row points. An absolute path is taken as it is. A relative one
     * may be relative to the camera application's folder (camera.root), to the working folder, or
     * to the image folder: the first of those that exists inside the image folder wins; when none
     * exists, the first inside it (for the "missing" reason). Null when every reading leaves the
     * image folder.
     */
    Path locate(Path given, Path base) {
        List<Path> readings = new ArrayList<>();
        if (given.isAbsolute()) {
            readings.add(given.normalize());
        } else {
            if (cameraRoot != null) {
                readings.add(cameraRoot.resolve(given).toAbsolutePath().normalize());
            }
            readings.add(given.toAbsolutePath().normalize());
            readings.add(base.resolve(given).normalize());
            readings.add(root.toAbsolutePath().resolve(given).normalize());
        }
        Path absoluteRoot = root.toAbsolutePath().normalize();
        List<Path> inside = readings.stream().filter(p -> p.startsWith(base) || p.startsWith(absoluteRoot)).toList();
        return inside.stream().filter(p -> Files.exists(p, LinkOption.NOFOLLOW_LINKS)).findFirst()
                .orElse(inside.isEmpty() ? null : inside.get(0));
    }

    /** Whether the first {@code length} bytes start like a JPEG (FF D8 FF). */
    public static boolean looksLikeJpeg(byte[] head, int length) {
        return length >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8 && (head[2] & 0xFF) == 0xFF;
    }

    /** Lower-case hex SHA-256 of a file. */
    public static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
