-- Camera rows after the intake position (:#watermark), :#batchSize at a time, one record each
-- (plate_idx 0). Columns are named as the outbox's (docs/wire-mapping.md): confidence is already
-- a percentage here. camera_sent is the row's own flag: rows marked sent by someone else are
-- not taken. :#checkpointId and :#hostname fill rows that leave them empty.
SELECT d.id AS source_id,
       d.sent_to_server AS camera_sent,
       0 AS plate_idx,
       d.license_plate,
       d.confidence,
       coalesce(d.checkpoint_id, :#checkpointId) AS checkpoint_id,
       d.timestamp,
       coalesce(d.hostname, :#hostname) AS hostname,
       d.vehicle_type,
       d.vehicle_color,
       d.latitude,
       d.longitude,
       d.image_path,
       d.exposure_time,
       d.analog_gain,
       d.lux
FROM detection_results d
WHERE d.id > :#watermark
ORDER BY d.id
LIMIT :#batchSize
