package org.lprgateway.downlink;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lprgateway.db.SchemaMigrator;
import org.sqlite.SQLiteDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ordering of remote config messages on a real SQLite file with the edge schema: by version, or,
 * for a message without one (the existing Python server's shape), by its timestamp.
 */
class LiveConfigTest {

    private static final String T0 = "2024-01-15T10:30:00Z";
    private static final long T0_MILLIS = Instant.parse(T0).toEpochMilli();

    @TempDir
    Path dir;

    private SQLiteDataSource dataSource() throws Exception {
        Path file = dir.resolve("edge.db");
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        SchemaMigrator schema = new SchemaMigrator();
        schema.setDataSource(ds);
        schema.setDatabaseFile(file.toString());
        schema.setScript("db/edge-sqlite.sql");
        schema.migrate();
        return ds;
    }

    /** A gateway start: a fresh context, the kept config applied by {@code init}. */
    private LiveConfig start(DefaultCamelContext context) throws Exception {
        LiveConfig config = new LiveConfig();
        config.setCamelContext(context);
        config.setDataSource(dataSource());
        config.setCameraId("CAM001");
        config.init();
        return config;
    }

    private static String property(DefaultCamelContext context, String key) {
        return context.getPropertiesComponent().resolveProperty(key).orElse(null);
    }

    /** A config message as the Python server publishes it: no version, the time it was sent. */
    private static Map<String, Object> stamped(String timestamp, int batchSize) {
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("message_id", "m-" + timestamp + "-" + batchSize);
        msg.put("timestamp", timestamp);
        msg.put("camera_id", "CAM001");
        msg.put("config_type", "detection_settings");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("batch_size", batchSize);
        data.put("detection_interval", 1000);
        msg.put("config_data", data);
        return msg;
    }

    private static Map<String, Object> versioned(long version, int batchSize) {
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("message_id", "v-" + version + "-" + batchSize);
        msg.put("camera_id", "CAM001");
        msg.put("version", version);
        msg.put("config_data", Map.of("batch_size", batchSize));
        return msg;
    }

    @Test
    void a_config_without_version_is_ordered_by_its_timestamp_newer_wins_older_or_equal_is_ignored() throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        LiveConfig config = start(context);

        assertThat(config.apply(stamped(T0, 100))).containsEntry("status", "applied").containsEntry("version", T0_MILLIS);
        assertThat(property(context, "outbox.batchSize")).isEqualTo("100");

        assertThat(config.apply(stamped("2024-01-15T10:29:59Z", 7))).containsEntry("status", "ignored");
        assertThat(config.apply(stamped(T0, 8))).containsEntry("status", "ignored")
                .extractingByKey("details").asString().contains("its timestamp counts as " + T0_MILLIS);
        assertThat(property(context, "outbox.batchSize")).isEqualTo("100");

        assertThat(config.apply(stamped("2024-01-15T10:30:00.001Z", 120))).containsEntry("status", "applied");
        assertThat(property(context, "outbox.batchSize")).isEqualTo("120");
        assertThat(config.version()).isEqualTo(T0_MILLIS + 1);
    }

    @Test
    void the_timestamp_of_the_applied_config_is_kept_across_a_restart() throws Exception {
        start(new DefaultCamelContext()).apply(stamped(T0, 100));

        DefaultCamelContext restarted = new DefaultCamelContext();
        LiveConfig config = start(restarted);

        assertThat(property(restarted, "outbox.batchSize")).isEqualTo("100");
        assertThat(config.version()).isEqualTo(T0_MILLIS);
        assertThat(config.effective()).containsEntry("version", T0_MILLIS);
        assertThat(config.apply(stamped(T0, 7))).containsEntry("status", "ignored");
        assertThat(config.apply(stamped("2024-01-15T09:00:00Z", 7))).containsEntry("status", "ignored");
        assertThat(config.apply(stamped("2024-01-15T11:00:00Z", 9))).containsEntry("status", "applied");
        assertThat(property(restarted, "outbox.batchSize")).isEqualTo("9");
    }

    @Test
    void versions_and_timestamps_share_one_scale_of_epoch_milliseconds() throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        LiveConfig config = start(context);

        assertThat(config.apply(versioned(7, 50))).containsEntry("status", "applied");
        // a timestamp is a far larger number than a hand-counted version
        assertThat(config.apply(stamped(T0, 100))).containsEntry("status", "applied");
        Map<String, Object> small = config.apply(versioned(8, 60));
        assertThat(small).containsEntry("status", "ignored");
        assertThat(small.get("details").toString()).contains("not newer than the applied version " + T0_MILLIS);
        assertThat(config.apply(versioned(T0_MILLIS + 1, 70))).containsEntry("status", "applied");
        assertThat(property(context, "outbox.batchSize")).isEqualTo("70");
        // and a timestamp older than an epoch-millisecond version is ignored
        assertThat(config.apply(stamped(T0, 80))).containsEntry("status", "ignored");
    }

    @Test
    void a_version_when_present_orders_the_config_and_its_timestamp_does_not() throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        LiveConfig config = start(context);

        Map<String, Object> first = versioned(3, 30);
        first.put("timestamp", "2099-01-01T00:00:00Z");
        assertThat(config.apply(first)).containsEntry("status", "applied").containsEntry("version", 3L);
        Map<String, Object> second = versioned(4, 40);
        second.put("timestamp", "2000-01-01T00:00:00Z");
        assertThat(config.apply(second)).containsEntry("status", "applied").containsEntry("version", 4L);

        // this gateway's server API sends "version": null when the caller gave none: the timestamp orders it
        Map<String, Object> viaApi = stamped(T0, 50);
        viaApi.put("version", null);
        assertThat(config.apply(viaApi)).containsEntry("status", "applied").containsEntry("version", T0_MILLIS);
        assertThat(property(context, "outbox.batchSize")).isEqualTo("50");
    }

    @Test
    void a_config_with_neither_version_nor_a_readable_timestamp_is_refused_and_changes_nothing() throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        LiveConfig config = start(context);

        Map<String, Object> neither = stamped(T0, 10);
        neither.remove("timestamp");
        assertThat(config.apply(neither)).containsEntry("status", "refused").containsEntry("field", "version");
        assertThat(config.apply(stamped("yesterday", 10))).containsEntry("status", "refused").containsEntry("field", "timestamp");
        Map<String, Object> number = new HashMap<>(stamped(T0, 10));
        number.put("timestamp", 1705314600);
        assertThat(config.apply(number)).containsEntry("status", "refused").containsEntry("field", "timestamp");
        assertThat(config.apply(stamped("1969-12-31T23:59:59Z", 10))).containsEntry("status", "refused");
        Map<String, Object> badVersion = stamped(T0, 10);
        badVersion.put("version", "seven");
        assertThat(config.apply(badVersion)).containsEntry("status", "refused").containsEntry("field", "version");

        assertThat(config.version()).isZero();
        assertThat(property(context, "outbox.batchSize")).isNull();
    }

    @Test
    void timestamps_with_an_offset_without_a_zone_or_with_a_space_are_read_as_the_same_instant() {
        assertThat(LiveConfig.epochMillis("2024-01-15T10:30:00Z")).isEqualTo(T0_MILLIS);
        assertThat(LiveConfig.epochMillis("2024-01-15T17:30:00+07:00")).isEqualTo(T0_MILLIS);
        // Python's datetime.utcnow().isoformat(): no zone, microseconds
        assertThat(LiveConfig.epochMillis("2024-01-15T10:30:00.123456")).isEqualTo(T0_MILLIS + 123);
        assertThat(LiveConfig.epochMillis("2024-01-15 10:30:00")).isEqualTo(T0_MILLIS);
        assertThat(LiveConfig.epochMillis("2024-01-15")).isNull();
        assertThat(LiveConfig.epochMillis("")).isNull();
        assertThat(LiveConfig.epochMillis(1705314600L)).isNull();
    }

    @Test
    void a_version_or_timestamp_far_ahead_of_the_clock_is_refused_not_stored_and_a_reset_unblocks_a_stuck_one() throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        LiveConfig config = start(context);
        config.setMaxVersionAheadMillis(60_000);
        long now = System.currentTimeMillis();

        assertThat(config.apply(versioned(Long.MAX_VALUE, 50))).containsEntry("status", "refused").containsEntry("field", "version");
        assertThat(config.apply(stamped(Instant.ofEpochMilli(now + 3_600_000).toString(), 50)))
                .containsEntry("status", "refused").containsEntry("field", "timestamp");
        assertThat(config.version()).isZero();
        assertThat(property(context, "outbox.batchSize")).isNull();

        // within the bound: taken, and it outranks what follows until the operator resets it
        assertThat(config.apply(versioned(now + 30_000, 60))).containsEntry("status", "applied");
        assertThat(config.apply(versioned(9, 70))).containsEntry("status", "ignored");
        assertThat(config.resetVersion()).isEqualTo(now + 30_000);
        assertThat(property(context, "outbox.batchSize")).isEqualTo("60");
        assertThat(config.apply(versioned(9, 70))).containsEntry("status", "applied");
        assertThat(config.version()).isEqualTo(9);
    }
}
