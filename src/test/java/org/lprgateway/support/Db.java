package org.lprgateway.support;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain JDBC on the edge's two SQLite files, as the camera application and an operator see them:
 * the camera's database ({@code edge.db.path}, tables detection_results and health_checks) and the
 * gateway's own outbox beside it ({@code outbox.db.path}, by default {@code <camera file>-outbox.db}).
 * Every call opens its own connection with the busy timeout the camera's Python sqlite3 uses (5 s).
 */
public final class Db {

    private final String url;

    public Db(Path file) {
        this.url = "jdbc:sqlite:" + file.toAbsolutePath() + "?busy_timeout=5000";
    }

    /** Creates a camera database with the tables of a shipped camera layout (routes/camera/<layout>/create.sql), as the camera application would. */
    public static Db createCameraTables(Path file, String layout) {
        Db db = new Db(file);
        try {
            if (file.toAbsolutePath().getParent() != null) {
                java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
            }
            String script = java.nio.file.Files.readString(Path.of("routes/camera", layout, "create.sql"));
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                for (String sql : script.replaceAll("(?m)^\\s*--.*$", "").split(";")) {
                    if (!sql.isBlank()) {
                        st.execute(sql);
                    }
                }
            }
        } catch (java.io.IOException | SQLException e) {
            throw new IllegalStateException(e);
        }
        return db;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    public long count(String sql) {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            if (String.valueOf(e.getMessage()).contains("no such table")) {
                return -1;
            }
            throw new IllegalStateException(e);
        }
    }

    public String string(String sql) {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<String> strings(String sql) {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A health check row as the camera application writes it. */
    public void insertHealth(String component, String status, String message) {
        exec("INSERT INTO health_checks (checkpoint_id, hostname, timestamp, component, status, message, system_info) "
                + "VALUES ('CP001', 'cam-test', '" + LocalDateTime.now() + "', '" + component + "', '" + status + "', '"
                + message + "', '{\"cpu_usage\": \"12%\"}')");
    }

    public void exec(String sql) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Inserts detections naming only the camera application's columns (the flat layout), in one transaction. */
    public void insertDetections(int n, String platePrefix) {
        insertDetections(n, platePrefix, 91.5);
    }

    public void insertDetections(int n, String platePrefix, double confidence) {
        insertDetections(n, platePrefix, confidence, null);
    }

    /** As the camera does, with the path of the plate image ({@code null} for none). */
    public void insertDetections(int n, String platePrefix, double confidence, String imagePath) {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO detection_results (license_plate, confidence, "
                    + "checkpoint_id, timestamp, hostname, vehicle_type, vehicle_color, latitude, longitude, image_path, "
                    + "exposure_time, analog_gain, lux, sent_to_server) VALUES (?, ?, 'CP001', ?, 'cam-test', 'car', 'white', "
                    + "13.75, 100.5, ?, 0.033, 1.0, 250, 0)")) {
                for (int i = 0; i < n; i++) {
                    ps.setString(1, platePrefix + " " + i);
                    ps.setDouble(2, confidence);
                    ps.setString(3, LocalDateTime.now().toString());
                    ps.setString(4, imagePath);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
