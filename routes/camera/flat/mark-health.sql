UPDATE health_checks SET sent_to_server = 1 WHERE id = :#source_id AND sent_to_server = 0
