-- A camera row all of whose records the server holds: the only column this layout has for it.
UPDATE detection_results SET sent_to_server = 1 WHERE id = :#source_id AND sent_to_server = 0
