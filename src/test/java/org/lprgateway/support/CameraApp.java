package org.lprgateway.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The AI camera application's current database, as that application creates and writes it: its
 * folder (db/lpr_data.db, captured_images/), its tables with every column it has (the OCR-engine
 * columns included), JSON text written as Python's json.dumps writes it (", " and ": " separators,
 * non-ASCII as \\uXXXX escapes), naive local timestamps with microseconds, image paths relative to
 * its folder, sent_to_server 0/1. Nothing here knows the gateway.
 */
public final class CameraApp {

    public static final String DETECTIONS_DDL = """
            CREATE TABLE IF NOT EXISTS detection_results (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                timestamp TEXT NOT NULL,
                vehicles_count INTEGER DEFAULT 0,
                plates_count INTEGER DEFAULT 0,
                ocr_results TEXT,
                original_image_path TEXT,
                vehicle_detections TEXT,
                plate_detections TEXT,
                processing_time_ms REAL,
                created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
                sent_to_server BOOLEAN DEFAULT 0,
                sent_at DATETIME,
                server_response TEXT,
                hailo_ocr_results TEXT,
                easyocr_results TEXT,
                best_ocr_method TEXT,
                hailo_ocr_confidence REAL,
                easyocr_confidence REAL,
                hailo_ocr_time_ms REAL,
                easyocr_time_ms REAL,
                ocr_engines_used TEXT,
                ocr_comparison TEXT,
                parallel_ocr_enabled BOOLEAN DEFAULT 0,
                ocr_total_time_ms REAL,
                best_ocr_confidence REAL,
                ocr_agreement BOOLEAN
            )""";

    public static final String HEALTH_DDL = """
            CREATE TABLE IF NOT EXISTS health_checks (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                timestamp TEXT NOT NULL,
                component TEXT NOT NULL,
                status TEXT NOT NULL,
                message TEXT,
                details TEXT,
                created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
                sent_to_server BOOLEAN DEFAULT 0,
                sent_at DATETIME,
                server_response TEXT
            )""";

    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss_SSS");

    private final Path root;
    private final Db db;

    /** The application's folder: db/lpr_data.db and captured_images/ are created in it. */
    public CameraApp(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root.resolve("db"));
            Files.createDirectories(root.resolve("captured_images"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        this.db = new Db(databaseFile());
        db.exec(DETECTIONS_DDL);
        db.exec(HEALTH_DDL);
    }

    public Path root() {
        return root;
    }

    public Path databaseFile() {
        return root.resolve("db/lpr_data.db");
    }

    public Path imageDir() {
        return root.resolve("captured_images");
    }

    public Db db() {
        return db;
    }

    /** One plate as the application's OCR writes it into ocr_results. */
    public record Plate(String text, double confidence) {
    }

    /**
     * Writes a detection as the application does: the JPEG under captured_images/, the row with
     * its path relative to the application's folder. No plates: a vehicle-only row.
     *
     * @return the row id
     */
    public long detect(LocalDateTime at, int vehicles, Plate... plates) throws IOException, SQLException {
        return detect(at, null, vehicles, plates);
    }

    /**
     * As {@link #detect(LocalDateTime, int, Plate...)}, but the row is written already marked sent
     * at {@code sentAt} (the application's own sender's text format), in the same statement, so
     * that no poll can see it unsent; {@code null} writes it unsent.
     */
    public long detect(LocalDateTime at, String sentAt, int vehicles, Plate... plates) throws IOException, SQLException {
        String name = "detection_" + at.format(FILE_TIME) + ".jpg";
        Files.write(imageDir().resolve(name), Jpeg.bytes(320 + (int) (at.getNano() % 7), 240));
        StringBuilder ocr = new StringBuilder("[");
        for (int i = 0; i < plates.length; i++) {
            ocr.append(i == 0 ? "" : ", ")
                    .append("{\"plate_idx\": ").append(i)
                    .append(", \"bbox\": [").append(100 + i * 50).append(", 200, ").append(180 + i * 50).append(", 230]")
                    .append(", \"text\": \"").append(pythonEscape(plates[i].text())).append('"')
                    .append(", \"confidence\": ").append(plates[i].confidence())
                    .append(", \"detection_confidence\": 0.91")
                    .append(", \"ocr_method\": \"hailo\"}");
        }
        ocr.append(']');
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO detection_results (timestamp, vehicles_count, plates_count, ocr_results, original_image_path, "
                        + "vehicle_detections, plate_detections, processing_time_ms, hailo_ocr_results, best_ocr_method, "
                        + "hailo_ocr_confidence, sent_to_server, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, at.format(DateTimeFormatter.ISO_LOCAL_DATE_TIME.withLocale(Locale.ROOT)));
            ps.setInt(2, vehicles);
            ps.setInt(3, plates.length);
            ps.setString(4, ocr.toString());
            ps.setString(5, "captured_images/" + name);
            ps.setString(6, "[{\"bbox\": [10, 20, 300, 220], \"confidence\": 0.93, \"class_name\": \"car\"}]");
            ps.setString(7, plates.length == 0 ? "[]" : "[{\"bbox\": [100, 200, 180, 230], \"confidence\": 0.91}]");
            ps.setDouble(8, 123.4);
            ps.setString(9, ocr.toString());
            ps.setString(10, "hailo");
            ps.setDouble(11, plates.length == 0 ? 0 : plates[0].confidence());
            ps.setInt(12, sentAt == null ? 0 : 1);
            ps.setString(13, sentAt);
            ps.executeUpdate();
            try (var keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    public void health(LocalDateTime at, String component, String status, String message, String details) {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO health_checks (timestamp, component, status, message, details) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, at.format(DateTimeFormatter.ISO_LOCAL_DATE_TIME));
            ps.setString(2, component);
            ps.setString(3, status);
            ps.setString(4, message);
            ps.setString(5, details);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Each column of a table as {@code cid|name|type|notnull|default|pk}: what the application's upgrade script compares. */
    public List<String> tableInfo(String table) {
        List<String> out = new ArrayList<>();
        for (String row : db.strings("SELECT cid || '|' || name || '|' || type || '|' || \"notnull\" || '|' || "
                + "coalesce(dflt_value, '') || '|' || pk FROM pragma_table_info('" + table + "')")) {
            out.add(row);
        }
        return out;
    }

    /** json.dumps' default: every non-ASCII character as a \\uXXXX escape. */
    static String pythonEscape(String text) {
        StringBuilder b = new StringBuilder();
        for (char ch : text.toCharArray()) {
            if (ch == '"' || ch == '\\') {
                b.append('\\').append(ch);
            } else if (ch < 0x20 || ch > 0x7e) {
                b.append(String.format("\\u%04x", (int) ch));
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }
}
