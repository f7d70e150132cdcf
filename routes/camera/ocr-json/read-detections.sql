-- Camera rows after the intake position (:#watermark), :#batchSize rows at a time (the limit is on
-- camera rows, so that a row's plates are never split between two intakes). One record per item
-- of ocr_results whose text is not empty, plate_idx from the item (its position when absent);
-- confidence from a fraction to a percentage. A row without a readable plate (vehicles only,
-- ocr_results '[]', text empty, the column not JSON) gives one line with plate_idx NULL: nothing
-- is sent for it and the row is marked handled. To send unreadable plates too, drop the text
-- condition of the join and give license_plate a value the server accepts.
-- The table has no checkpoint or host: :#checkpointId and :#hostname (camera.checkpointId,
-- camera.hostname) fill them.
SELECT d.id AS source_id,
       d.sent_to_server AS camera_sent,
       CAST(coalesce(json_extract(p.value, '$.plate_idx'), p.key) AS INTEGER) AS plate_idx,
       trim(json_extract(p.value, '$.text')) AS license_plate,
       round(coalesce(json_extract(p.value, '$.confidence'), json_extract(p.value, '$.detection_confidence')) * 100.0, 2) AS confidence,
       :#checkpointId AS checkpoint_id,
       d.timestamp,
       :#hostname AS hostname,
       d.original_image_path AS image_path
FROM (SELECT * FROM detection_results WHERE id > :#watermark ORDER BY id LIMIT :#batchSize) d
LEFT JOIN json_each(CASE WHEN json_valid(d.ocr_results) AND json_type(d.ocr_results) = 'array' THEN d.ocr_results ELSE '[]' END) p
       ON json_type(p.value) = 'object' AND trim(coalesce(json_extract(p.value, '$.text'), '')) <> ''
ORDER BY d.id, plate_idx
