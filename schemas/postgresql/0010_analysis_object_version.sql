-- The video object an analysis was accepted for (issue 10 #2): POST /v1/analyses records the
-- object's ETag and size from a HEAD; the worker downloads with If-Match on that ETag and a size
-- limit, so an object replaced after the 202 fails the analysis (video_changed) instead of being
-- analysed. NULL for analyses created before this migration (downloaded with the size limit only).
ALTER TABLE analyses ADD COLUMN object_etag text;
ALTER TABLE analyses ADD COLUMN object_size bigint CHECK (object_size >= 0);
