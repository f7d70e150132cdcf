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
        Path file = dir.resolve("edge.db-outbox.db");
        SQLiteDataSource ds = dataSource(file);

        migrator(ds, file, "db/edge-sqlite.sql").migrate();

        assertThat(strings(ds, "SELECT name FROM sqlite_master WHERE type = 'table'"))
                .contains("outbox_detections", "outbox_health", "camera_intake")
                .doesNotContain("detection_results", "health_checks");
        assertThat(columns(ds, "outbox_detections")).contains("source_id", "plate_idx", "license_plate", "sent_to_server",
                "camera_marked", "detected_at").contains(BOOKKEEPING);
        assertThat(columns(ds, "outbox_health")).contains("source_id", "component", "sent_to_server").contains(BOOKKEEPING);
        assertThat(strings(ds, "PRAGMA journal_mode")).containsExactly("wal");
    }

    @Test
    void runs_twice_keeping_the_records_and_their_message_ids() throws Exception {
        Path file = dir.resolve("edge.db-outbox.db");
        SQLiteDataSource ds = dataSource(file);
        SchemaMigrator m = migrator(ds, file, "db/edge-sqlite.sql");
        m.migrate();
        exec(ds, "INSERT INTO outbox_detections (source_id, plate_idx, message_id, license_plate) "
                + "VALUES (7, 0, '2c1f4a5e-0000-4000-8000-000000000001', 'AB1234')");

        m.migrate();

        assertThat(strings(ds, "SELECT license_plate || '|' || attempts || '|' || next_attempt_at || '|' || message_id "
                + "FROM outbox_detections")).containsExactly("AB1234|0|0|2c1f4a5e-0000-4000-8000-000000000001");
    }

    @Test
    void a_camera_row_and_plate_is_taken_once_keeping_its_first_message_id() throws Exception {
        Path file = dir.resolve("edge.db-outbox.db");
        SQLiteDataSource ds = dataSource(file);
        migrator(ds, file, "db/edge-sqlite.sql").migrate();

        exec(ds, "INSERT OR IGNORE INTO outbox_detections (source_id, plate_idx, message_id) VALUES (1, 0, 'first')");
        exec(ds, "INSERT OR IGNORE INTO outbox_detections (source_id, plate_idx, message_id) VALUES (1, 0, 'second')");
        exec(ds, "INSERT OR IGNORE INTO outbox_detections (source_id, plate_idx, message_id) VALUES (1, 1, 'other plate')");

        assertThat(strings(ds, "SELECT message_id FROM outbox_detections ORDER BY id")).containsExactly("first", "other plate");
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
