package org.lprgateway.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a schema script (statements separated by ';' at line end) to a database at start-up.
 * Every statement must be safe to repeat. {@code ALTER TABLE ... ADD COLUMN} statements are
 * tolerated when the column already exists, so the gateway can add its bookkeeping columns to
 * tables the camera application created before it.
 */
public class SchemaMigrator {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

    private DataSource dataSource;
    private String script;
    private String databaseFile;

    public void setDataSource(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void setScript(String script) {
        this.script = script;
    }

    /** For file databases: the folder holding it is created if missing. */
    public void setDatabaseFile(String databaseFile) {
        this.databaseFile = databaseFile;
    }

    public void migrate() throws IOException, SQLException {
        if (databaseFile != null && !databaseFile.isBlank()) {
            Path parent = Path.of(databaseFile).toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        }
        String text;
        try (InputStream in = SchemaMigrator.class.getClassLoader().getResourceAsStream(script)) {
            if (in == null) {
                throw new IOException("schema script not found on the classpath: " + script);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int applied = apply(dataSource, text);
        LOG.info("Schema {} applied ({} statements)", script, applied);
    }

    /** Runs each statement of a script; a repeated column add is not an error. */
    public static int apply(DataSource dataSource, String text) throws SQLException {
        int applied = 0;
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            for (String sql : statements(text)) {
                try {
                    st.execute(sql);
                    applied++;
                } catch (SQLException e) {
                    if (!isRepeatedColumnAdd(sql, e)) {
                        throw new SQLException("schema statement failed: " + sql + ": " + e.getMessage(), e);
                    }
                }
            }
        }
        return applied;
    }

    static java.util.List<String> statements(String text) {
        java.util.List<String> out = new java.util.ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = current.toString().strip();
                out.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }

    private static boolean isRepeatedColumnAdd(String sql, SQLException e) {
        String msg = String.valueOf(e.getMessage()).toLowerCase();
        return sql.toUpperCase().contains("ADD COLUMN")
                && (msg.contains("duplicate column") || msg.contains("already exists"));
    }
}
