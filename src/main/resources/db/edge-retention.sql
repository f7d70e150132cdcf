-- Indexes retention and the disk guard need on the edge's own database (outbox.db.path), applied
-- after edge-sqlite.sql at every start; each statement is safe to repeat.

-- Sent images by the time they were sent: the oldest are deleted first, without a table scan.
CREATE INDEX IF NOT EXISTS outbox_detections_image_sent ON outbox_detections (image_sent_at)
    WHERE image_state = 'sent';
-- Every record naming one image file (a camera row with several plates shares one file): the file
-- goes only when all of them allow it.
CREATE INDEX IF NOT EXISTS outbox_detections_image_path ON outbox_detections (image_path);
