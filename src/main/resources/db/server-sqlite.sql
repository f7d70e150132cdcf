-- Server store (seed 003 table names). message_id is the idempotency key: one stored copy per record.
PRAGMA journal_mode = WAL;

CREATE TABLE IF NOT EXISTS lpr_detections (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id      TEXT NOT NULL UNIQUE,
    license_plate   TEXT NOT NULL,
    confidence      REAL NOT NULL,
    checkpoint_id   TEXT NOT NULL,
    timestamp       TEXT NOT NULL,
    hostname        TEXT NOT NULL,
    vehicle_type    TEXT,
    vehicle_color   TEXT,
    latitude        REAL,
    longitude       REAL,
    exposure_time   REAL,
    analog_gain     REAL,
    lux             REAL,
    image_path      TEXT,
    transport       TEXT,
    received_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE IF NOT EXISTS health_monitors (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id      TEXT NOT NULL UNIQUE,
    checkpoint_id   TEXT NOT NULL,
    hostname        TEXT NOT NULL,
    timestamp       TEXT NOT NULL,
    component       TEXT NOT NULL,
    status          TEXT NOT NULL,
    message         TEXT,
    system_info     TEXT,
    transport       TEXT,
    received_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- The original JPEG arrives apart (SFTP or rsync) as <image_file> under the server image folder.
-- image_state: none (no image announced), awaiting, received (digest matches), mismatch.
ALTER TABLE lpr_detections ADD COLUMN image_file TEXT;
ALTER TABLE lpr_detections ADD COLUMN image_sha256 TEXT;
ALTER TABLE lpr_detections ADD COLUMN image_size INTEGER;
ALTER TABLE lpr_detections ADD COLUMN image_state TEXT NOT NULL DEFAULT 'none';
ALTER TABLE lpr_detections ADD COLUMN image_received_at TEXT;

CREATE INDEX IF NOT EXISTS lpr_detections_received_at ON lpr_detections (received_at);
CREATE INDEX IF NOT EXISTS health_monitors_received_at ON health_monitors (received_at);

-- Blacklist (plates normalised: upper case, no spaces, dashes or dots). Changes are published
-- on lprserver/blacklist/updates; a detection of a listed plate is marked and notified.
CREATE TABLE IF NOT EXISTS blacklist (
    plate           TEXT PRIMARY KEY,
    display         TEXT NOT NULL,
    reason          TEXT,
    added_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
ALTER TABLE lpr_detections ADD COLUMN blacklisted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE lpr_detections ADD COLUMN blacklist_reason TEXT;

-- Cameras seen over MQTT (detections, health reports, responses): last contact and last health.
CREATE TABLE IF NOT EXISTS cameras (
    camera_id       TEXT PRIMARY KEY,
    last_seen       TEXT NOT NULL,
    last_health_status TEXT,
    last_health     TEXT,
    last_health_at  TEXT
);

-- Presence of each camera's gateway, from the retained online / offline on
-- lprserver/cameras/<camera>/status: presence 'online' or 'offline' (NULL: never heard),
-- presence_since when it took that value (kept when the same value comes again).
ALTER TABLE cameras ADD COLUMN presence TEXT;
ALTER TABLE cameras ADD COLUMN presence_since TEXT;

-- SHA-256 of the inline preview a detection was stored with: a later message with the same
-- message_id and another preview is a conflicting duplicate, not a retry.
ALTER TABLE lpr_detections ADD COLUMN preview_sha256 TEXT;

-- Acknowledgements of stored detections that could not be published (the server's own MQTT
-- connection down or not up yet): published, oldest first, as soon as it is up again.
CREATE TABLE IF NOT EXISTS pending_acks (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    topic           TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      INTEGER NOT NULL
);
