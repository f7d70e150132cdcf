-- One health record taken from the camera's table; taken twice, it keeps its first message_id.
INSERT OR IGNORE INTO outbox_health (source_id, message_id, checkpoint_id, hostname, timestamp, detected_at,
    component, status, message, system_info, priority)
VALUES (:#source_id, :#message_id, :#checkpoint_id, :#hostname, :#timestamp, :#detected_at,
    :#component, :#status, :#message, :#system_info, :#priority)
