-- Health rows after the intake position; details (JSON text or NULL) travels as system_info.
SELECT h.id AS source_id,
       h.sent_to_server AS camera_sent,
       :#checkpointId AS checkpoint_id,
       :#hostname AS hostname,
       h.timestamp,
       h.component,
       h.status,
       h.message,
       h.details AS system_info
FROM health_checks h
WHERE h.id > :#watermark
ORDER BY h.id
LIMIT :#batchSize
