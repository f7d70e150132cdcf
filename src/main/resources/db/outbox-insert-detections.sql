-- One record taken from the camera's table. A record already taken (same camera row and plate,
-- an intake repeated after a crash) keeps its first message_id.
INSERT OR IGNORE INTO outbox_detections (source_id, plate_idx, message_id, license_plate, confidence,
    checkpoint_id, timestamp, detected_at, hostname, vehicle_type, vehicle_color, latitude, longitude,
    image_path, exposure_time, analog_gain, lux, priority, sent_to_server, sent_via, last_error, image_state)
VALUES (:#source_id, :#plate_idx, :#message_id, :#license_plate, :#confidence,
    :#checkpoint_id, :#timestamp, :#detected_at, :#hostname, :#vehicle_type, :#vehicle_color, :#latitude, :#longitude,
    :#image_path, :#exposure_time, :#analog_gain, :#lux, :#priority, :#sent_to_server, :#sent_via, :#last_error, :#image_state)
