UPDATE health_checks
SET sent_to_server = 1, sent_at = :#sent_at, server_response = :#server_response
WHERE id = :#source_id AND sent_to_server = 0
