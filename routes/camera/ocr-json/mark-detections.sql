-- A camera row all of whose records the server holds, in the camera application's own formats:
-- sent_to_server 1, sent_at as local time text, server_response the JSON the gateway got.
UPDATE detection_results
SET sent_to_server = 1, sent_at = :#sent_at, server_response = :#server_response
WHERE id = :#source_id AND sent_to_server = 0
