package org.lprgateway.downlink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.support.PropertyBindingSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remote configuration of the edge (config messages on {@code .../config/update}). A message
 * names, in {@code config_data}, the settings to change; the settings this gateway knows are
 * listed in {@link #SETTINGS}. A valid, newer config changes the live settings at once (routes
 * read most of them per message; timer periods are set on their endpoints and the timers
 * restarted; beans get the new value), is kept in the edge database ({@code gateway_config}) and
 * applied again at every start, above the file, environment and command-line values. An older or
 * repeated one is ignored; an invalid value refuses the whole message, naming the field, and
 * changes nothing. Keys this gateway does not know are ignored and listed in the response.
 *
 * <p>Order. A message is ordered by its {@code version} (a whole number of at least 1), or, when
 * it has none, by its {@code timestamp} as epoch milliseconds: the existing Python server sends
 * config updates without a version, stamped with the time it sent them. Both land on one scale,
 * kept in {@code gateway_config.version}: a config is applied only when its number is above the
 * applied one. Only the sender's own timestamps are compared, never the camera's clock. A
 * timestamp-ordered config therefore outranks any small version, and once one is applied a later
 * versioned config needs a version above that number (an epoch-millisecond version always
 * works); the response to an ignored config names the number to beat.
 */
public class LiveConfig implements CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger("org.lprgateway.config");

    /**
     * One remotely settable value: its property, bounds or choices, and what must follow a change:
     * the timer routes whose consumer endpoint takes it as {@code period} (restarted if running),
     * or the bean property it is copied to. The others are read by the routes at every message.
     */
    public record Setting(String property, long min, long max, List<String> choices, List<String> timerRoutes,
                          String bean, String beanProperty) {
    }

    private static final List<String> OUTBOX = List.of("poll-detections", "poll-health-checks");
    public static final Map<String, Setting> SETTINGS = new LinkedHashMap<>();

    static {
        SETTINGS.put("poll_interval_ms", new Setting("outbox.pollInterval", 100, 60_000, null, OUTBOX, null, null));
        SETTINGS.put("batch_size", new Setting("outbox.batchSize", 1, 5_000, null, List.of(), null, null));
        SETTINGS.put("high_confidence", new Setting("router.highConfidence", 0, 100, null, List.of(), null, null));
        SETTINGS.put("small_message_bytes", new Setting("router.smallMessageBytes", 0, 100_000_000, null, List.of(), null, null));
        SETTINGS.put("medium_message_bytes", new Setting("router.mediumMessageBytes", 0, 100_000_000, null, List.of(), null, null));
        SETTINGS.put("pinned_transport", new Setting("gateway.transport.pinned", 0, 0,
                List.of("", "websocket", "rest", "mqtt"), List.of(), null, null));
        SETTINGS.put("large_file_bytes", new Setting("router.file.largeBytes", 0, 10_000_000_000L, null, List.of(), null, null));
        SETTINGS.put("pinned_file_transport", new Setting("gateway.files.pinned", 0, 0, List.of("", "sftp", "rsync"), List.of(), null, null));
        SETTINGS.put("image_max_width", new Setting("image.inline.maxWidth", 16, 8192, null, List.of(), "imageCodec", "maxWidth"));
        SETTINGS.put("image_max_height", new Setting("image.inline.maxHeight", 16, 8192, null, List.of(), "imageCodec", "maxHeight"));
        SETTINGS.put("image_quality", new Setting("image.inline.quality", 1, 100, null, List.of(), "imageCodec", "quality"));
        SETTINGS.put("health_interval_ms", new Setting("health.intervalMillis", 1_000, 86_400_000, null,
                List.of("publish-health"), null, null));
    }

    private CamelContext camelContext;
    private DataSource dataSource;
    private String cameraId = "CAM001";
    private long maxVersionAheadMillis = 86_400_000L;

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

    /** This edge's camera.id: it names MQTT topics and image folders, so start-up stops on an invalid one. */
    public void setCameraId(String cameraId) {
        if (!org.lprgateway.ingest.CameraIds.valid(cameraId)) {
            throw new IllegalArgumentException("camera.id is not a valid camera id (" + org.lprgateway.ingest.CameraIds.RULE + ")");
        }
        this.cameraId = cameraId;
    }

    /**
     * A version (or versionless timestamp) more than this beyond the current epoch milliseconds is
     * refused and not stored: once kept it would make every genuine later config look old.
     */
    public void setMaxVersionAheadMillis(long maxVersionAheadMillis) {
        this.maxVersionAheadMillis = maxVersionAheadMillis;
    }

    /** Applies the kept remote config before the routes and the beans after this one are built. */
    public void init() throws SQLException {
        Map<String, String> kept = kept();
        kept.forEach((key, value) -> {
            Setting s = SETTINGS.get(key);
            if (s != null) {
                override(s.property(), value);
            }
        });
        if (!kept.isEmpty()) {
            LOG.info("remote config version {} applied from the edge database: {}", version(), kept);
        }
    }

    /**
     * Judges and applies one config message.
     *
     * @return the response: {@code message_id}, {@code camera_id}, {@code status} (applied, ignored
     *         or refused), {@code version} (for a config without one: its timestamp as epoch
     *         milliseconds), and {@code field} and {@code details} for a refusal
     */
    public synchronized Map<String, Object> apply(Object message) throws Exception {
        if (!(message instanceof Map<?, ?> msg)) {
            return response(null, "refused", null, null, "message must be a JSON object");
        }
        Object id = msg.get("message_id");
        Object camera = msg.get("camera_id");
        if (camera != null && !cameraId.equals(camera.toString())) {
            return response(id, "refused", null, "camera_id", "this is camera " + cameraId);
        }
        Long version;
        if (msg.get("version") != null) {
            version = msg.get("version") instanceof Number n && n.doubleValue() == Math.floor(n.doubleValue()) ? n.longValue() : null;
            if (version == null || version < 1) {
                return response(id, "refused", null, "version", "a whole number of at least 1 is required");
            }
        } else if (msg.get("timestamp") != null) {
            version = epochMillis(msg.get("timestamp"));
            if (version == null || version < 1) {
                return response(id, "refused", null, "timestamp",
                        "an ISO-8601 date-time after 1970 is required (no zone means UTC)");
            }
        } else {
            return response(id, "refused", null, "version", "a version (whole number of at least 1) or a timestamp is required");
        }
        if (version > System.currentTimeMillis() + maxVersionAheadMillis) {
            return response(id, "refused", version, msg.get("version") != null ? "version" : "timestamp",
                    "more than " + maxVersionAheadMillis + " ms ahead of this camera's clock (versions are at most epoch milliseconds)");
        }
        if (!(msg.get("config_data") instanceof Map<?, ?> data)) {
            return response(id, "refused", version, "config_data", "required object is missing");
        }
        Map<String, String> changes = new LinkedHashMap<>();
        List<String> ignoredKeys = new ArrayList<>();
        for (Map.Entry<?, ?> e : data.entrySet()) {
            String key = String.valueOf(e.getKey());
            Setting s = SETTINGS.get(key);
            if (s == null) {
                ignoredKeys.add(key);
                continue;
            }
            String problem = check(s, e.getValue());
            if (problem != null) {
                return response(id, "refused", version, "config_data." + key, problem);
            }
            changes.put(key, e.getValue() instanceof Number n ? String.valueOf(n.longValue()) : String.valueOf(e.getValue()));
        }
        long current = version();
        if (version <= current) {
            return response(id, "ignored", version, null, "version " + version + " is not newer than the applied version " + current
                    + (msg.get("version") == null ? " (this config has no version: its timestamp counts as " + version + ")" : ""));
        }
        if (changes.isEmpty()) {
            Map<String, Object> r = response(id, "ignored", version, null, "no setting this gateway knows (see its README)");
            r.put("ignored_keys", ignoredKeys);
            return r;
        }
        keep(changes, version);
        for (Map.Entry<String, String> c : changes.entrySet()) {
            Setting s = SETTINGS.get(c.getKey());
            override(s.property(), c.getValue());
            if (s.bean() != null) {
                Object bean = camelContext.getRegistry().lookupByName(s.bean());
                if (bean != null) {
                    PropertyBindingSupport.build().bind(camelContext, bean, s.beanProperty(), c.getValue());
                }
            }
            for (String routeId : s.timerRoutes()) {
                retime(routeId, Long.parseLong(c.getValue()));
            }
        }
        LOG.info("remote config version {} applied: {}{}", version, changes,
                ignoredKeys.isEmpty() ? "" : " (ignored unknown keys " + ignoredKeys + ")");
        Map<String, Object> r = response(id, "applied", version, null, "applied " + changes.keySet());
        r.put("applied", changes);
        r.put("ignored_keys", ignoredKeys);
        return r;
    }

    /** A timer route gets a new period: set on its endpoint, taken when the consumer (re)starts. */
    private void retime(String routeId, long period) throws Exception {
        Route route = camelContext.getRoute(routeId);
        if (route == null) {
            return;
        }
        PropertyBindingSupport.build().bind(camelContext, route.getEndpoint(), "period", period);
        if (camelContext.getRouteController().getRouteStatus(routeId) == ServiceStatus.Started) {
            camelContext.getRouteController().stopRoute(routeId);
            camelContext.getRouteController().startRoute(routeId);
        }
    }

    /** The effective config as a config message ({@code config_type} effective). */
    public Map<String, Object> effective() throws SQLException {
        Map<String, Object> data = new LinkedHashMap<>();
        for (Map.Entry<String, Setting> e : SETTINGS.entrySet()) {
            String v = camelContext.getPropertiesComponent().resolveProperty(e.getValue().property()).orElse("");
            data.put(e.getKey(), e.getValue().choices() != null ? v : parse(v));
        }
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("message_id", UUID.randomUUID().toString());
        msg.put("timestamp", Instant.now().toString());
        msg.put("camera_id", cameraId);
        msg.put("config_type", "effective");
        msg.put("version", version());
        msg.put("config_data", data);
        return msg;
    }

    /** A message that is not even JSON. */
    public Map<String, Object> malformed(String reason) {
        return response(null, "refused", null, null, "not a JSON object: " + reason);
    }

    /**
     * A config message's timestamp as epoch milliseconds: ISO-8601 with a zone or offset, or
     * without one taken as UTC (Python's {@code datetime.utcnow().isoformat()}); a space instead
     * of the {@code T} is accepted. Anything else (a number included) is null.
     */
    static Long epochMillis(Object timestamp) {
        if (!(timestamp instanceof String text)) {
            return null;
        }
        String t = text.strip();
        if (t.length() > 10 && t.charAt(10) == ' ') {
            t = t.substring(0, 10) + 'T' + t.substring(11);
        }
        try {
            TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parse(t);
            Instant at = parsed.query(TemporalQueries.zone()) != null
                    ? ZonedDateTime.from(parsed).toInstant()
                    : LocalDateTime.from(parsed).toInstant(ZoneOffset.UTC);
            return at.toEpochMilli();
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static Object parse(String v) {
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            return v;
        }
    }

    private static String check(Setting s, Object value) {
        if (s.choices() != null) {
            String v = value == null ? "" : value.toString();
            return s.choices().contains(v) ? null : "must be one of " + s.choices();
        }
        if (!(value instanceof Number n) || n.doubleValue() != Math.floor(n.doubleValue())) {
            return "must be a whole number";
        }
        long v = n.longValue();
        return v < s.min() || v > s.max() ? "must be between " + s.min() + " and " + s.max() : null;
    }

    private Map<String, Object> response(Object id, String status, Long version, String field, String details) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("message_id", id);
        r.put("camera_id", cameraId);
        r.put("timestamp", Instant.now().toString());
        r.put("status", status);
        r.put("version", version);
        if (field != null) {
            r.put("field", field);
        }
        r.put("details", details);
        return r;
    }

    private void override(String property, String value) {
        camelContext.getPropertiesComponent().addOverrideProperty(property, value);
    }

    /**
     * Forgets the applied version (the settings stay): the next config with any version is applied.
     * The operator's way out of a version that blocks genuine configs.
     *
     * @return the version forgotten
     */
    public synchronized long resetVersion() throws SQLException {
        long was = version();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE gateway_config SET version = 0")) {
            ps.executeUpdate();
        }
        LOG.warn("remote config version {} reset by the operator: the next config is applied whatever its version", was);
        return was;
    }

    /** The applied version, 0 when none. */
    public long version() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT max(version) FROM gateway_config");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private Map<String, String> kept() throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT key, value FROM gateway_config ORDER BY key");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    private void keep(Map<String, String> changes, long version) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO gateway_config (key, value, version, updated_at) "
                    + "VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) "
                    + "ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = excluded.version, updated_at = excluded.updated_at")) {
                for (Map.Entry<String, String> e : changes.entrySet()) {
                    ps.setString(1, e.getKey());
                    ps.setString(2, e.getValue());
                    ps.setLong(3, version);
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }
}
