-- Edge outbox: the camera application's own tables (seed 003 column names) plus the
-- gateway's bookkeeping columns. Every statement is safe to repeat at each start.
PRAGMA journal_mode = WAL;

CREATE TABLE IF NOT EXISTS detection_results (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    license_plate   TEXT,
    confidence      REAL,
    checkpoint_id   TEXT,
    timestamp       TEXT,
    hostname        TEXT,
    vehicle_type    TEXT,
    vehicle_color   TEXT,
    latitude        REAL,
    longitude       REAL,
    image_path      TEXT,
    exposure_time   REAL,
    analog_gain     REAL,
    lux             REAL,
    sent_to_server  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS health_checks (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    checkpoint_id   TEXT,
    hostname        TEXT,
    timestamp       TEXT,
    component       TEXT,
    status          TEXT,
    message         TEXT,
    system_info     TEXT,
    sent_to_server  INTEGER NOT NULL DEFAULT 0
);

-- Gateway bookkeeping. All have defaults, so an insert naming only the camera's columns works.
ALTER TABLE detection_results ADD COLUMN message_id TEXT;
ALTER TABLE detection_results ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE detection_results ADD COLUMN last_error TEXT;
ALTER TABLE detection_results ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE detection_results ADD COLUMN parked_reason TEXT;
ALTER TABLE detection_results ADD COLUMN sent_at INTEGER;
-- high | normal | low; set by the camera application if it wishes, else derived at poll time
ALTER TABLE detection_results ADD COLUMN priority TEXT;
-- the transport that delivered the row (last_error then holds the transports that failed before it)
ALTER TABLE detection_results ADD COLUMN sent_via TEXT;

-- The original JPEG of a detection goes by SFTP or rsync, apart from the record and never holding
-- it back. image_state: NULL not inspected yet, none (no image), pending, sent, parked (reason in
-- image_error), recheck (re-queued by an operator). image_file is the name on the server: <camera_id>/<yyyy-mm-dd>/<message_id>.jpg.
ALTER TABLE detection_results ADD COLUMN image_state TEXT;
ALTER TABLE detection_results ADD COLUMN image_file TEXT;
ALTER TABLE detection_results ADD COLUMN image_sha256 TEXT;
ALTER TABLE detection_results ADD COLUMN image_size INTEGER;
ALTER TABLE detection_results ADD COLUMN image_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE detection_results ADD COLUMN image_error TEXT;
ALTER TABLE detection_results ADD COLUMN image_next_attempt_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE detection_results ADD COLUMN image_sent_at INTEGER;
ALTER TABLE detection_results ADD COLUMN image_transport TEXT;

ALTER TABLE health_checks ADD COLUMN message_id TEXT;
ALTER TABLE health_checks ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE health_checks ADD COLUMN last_error TEXT;
ALTER TABLE health_checks ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE health_checks ADD COLUMN parked_reason TEXT;
ALTER TABLE health_checks ADD COLUMN sent_at INTEGER;
ALTER TABLE health_checks ADD COLUMN priority TEXT;
ALTER TABLE health_checks ADD COLUMN sent_via TEXT;

-- The poll reads only unsent, unparked rows: keep that scan small whatever the table size.
CREATE INDEX IF NOT EXISTS detection_results_outbox ON detection_results (id)
    WHERE sent_to_server = 0 AND parked_reason IS NULL;
CREATE INDEX IF NOT EXISTS health_checks_outbox ON health_checks (id)
    WHERE sent_to_server = 0 AND parked_reason IS NULL;
CREATE UNIQUE INDEX IF NOT EXISTS detection_results_message_id ON detection_results (message_id);
CREATE UNIQUE INDEX IF NOT EXISTS health_checks_message_id ON health_checks (message_id);
CREATE INDEX IF NOT EXISTS detection_results_image_intake ON detection_results (id)
    WHERE image_state IS NULL AND sent_to_server = 0;
CREATE INDEX IF NOT EXISTS detection_results_image_pending ON detection_results (id)
    WHERE image_state = 'pending';
CREATE INDEX IF NOT EXISTS detection_results_image_recheck ON detection_results (id)
    WHERE image_state = 'recheck';
CREATE INDEX IF NOT EXISTS detection_results_parked ON detection_results (id) WHERE parked_reason IS NOT NULL;
CREATE INDEX IF NOT EXISTS health_checks_parked ON health_checks (id) WHERE parked_reason IS NOT NULL;

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

-- Health rows of one component that waited through an outage are coalesced: a row is superseded
-- (superseded_by = the newest unsent row of its component) when a newer unsent row of the same
-- component, checkpoint and host is health.coalesceAfterSeconds or more younger. Superseded rows
-- are never sent (sent_to_server = 1 as handled, sent_at empty); the camera's own timestamps are
-- compared, so its clock and time zone do not matter.
ALTER TABLE health_checks ADD COLUMN superseded_by INTEGER;

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
