package org.lprgateway.downlink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

/**
 * The edge's copy of the server's blacklist ({@code plate_blacklist}), replaced whole by each
 * update in one transaction, so the priority rule never sees a half-written list. An update older
 * than the one applied (by {@code version}) is ignored.
 */
public class PlateBlacklist {

    private static final String VERSION_TABLE =
            "CREATE TABLE IF NOT EXISTS plate_blacklist_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)";

    private DataSource dataSource;
    private long maxVersionAheadMillis = 86_400_000L;

    public void setDataSource(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Versions are epoch milliseconds: one more than this beyond now is refused and not stored. */
    public void setMaxVersionAheadMillis(long maxVersionAheadMillis) {
        this.maxVersionAheadMillis = maxVersionAheadMillis;
    }

    /** Forgets the applied version (the list stays): the next update is taken whatever its version. @return the version forgotten */
    public long resetVersion() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute(VERSION_TABLE);
            long was = 0;
            try (var rs = st.executeQuery("SELECT version FROM plate_blacklist_version WHERE id = 1")) {
                if (rs.next()) {
                    was = rs.getLong(1);
                }
            }
            st.execute("DELETE FROM plate_blacklist_version");
            return was;
        }
    }

    /**
     * @return the number of plates now listed, or -1 when the update was older than the copy
     * @throws IllegalArgumentException when the version is too far ahead of this clock
     */
    public int replace(List<Map<String, Object>> rows, Long versionOrNull) throws SQLException {
        long version = versionOrNull == null ? 0 : versionOrNull;
        if (version > System.currentTimeMillis() + maxVersionAheadMillis) {
            throw new IllegalArgumentException("version " + version + " is more than " + maxVersionAheadMillis
                    + " ms ahead of this camera's clock: not stored");
        }
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute(VERSION_TABLE);
                try (var rs = st.executeQuery("SELECT version FROM plate_blacklist_version WHERE id = 1")) {
                    if (rs.next() && rs.getLong(1) > version) {
                        c.rollback();
                        return -1;
                    }
                }
                st.execute("DELETE FROM plate_blacklist");
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT OR REPLACE INTO plate_blacklist (plate, reason, updated_at) VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))")) {
                    for (Map<String, Object> r : rows) {
                        ps.setObject(1, r.get("plate"));
                        ps.setObject(2, r.get("reason"));
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO plate_blacklist_version (id, version) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version")) {
                    ps.setLong(1, version);
                    ps.executeUpdate();
                }
                c.commit();
                return rows.size();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }
}
