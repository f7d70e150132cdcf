package org.lprgateway.camera;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.lprgateway.db.SchemaMigrator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the camera layout (a folder under {@code camera.layoutDir}: how the camera's rows are read
 * and marked sent) that fits the camera's database, once at start-up, and publishes its name as
 * the property {@code camera.layout.active} that the intake routes read their SQL files by.
 *
 * <p>Each layout folder has a {@code layout.properties} naming, per camera table, the columns its
 * SQL uses ({@code columns.detection_results = id, timestamp, ...}). {@code camera.layout = auto}
 * takes the layout whose columns the database has (the first by name when several fit); a named
 * layout is checked the same way. When none fits, start-up stops with the missing columns of each
 * layout. The camera's tables are never changed; only a database without the camera tables at all
 * gets them from the layout's {@code create.sql} when {@code camera.createTables} is true (the demo's
 * simulated camera).
 */
public class CameraLayout implements CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(CameraLayout.class);
    public static final List<String> TABLES = List.of("detection_results", "health_checks");

    private CamelContext camelContext;
    private DataSource dataSource;
    private Path layoutDir = Path.of("routes/camera");
    private String requested = "auto";
    private boolean createTables;
    private String createLayout = "flat";
    private String databaseFile;
    private String active;

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    public void setDataSource(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void setLayoutDir(String layoutDir) {
        this.layoutDir = Path.of(layoutDir);
    }

    public void setRequested(String requested) {
        this.requested = requested == null || requested.isBlank() ? "auto" : requested.strip();
    }

    public void setCreateTables(boolean createTables) {
        this.createTables = createTables;
    }

    public void setCreateLayout(String createLayout) {
        this.createLayout = createLayout;
    }

    public void setDatabaseFile(String databaseFile) {
        this.databaseFile = databaseFile;
    }

    /** The layout in use, after {@link #detect()}. */
    public String active() {
        return active;
    }

    public void detect() throws IOException, SQLException {
        Map<String, Set<String>> layouts = layouts(layoutDir);
        Map<String, Set<String>> columns = tableColumns();
        if (columns.values().stream().allMatch(Set::isEmpty) && createTables) {
            Path create = layoutDir.resolve(createLayout).resolve("create.sql");
            LOG.warn("camera database {} has no camera tables: creating them as layout '{}' ({})", databaseFile, createLayout, create);
            SchemaMigrator.apply(dataSource, Files.readString(create, StandardCharsets.UTF_8));
            columns = tableColumns();
        }
        active = choose(layouts, columns, requested);
        LOG.info("camera database {}: layout '{}'{}", databaseFile, active, "auto".equals(requested) ? " (detected)" : "");
        if (camelContext != null) {
            camelContext.getPropertiesComponent().addOverrideProperty("camera.layout.active", active);
        }
    }

    /**
     * @param layouts  layout name to the columns it needs, as {@code table.column}
     * @param columns  table to the columns the database has (empty when the table is missing)
     * @return the chosen layout
     * @throws IllegalStateException naming, per layout, the tables and columns the database lacks
     */
    static String choose(Map<String, Set<String>> layouts, Map<String, Set<String>> columns, String requested) {
        Map<String, List<String>> missing = new TreeMap<>();
        for (Map.Entry<String, Set<String>> layout : layouts.entrySet()) {
            List<String> lacks = new ArrayList<>();
            Set<String> absentTables = new LinkedHashSet<>();
            for (String needed : layout.getValue()) {
                String table = needed.substring(0, needed.indexOf('.'));
                String column = needed.substring(needed.indexOf('.') + 1);
                Set<String> has = columns.getOrDefault(table, Set.of());
                if (has.isEmpty()) {
                    absentTables.add("table " + table);
                } else if (!has.contains(column.toLowerCase())) {
                    lacks.add(needed);
                }
            }
            lacks.addAll(0, absentTables);
            missing.put(layout.getKey(), lacks);
        }
        if (!"auto".equals(requested)) {
            if (!missing.containsKey(requested)) {
                throw new IllegalStateException("camera.layout '" + requested + "' is not a layout (known: "
                        + String.join(", ", layouts.keySet()) + ")");
            }
            if (!missing.get(requested).isEmpty()) {
                throw new IllegalStateException("the camera database does not fit camera.layout '" + requested
                        + "': missing " + String.join(", ", missing.get(requested)));
            }
            return requested;
        }
        for (Map.Entry<String, List<String>> m : missing.entrySet()) {
            if (m.getValue().isEmpty()) {
                return m.getKey();
            }
        }
        StringBuilder why = new StringBuilder("no camera layout fits the camera database (set camera.layout or add a layout under camera.layoutDir):");
        missing.forEach((name, lacks) -> why.append(" layout '").append(name).append("' needs ").append(String.join(", ", lacks)).append(';'));
        throw new IllegalStateException(why.toString());
    }

    /** Layout name to its needed {@code table.column}s, from each folder's layout.properties. */
    static Map<String, Set<String>> layouts(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("camera layout folder " + dir.toAbsolutePath() + " does not exist (camera.layoutDir)");
        }
        Map<String, Set<String>> out = new TreeMap<>();
        try (Stream<Path> folders = Files.list(dir)) {
            for (Path folder : folders.filter(f -> Files.isRegularFile(f.resolve("layout.properties"))).sorted().toList()) {
                Properties p = new Properties();
                try (Reader r = Files.newBufferedReader(folder.resolve("layout.properties"), StandardCharsets.UTF_8)) {
                    p.load(r);
                }
                Set<String> needed = new LinkedHashSet<>();
                for (String table : TABLES) {
                    for (String column : p.getProperty("columns." + table, "").split(",")) {
                        if (!column.isBlank()) {
                            needed.add(table + "." + column.strip().toLowerCase());
                        }
                    }
                }
                out.put(folder.getFileName().toString(), needed);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no camera layout (folder with layout.properties) under " + dir.toAbsolutePath());
        }
        return out;
    }

    private Map<String, Set<String>> tableColumns() throws SQLException {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            for (String table : TABLES) {
                Set<String> cols = new LinkedHashSet<>();
                try (ResultSet rs = st.executeQuery("PRAGMA table_info(" + table + ")")) {
                    while (rs.next()) {
                        cols.add(rs.getString("name").toLowerCase());
                    }
                }
                out.put(table, cols);
            }
        }
        return out;
    }
}
