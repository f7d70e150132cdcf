package org.lprgateway.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server side of retention: deletes the image files of expired records, the original
 * ({@code image_file}, relative to server.imageDir) and the inline preview ({@code image_path}, as
 * written under server.previewDir). A name that leads outside its folder (a symbolic link, a
 * {@code ../}) is never followed: the file is left and a warning logged. A file already gone is
 * not an error, so a run repeated after a crash between files and rows finishes the job.
 */
public class StoredImageRemover {

    private static final Logger LOG = LoggerFactory.getLogger("org.lprgateway.files");

    private Path imageDir = Path.of("data/server-images");
    private Path previewDir = Path.of("data/server-previews");

    public void setImageDir(String imageDir) {
        this.imageDir = Path.of(imageDir);
    }

    public void setPreviewDir(String previewDir) {
        this.previewDir = Path.of(previewDir);
    }

    /**
     * @param rows expired records with {@code image_file} and {@code image_path} (either may be null)
     * @return the number of files deleted
     */
    public long remove(List<Map<String, Object>> rows) {
        long files = 0;
        for (Map<String, Object> row : rows) {
            Object original = row.get("image_file");
            if (original != null && !original.toString().isBlank()) {
                files += delete(imageDir, imageDir.resolve(original.toString()));
            }
            Object preview = row.get("image_path");
            if (preview != null && !preview.toString().isBlank()) {
                files += delete(previewDir, Path.of(preview.toString()));
            }
        }
        return files;
    }

    /** Deletes {@code file} if it lies inside {@code root}; returns 1 when a file was deleted. */
    static int delete(Path root, Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        Path base = root.toAbsolutePath().normalize();
        if (!absolute.startsWith(base) || absolute.equals(base)) {
            LOG.warn("retention: {} lies outside {}: not deleted", file, root);
            return 0;
        }
        try {
            Path real = absolute.toRealPath();
            if (!real.startsWith(base.toRealPath()) || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
                LOG.warn("retention: {} leads outside {} or is not a plain file: not deleted", file, root);
                return 0;
            }
            Files.delete(real);
            return 1;
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            LOG.warn("retention: {} could not be deleted: {}", file, e.toString());
            return 0;
        }
    }
}
