package org.lprgateway.files;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Readings of this machine's real disk; the minimums are set around what it really has free. */
class DiskSpaceTest {

    private static final double MB = 1024 * 1024;

    @TempDir
    Path dir;

    private final DiskSpace disk = new DiskSpace();

    @BeforeEach
    void watch() {
        // the database files do not exist yet: their folder's file system is read
        disk.setPaths(dir + "," + dir.resolve("not/yet/edge.db") + ", " + dir.resolve("edge.db-outbox.db"));
        disk.setMarginPercent(10);
    }

    private double freeMegabytes() {
        disk.setMinFreeMegabytes(0);
        return disk.read().usableBytes() / MB;
    }

    @Test
    void a_disk_with_more_than_its_minimum_is_not_low_and_a_zero_minimum_is_off() {
        disk.setMinFreeMegabytes(0);
        assertThat(disk.measure()).isFalse();
        assertThat(disk.freeBytes()).isPositive();
        disk.setMinFreeMegabytes(1);
        assertThat(disk.measure()).isFalse();
        assertThat(disk.minFreeBytes()).isEqualTo(1024 * 1024);
    }

    @Test
    void a_minimum_above_the_free_space_makes_it_low() {
        disk.setMinFreeMegabytes(freeMegabytes() * 2);
        assertThat(disk.measure()).isTrue();
        assertThat(disk.freeBytes()).isLessThan(disk.minFreeBytes());
    }

    @Test
    void the_percent_minimum_applies_to_the_file_systems_size_and_the_larger_minimum_wins() {
        disk.setMinFreeMegabytes(1);
        disk.setMinFreePercent(100);
        assertThat(disk.measure()).isTrue();
        assertThat(disk.minFreeBytes()).isEqualTo(disk.read().totalBytes());
        disk.setMinFreePercent(0);
        assertThat(disk.measure()).isFalse();
    }

    @Test
    void once_low_it_stays_low_until_the_minimum_plus_the_margin_is_free() {
        double free = freeMegabytes();
        disk.setMinFreeMegabytes(free * 2);
        assertThat(disk.measure()).isTrue();
        // above the minimum, but not by the 10 % margin: still low
        disk.setMinFreeMegabytes(free * 0.95);
        assertThat(disk.measure()).isTrue();
        disk.setMinFreeMegabytes(free / 2);
        assertThat(disk.measure()).isFalse();
        // the same 95 % minimum does not make a disk low that was not
        disk.setMinFreeMegabytes(free * 0.95);
        assertThat(disk.measure()).isFalse();
    }

    @Test
    void settling_reports_entering_deepening_and_leaving_once_each() {
        disk.setMinFreeMegabytes(freeMegabytes() * 2);
        disk.measure();
        assertThat(disk.settle(1)).isEqualTo(DiskSpace.ENTERED);
        assertThat(disk.reason()).startsWith("disk space low: ").contains("MB free on").endsWith("sent images are being deleted");
        assertThat(disk.settle(1)).isEqualTo(DiskSpace.UNCHANGED);
        assertThat(disk.settle(2)).isEqualTo(DiskSpace.DEEPER);
        assertThat(disk.reason()).contains("health rows").contains("unsent detections are kept");
        assertThat(disk.settle(1)).isEqualTo(DiskSpace.UNCHANGED);
        assertThat(disk.settle(2)).isEqualTo(DiskSpace.UNCHANGED);
        assertThat(disk.level()).isEqualTo(2);

        disk.setMinFreeMegabytes(0);
        assertThat(disk.measure()).isFalse();
        assertThat(disk.settle(0)).isEqualTo(DiskSpace.LEFT);
        assertThat(disk.reason()).isNull();
        assertThat(disk.settle(0)).isEqualTo(DiskSpace.UNCHANGED);
    }

    @Test
    void a_path_that_does_not_exist_yet_is_read_on_its_nearest_existing_folder() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("a"));
        assertThat(DiskSpace.nearestExisting(sub.resolve("b/c.db"))).isEqualTo(sub.toAbsolutePath());
    }
}
