-- The monthly quota after deletions (issue 10 #6): deleting an analysis (or its video) gave its
-- slot back. Each analysis started is charged here when it is created, and the charge outlives the
-- analysis; only a failure gives it back (the analysis was not delivered). The quota used in a
-- month is the number of charges since the month's start.
CREATE TABLE quota_charges (
  analysis_id uuid PRIMARY KEY,
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  charged_at  timestamptz NOT NULL
);
CREATE INDEX quota_charges_user ON quota_charges (user_id, charged_at);
INSERT INTO quota_charges (analysis_id, user_id, charged_at)
  SELECT id, user_id, created_at FROM analyses WHERE status <> 'failed';
