package org.lprgateway.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Free space on the edge's disks: the file systems holding the camera's image folder and the
 * databases. The disk is low when one of them has less usable space than its minimum (the larger
 * of a fixed number of megabytes and a percentage of its size); once low, it stays low until that
 * file system has the minimum plus a margin again, so a guard deleting just enough does not flap
 * in and out of the low state with every image the camera writes.
 *
 * <p>The guard route asks {@link #measure()} before each batch it deletes and reports the deepest
 * stage it had to reach with {@link #settle(int)}, which says when the low state begins, deepens
 * or ends: one log line per change, not one per run.
 */
public class DiskSpace {

    /** What {@link #settle(int)} reports. */
    public static final String ENTERED = "entered";
    public static final String DEEPER = "deeper";
    public static final String LEFT = "left";
    public static final String UNCHANGED = "unchanged";

    private final List<Path> paths = new ArrayList<>();
    private double minFreeMegabytes = 500;
    private double minFreePercent;
    private double marginPercent = 10;

    private volatile boolean low;
    private volatile int level;
    private volatile int deepestSinceLow;
    private volatile Reading last;

    /** One file system as last read: where, usable and total bytes, and the minimum that applies to it. */
    public record Reading(Path path, String store, long usableBytes, long totalBytes, long minFreeBytes) {

        long marginTo(double marginPercent) {
            return usableBytes - Math.round(minFreeBytes * (1 + marginPercent / 100));
        }
    }

    /** Comma-separated files or folders whose file systems are watched (each may not exist yet). */
    public void setPaths(String paths) {
        this.paths.clear();
        for (String p : paths.split(",")) {
            if (!p.isBlank()) {
                this.paths.add(Path.of(p.strip()));
            }
        }
    }

    /** The fixed minimum of usable space; 0 turns it off. */
    public void setMinFreeMegabytes(double minFreeMegabytes) {
        this.minFreeMegabytes = minFreeMegabytes;
    }

    /** The minimum as a percentage of each file system's size; 0 turns it off. */
    public void setMinFreePercent(double minFreePercent) {
        this.minFreePercent = minFreePercent;
    }

    /** How far above its minimum (in percent of the minimum) a low disk must get to count as recovered. */
    public void setMarginPercent(double marginPercent) {
        this.marginPercent = marginPercent;
    }

    /**
     * Reads every watched file system now; the one closest to its minimum is remembered (for
     * {@link #freeBytes()}, {@link #minFreeBytes()} and the reason text).
     */
    public Reading read() {
        Map<String, Reading> byStore = new LinkedHashMap<>();
        for (Path p : paths) {
            Path existing = nearestExisting(p);
            try {
                FileStore store = Files.getFileStore(existing);
                long total = store.getTotalSpace();
                long usable = store.getUsableSpace();
                long min = Math.max(Math.round(minFreeMegabytes * 1024 * 1024), Math.round(total * minFreePercent / 100));
                byStore.putIfAbsent(store.name() + "|" + total, new Reading(existing, store.toString(), usable, total, min));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the free space of " + existing, e);
            }
        }
        Reading tightest = null;
        for (Reading r : byStore.values()) {
            if (tightest == null || r.marginTo(0) < tightest.marginTo(0)) {
                tightest = r;
            }
        }
        last = tightest;
        return tightest;
    }

    /**
     * Reads the disks and says whether the edge must free space now: true when a file system is
     * below its minimum, or was and has not yet got back above the minimum plus the margin.
     */
    public boolean measure() {
        Reading r = read();
        if (r == null || r.minFreeBytes() <= 0) {
            low = false;
        } else if (low) {
            low = r.marginTo(marginPercent) < 0;
        } else {
            low = r.usableBytes() < r.minFreeBytes();
        }
        return low;
    }

    /**
     * Records how far the last guard run had to go (0 nothing, 1 sent images, 2 health rows) and
     * the low state as the last {@link #measure()} left it.
     *
     * @return {@link #ENTERED} when the disk became low, {@link #DEEPER} when a deeper stage than
     *         before was needed while it stayed low, {@link #LEFT} when it recovered, else {@link #UNCHANGED}
     */
    public String settle(int level) {
        int before = this.level;
        this.level = level;
        if (level == 0 && !low) {
            deepestSinceLow = 0;
            return before > 0 ? LEFT : UNCHANGED;
        }
        if (before == 0) {
            deepestSinceLow = level;
            return ENTERED;
        }
        if (level > deepestSinceLow) {
            deepestSinceLow = level;
            return DEEPER;
        }
        return UNCHANGED;
    }

    /** Guard level of the last run: 0 ok, 1 sent images deleted, 2 health rows deleted too. */
    public int level() {
        return level;
    }

    public boolean isLow() {
        return low;
    }

    /** Usable bytes of the file system closest to its minimum, as last read (-1 before the first reading). */
    public long freeBytes() {
        Reading r = last;
        return r == null ? -1 : r.usableBytes();
    }

    /** The minimum that applies to that file system, as last read. */
    public long minFreeBytes() {
        Reading r = last;
        return r == null ? 0 : r.minFreeBytes();
    }

    /** Why the edge is short of disk, for /ready and the log; null while it is not. */
    public String reason() {
        Reading r = last;
        if (level == 0 || r == null) {
            return null;
        }
        String what = level >= 2
                ? "sent images and health rows are being deleted; unsent detections are kept"
                : "sent images are being deleted";
        return "disk space low: " + megabytes(r.usableBytes()) + " MB free on " + r.path().toAbsolutePath()
                + " (minimum " + megabytes(r.minFreeBytes()) + " MB): " + what;
    }

    private static long megabytes(long bytes) {
        return bytes / (1024 * 1024);
    }

    /** A file that does not exist yet lives on its nearest existing parent's file system. */
    static Path nearestExisting(Path p) {
        Path current = p.toAbsolutePath().normalize();
        while (current != null && !Files.exists(current)) {
            current = current.getParent();
        }
        return current == null ? Path.of("").toAbsolutePath() : current;
    }
}
