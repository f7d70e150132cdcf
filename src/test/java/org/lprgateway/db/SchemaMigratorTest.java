package org.lprgateway.db;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SchemaMigratorTest {

    private static final String[] BOOKKEEPING =
            {"message_id", "attempts", "last_error", "next_attempt_at", "parked_reason", "sent_at"};

    @TempDir
    Path dir;

    private SQLiteDataSource dataSource(Path file) {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        return ds;
    }

    private SchemaMigrator migrator(SQLiteDataSource ds, Path file, String script) {
        SchemaMigrator m = new SchemaMigrator();
        m.setDataSource(ds);
        m.setDatabaseFile(file.toString());
        m.setScript(script);
        return m;
    }

    private static void exec(SQLiteDataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static List<String> strings(SQLiteDataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    private static List<String> columns(SQLiteDataSource ds, String table) throws SQLException {
        return strings(ds, "SELECT name FROM pragma_table_info('" + table + "')");
    }

    @Test
    void creates_both_outbox_tables_with_bookkeeping_columns_in_wal_mode() throws Exception {
        Path file = dir.resolve("edge.db");
        SQLiteDataSource ds = dataSource(file);

        migrator(ds, file, "db/edge-sqlite.sql").migrate();

        assertThat(strings(ds, "SELECT name FROM sqlite_master WHERE type = 'table'"))
                .contains("detection_results", "health_checks");
        assertThat(columns(ds, "detection_results")).contains("license_plate", "sent_to_server").contains(BOOKKEEPING);
        assertThat(columns(ds, "health_checks")).contains("component", "sent_to_server").contains(BOOKKEEPING);
        assertThat(strings(ds, "PRAGMA journal_mode")).containsExactly("wal");
    }

    @Test
    void adds_bookkeeping_columns_to_a_camera_table_keeping_its_rows_and_can_run_twice() throws Exception {
        Path file = dir.resolve("edge.db");
        SQLiteDataSource ds = dataSource(file);
        exec(ds, """
                CREATE TABLE detection_results (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, license_plate TEXT, confidence REAL, checkpoint_id TEXT,
                    timestamp TEXT, hostname TEXT, vehicle_type TEXT, vehicle_color TEXT, latitude REAL,
                    longitude REAL, image_path TEXT, exposure_time REAL, analog_gain REAL, lux REAL,
                    sent_to_server INTEGER DEFAULT 0)""");
        exec(ds, "INSERT INTO detection_results (license_plate, confidence, checkpoint_id, timestamp, hostname) "
                + "VALUES ('AB1234', 90.5, 'CP001', '2025-03-01T08:15:30', 'aicamera-01')");
        SchemaMigrator m = migrator(ds, file, "db/edge-sqlite.sql");

        m.migrate();
        m.migrate();

        assertThat(columns(ds, "detection_results")).contains(BOOKKEEPING);
        assertThat(columns(ds, "health_checks")).contains(BOOKKEEPING);
        assertThat(strings(ds, "SELECT license_plate || '|' || attempts || '|' || next_attempt_at "
                + "|| '|' || coalesce(message_id, 'null') FROM detection_results"))
                .containsExactly("AB1234|0|0|null");
    }

    @Test
    void insert_naming_only_camera_columns_gets_bookkeeping_defaults() throws Exception {
        Path file = dir.resolve("edge.db");
        SQLiteDataSource ds = dataSource(file);
        migrator(ds, file, "db/edge-sqlite.sql").migrate();

        exec(ds, "INSERT INTO detection_results (license_plate, confidence, checkpoint_id, timestamp, hostname, "
                + "vehicle_type, vehicle_color, latitude, longitude, image_path, exposure_time, analog_gain, lux, "
                + "sent_to_server) VALUES ('AB1234', 90.5, 'CP001', '2025-03-01T08:15:30', 'aicamera-01', 'car', "
                + "'white', 13.75, 100.5, NULL, 0.033, 1.0, 250, 0)");
        exec(ds, "INSERT INTO health_checks (checkpoint_id, hostname, timestamp, component, status, message, "
                + "system_info) VALUES ('CP001', 'aicamera-01', '2025-03-01T08:15:30', 'camera', 'PASS', 'ok', '{}')");

        assertThat(strings(ds, "SELECT attempts || '|' || next_attempt_at FROM detection_results"))
                .containsExactly("0|0");
        assertThat(strings(ds, "SELECT attempts || '|' || next_attempt_at || '|' || sent_to_server FROM health_checks"))
                .containsExactly("0|0|0");
    }

    @Test
    void missing_script_fails_with_an_io_exception_naming_it() {
        Path file = dir.resolve("edge.db");

        assertThatExceptionOfType(IOException.class)
                .isThrownBy(() -> migrator(dataSource(file), file, "db/no-such-schema.sql").migrate())
                .withMessageContaining("db/no-such-schema.sql");
    }

    @Test
    void creates_the_folder_holding_the_database_file() throws Exception {
        Path file = dir.resolve("data/edge/edge.db");

        migrator(dataSource(file), file, "db/edge-sqlite.sql").migrate();

        assertThat(file.getParent()).isDirectory();
        assertThat(file).isRegularFile();
    }
}
