package org.lprgateway.files;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deletes camera image files the server already holds, from the camera's disk. Each path is
 * resolved and confined to the image folder by {@link ImageFiles#open}, exactly as when it was
 * sent, so retention can never reach a file the gateway would not have sent. A file already gone
 * counts as deleted; a file that cannot be deleted (or no longer passes the checks) is kept and
 * its reason returned, so it is not tried again at every run. Folders are left alone, empty or
 * not: the camera application may be about to write into one.
 */
public class SentImageRemover {

    private ImageFiles imageFiles;

    public void setImageFiles(ImageFiles imageFiles) {
        this.imageFiles = imageFiles;
    }

    /**
     * @param rows with {@code image_path} as the camera wrote it; a path given twice (a camera row
     *             with several plates) is dealt with once
     * @return {@code deleted}: the paths whose files are gone now (for one UPDATE to state deleted);
     *         {@code kept}: one map per file not deleted, {@code image_path} and {@code error};
     *         {@code files} and {@code bytes}: what was actually removed from the disk
     */
    public Map<String, Object> remove(List<Map<String, Object>> rows) {
        List<Object> deleted = new ArrayList<>();
        List<Map<String, Object>> kept = new ArrayList<>();
        long files = 0;
        long bytes = 0;
        Set<Object> seen = new HashSet<>();
        for (Map<String, Object> row : rows) {
            Object path = row.get("image_path");
            if (!seen.add(path)) {
                continue;
            }
            try {
                File file = imageFiles.open(path);
                long size = file.length();
                Files.deleteIfExists(file.toPath());
                files++;
                bytes += size;
                deleted.add(path);
            } catch (ImageRefusedException e) {
                if (String.valueOf(e.getMessage()).startsWith("image file missing")) {
                    deleted.add(path);
                } else {
                    kept.add(keptRow(path, "not deleted by retention: " + e.getMessage()));
                }
            } catch (IOException e) {
                kept.add(keptRow(path, "not deleted by retention: " + e));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deleted", deleted);
        out.put("kept", kept);
        out.put("files", files);
        out.put("bytes", bytes);
        return out;
    }

    private static Map<String, Object> keptRow(Object path, String error) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("image_path", path);
        r.put("error", error);
        return r;
    }
}
