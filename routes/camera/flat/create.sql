-- The camera tables of this layout, for a camera database that has none yet (the demo's simulated
-- camera, camera.createTables = true). A real camera application creates its own.
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
