-- The edge's own database (outbox.db.path), beside the camera application's file. The camera's
-- tables are only read (through the camera layout's mapping, routes/camera/) and told which rows
-- were sent; everything the gateway keeps about a record lives here. Every statement is safe to
-- repeat at each start.
PRAGMA journal_mode = WAL;

-- One row per wire record. A camera row with N plates becomes N records (plate_idx 0..N-1), each
-- with its own message_id, chosen once at intake and kept across retries and restarts. The record
-- columns are the wire fields (docs/wire-mapping.md) as the mapping produced them: confidence in
-- percent, timestamp with the camera's UTC offset, detected_at the same instant in epoch ms.
CREATE TABLE IF NOT EXISTS outbox_detections (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    source_id       INTEGER NOT NULL,
    plate_idx       INTEGER NOT NULL DEFAULT 0,
    message_id      TEXT NOT NULL UNIQUE,
    license_plate   TEXT,
    confidence      REAL,
    checkpoint_id   TEXT,
    timestamp       TEXT,
    detected_at     INTEGER,
    hostname        TEXT,
    vehicle_type    TEXT,
    vehicle_color   TEXT,
    latitude        REAL,
    longitude       REAL,
    image_path      TEXT,
    exposure_time   REAL,
    analog_gain     REAL,
    lux             REAL,
    -- high | normal | low when the camera's row gives one, else derived at poll time
    priority        TEXT,
    sent_to_server  INTEGER NOT NULL DEFAULT 0,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    parked_reason   TEXT,
    sent_at         INTEGER,
    -- the transport that delivered the record (last_error then holds the transports that failed before it)
    sent_via        TEXT,
    -- The original JPEG goes by SFTP or rsync, apart from the record and never holding it back.
    -- image_state: NULL not inspected yet, none (no image), pending, sent, parked (reason in
    -- image_error), recheck (re-queued by an operator), deleted (removed from the camera's disk
    -- after it was sent). image_file is the name on the server: <camera_id>/<yyyy-mm-dd>/<message_id>.jpg.
    image_state     TEXT,
    image_file      TEXT,
    image_sha256    TEXT,
    image_size      INTEGER,
    image_attempts  INTEGER NOT NULL DEFAULT 0,
    image_error     TEXT,
    image_next_attempt_at INTEGER NOT NULL DEFAULT 0,
    image_sent_at   INTEGER,
    image_transport TEXT,
    -- 1 once the camera's row is marked sent (all records of the row delivered)
    camera_marked   INTEGER NOT NULL DEFAULT 0,
    UNIQUE (source_id, plate_idx)
);

CREATE TABLE IF NOT EXISTS outbox_health (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    source_id       INTEGER NOT NULL UNIQUE,
    message_id      TEXT NOT NULL UNIQUE,
    checkpoint_id   TEXT,
    hostname        TEXT,
    timestamp       TEXT,
    detected_at     INTEGER,
    component       TEXT,
    status          TEXT,
    message         TEXT,
    system_info     TEXT,
    priority        TEXT,
    sent_to_server  INTEGER NOT NULL DEFAULT 0,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    parked_reason   TEXT,
    sent_at         INTEGER,
    sent_via        TEXT,
    -- Health rows of one component that waited through an outage are coalesced: a row is superseded
    -- (superseded_by = the newest unsent row of its component) when a newer unsent row of the same
    -- component, checkpoint and host is health.coalesceAfterSeconds or more younger. Superseded rows
    -- are never sent (sent_to_server = 1 as handled, sent_at empty).
    superseded_by   INTEGER,
    camera_marked   INTEGER NOT NULL DEFAULT 0
);

-- Where intake stands in each camera table: the highest camera row id taken, the highest id the
-- camera table had when the gateway first met it (rows up to it already marked sent are history,
-- not another sender's work), and how many rows another sender marked sent since.
CREATE TABLE IF NOT EXISTS camera_intake (
    source_table    TEXT PRIMARY KEY,
    watermark       INTEGER NOT NULL DEFAULT 0,
    baseline        INTEGER NOT NULL DEFAULT 0,
    foreign_sent    INTEGER NOT NULL DEFAULT 0,
    foreign_last_id INTEGER,
    updated_at      TEXT
);

-- The poll reads only unsent, unparked records: keep that scan small whatever the table size.
CREATE INDEX IF NOT EXISTS outbox_detections_unsent ON outbox_detections (id)
    WHERE sent_to_server = 0 AND parked_reason IS NULL;
CREATE INDEX IF NOT EXISTS outbox_health_unsent ON outbox_health (id)
    WHERE sent_to_server = 0 AND parked_reason IS NULL;
CREATE INDEX IF NOT EXISTS outbox_detections_unmarked ON outbox_detections (source_id) WHERE camera_marked = 0;
CREATE INDEX IF NOT EXISTS outbox_health_unmarked ON outbox_health (source_id) WHERE camera_marked = 0;
CREATE INDEX IF NOT EXISTS outbox_detections_image_intake ON outbox_detections (id)
    WHERE image_state IS NULL AND sent_to_server = 0;
CREATE INDEX IF NOT EXISTS outbox_detections_image_pending ON outbox_detections (id)
    WHERE image_state = 'pending';
CREATE INDEX IF NOT EXISTS outbox_detections_image_recheck ON outbox_detections (id)
    WHERE image_state = 'recheck';
CREATE INDEX IF NOT EXISTS outbox_detections_parked ON outbox_detections (id) WHERE parked_reason IS NOT NULL;
CREATE INDEX IF NOT EXISTS outbox_health_parked ON outbox_health (id) WHERE parked_reason IS NOT NULL;
CREATE INDEX IF NOT EXISTS outbox_detections_sent_at ON outbox_detections (sent_at) WHERE sent_to_server = 1;
CREATE INDEX IF NOT EXISTS outbox_health_sent_at ON outbox_health (sent_at) WHERE sent_to_server = 1;

-- Local copy of the server's blacklist: plates normalised (upper case, no spaces or dashes).
-- A detection of a listed plate is high priority.
CREATE TABLE IF NOT EXISTS plate_blacklist (
    plate           TEXT PRIMARY KEY,
    reason          TEXT,
    updated_at      TEXT
);

-- Detections published over MQTT: the broker's PUBACK marks them sent, but the broker can still
-- lose a message (no server session yet, a shared-subscription member dying with it in flight).
-- Each stays here until the server's acknowledgement on .../detection/ack; one not confirmed in
-- time while the server is reachable is queued again (the server keeps one copy).
CREATE TABLE IF NOT EXISTS mqtt_unconfirmed (
    message_id      TEXT PRIMARY KEY,
    source_table    TEXT NOT NULL,
    published_at    INTEGER NOT NULL
);

-- Remote configuration (.../config/update): the settings applied and their version, applied again
-- at every start.
CREATE TABLE IF NOT EXISTS gateway_config (
    key             TEXT PRIMARY KEY,
    value           TEXT NOT NULL,
    version         INTEGER NOT NULL,
    updated_at      TEXT
);

-- Control commands (.../control) by message_id: a command arriving twice is carried out once and
-- answered again with the first response.
CREATE TABLE IF NOT EXISTS control_commands (
    message_id      TEXT PRIMARY KEY,
    command         TEXT,
    received_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    response        TEXT
);
