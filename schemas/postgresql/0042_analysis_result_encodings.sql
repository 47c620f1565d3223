-- GET /v1/analyses/{id}/result serves a completed analysis's result document (several MB for a
-- long climb) compressed once, not per request (issue 16 item 3): its gzip copy and its ETag are
-- computed when the result is stored (PgAnalysisRepository::Complete) and kept beside it.
--   result_etag  the document's strong ETag, quoted: the first 32 hex digits of its SHA-256 (the
--                value the API computed per request before, so ETags held by clients stay valid)
--   result_gzip  the document gzipped (RFC 1952), served as it is to a client accepting gzip
-- Rows stored before this migration (or by a writer that changes result_json without them) have
-- both NULL: the first read computes and stores them (docs/architecture.md, "Result document").
-- They are not filled here: PostgreSQL has no gzip, and rewriting every completed row at deploy
-- time would hold the table for as long as that takes; ADD COLUMN without a default is instant.
ALTER TABLE analyses ADD COLUMN result_etag text, ADD COLUMN result_gzip bytea;

-- A result_json changed without its encodings (the route re-match of routes.cpp, an operator's
-- UPDATE) drops the stale ones, so no old gzip or ETag is ever served for a new document.
CREATE FUNCTION analyses_drop_stale_result_encodings() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.result_json IS DISTINCT FROM OLD.result_json
     AND NEW.result_etag IS NOT DISTINCT FROM OLD.result_etag THEN
    NEW.result_etag := NULL;
    NEW.result_gzip := NULL;
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER analyses_result_encodings BEFORE UPDATE OF result_json ON analyses
  FOR EACH ROW EXECUTE FUNCTION analyses_drop_stale_result_encodings();
