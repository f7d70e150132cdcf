-- Health rows after the intake position, one record each.
SELECT h.id AS source_id,
       h.sent_to_server AS camera_sent,
       coalesce(h.checkpoint_id, :#checkpointId) AS checkpoint_id,
       coalesce(h.hostname, :#hostname) AS hostname,
       h.timestamp,
       h.component,
       h.status,
       h.message,
       h.system_info
FROM health_checks h
WHERE h.id > :#watermark
ORDER BY h.id
LIMIT :#batchSize
