package org.lprgateway.camera;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lprgateway.support.CameraApp;
import org.lprgateway.support.CameraApp.Plate;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped ocr-json mapping, run on rows as the camera application writes them. */
class CameraMappingTest {

    @TempDir
    Path dir;

    /** Runs a mapping file binding its :#name parameters in order, as camel-sql does. */
    private static List<String> run(CameraApp app, String file, Map<String, Object> params) throws Exception {
        String sql = Files.readString(Path.of("routes/camera/ocr-json", file)).replaceAll("(?m)^\\s*--.*$", "");
        List<Object> values = new ArrayList<>();
        Matcher m = Pattern.compile(":#(\\w+)").matcher(sql);
        while (m.find()) {
            values.add(params.get(m.group(1)));
        }
        List<String> out = new ArrayList<>();
        try (Connection c = app.db().connect(); PreparedStatement ps = c.prepareStatement(sql.replaceAll(":#\\w+", "?"))) {
            for (int i = 0; i < values.size(); i++) {
                ps.setObject(i + 1, values.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong("source_id") + "|" + rs.getString("plate_idx") + "|" + rs.getString("license_plate")
                            + "|" + rs.getString("confidence") + "|" + rs.getString("image_path") + "|" + rs.getInt("camera_sent"));
                }
            }
        }
        return out;
    }

    @Test
    void one_line_per_readable_plate_and_one_plateless_line_per_row_without_one() throws Exception {
        CameraApp app = new CameraApp(dir.resolve("v2"));
        LocalDateTime t = LocalDateTime.of(2025, 9, 15, 16, 28, 13, 391207000);
        long two = app.detect(t, 2, new Plate("กข 1234", 0.87), new Plate("AB 5678", 0.612));
        long vehicles = app.detect(t.plusSeconds(1), 3);
        long unreadable = app.detect(t.plusSeconds(2), 1, new Plate("  ", 0.1));
        long broken = app.detect(t.plusSeconds(3), 1, new Plate("X 1", 0.5));
        app.db().exec("UPDATE detection_results SET ocr_results = 'not json' WHERE id = " + broken);

        List<String> lines = run(app, "read-detections.sql",
                Map.of("watermark", 0, "batchSize", 200, "checkpointId", "CP9", "hostname", "cam-9"));

        String image = app.db().string("SELECT original_image_path FROM detection_results WHERE id = " + two);
        assertThat(lines).containsExactly(
                two + "|0|กข 1234|87.0|" + image + "|0",
                two + "|1|AB 5678|61.2|" + image + "|0",
                vehicles + "|null|null|null|" + app.db().string("SELECT original_image_path FROM detection_results WHERE id = " + vehicles) + "|0",
                unreadable + "|null|null|null|" + app.db().string("SELECT original_image_path FROM detection_results WHERE id = " + unreadable) + "|0",
                broken + "|null|null|null|" + app.db().string("SELECT original_image_path FROM detection_results WHERE id = " + broken) + "|0");
    }

    @Test
    void the_batch_limit_counts_camera_rows_so_a_rows_plates_are_never_split() throws Exception {
        CameraApp app = new CameraApp(dir.resolve("v2"));
        LocalDateTime t = LocalDateTime.of(2025, 9, 15, 16, 28, 13);
        long first = app.detect(t, 3, new Plate("A 1", 0.9), new Plate("A 2", 0.9), new Plate("A 3", 0.9));
        app.detect(t.plusSeconds(1), 1, new Plate("B 1", 0.9));

        List<String> lines = run(app, "read-detections.sql",
                Map.of("watermark", 0, "batchSize", 1, "checkpointId", "CP9", "hostname", "cam-9"));
        List<String> next = run(app, "read-detections.sql",
                Map.of("watermark", first, "batchSize", 1, "checkpointId", "CP9", "hostname", "cam-9"));

        assertThat(lines).hasSize(3).allMatch(l -> l.startsWith(first + "|"));
        assertThat(next).singleElement().asString().contains("|B 1|");
    }
}
