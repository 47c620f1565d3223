-- Every foreign key gets an index on its referencing column, so that deleting the referenced row
-- (an account's erasure, the sweeper's expiry, bench/seed_scale.sh --drop) finds the rows to
-- cascade or to set null through the index instead of scanning the table once per deleted row:
-- dropping 1M seeded videos ran for more than 17 minutes without analyses (video_id)
-- (docs/benchmarks.md). These four were the only single-column foreign keys without one.
CREATE INDEX analyses_video ON analyses (video_id);
CREATE INDEX outbox_user ON outbox (user_id);
CREATE INDEX routes_analysis ON routes (analysis_id);
CREATE INDEX program_sessions_user ON program_sessions (user_id);
