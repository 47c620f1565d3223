-- Recovery of lost jobs and the language a climber never chose.
--
-- analyses.dispatch counts the times an analysis's job was handed to the queue again (by the
-- reaper, or `ascension-admin requeue` after the broker lost its data). Job messages carry it;
-- the worker skips a message whose number is older than the row's (a stale copy).
ALTER TABLE analyses ADD COLUMN dispatch integer NOT NULL DEFAULT 0;

-- The analysis a job's outbox row is for, so that the recovery can tell a job still waiting to
-- be published from one the broker lost.
ALTER TABLE outbox ADD COLUMN analysis_id uuid REFERENCES analyses (id) ON DELETE CASCADE;
CREATE INDEX outbox_analysis ON outbox (analysis_id) WHERE analysis_id IS NOT NULL;
CREATE INDEX analyses_pending ON analyses (updated_at) WHERE status = 'pending';

-- users.language is the climber's choice; NULL when they never made one (the request's
-- Accept-Language, else DEFAULT_LANGUAGE, applies). Accounts that never changed their profile
-- carry the old column default, not a choice.
ALTER TABLE users ALTER COLUMN language DROP NOT NULL;
ALTER TABLE users ALTER COLUMN language DROP DEFAULT;
UPDATE users SET language = NULL WHERE language = 'en' AND updated_at = created_at;
