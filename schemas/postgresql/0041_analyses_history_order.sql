-- The history listing (GET /v1/analyses: one climber's analyses, newest first, ties broken by id)
-- reads its page in index order: (user_id, created_at DESC, id) is exactly the listing's ORDER BY,
-- so neither the page nor a deep OFFSET sorts anything; it replaces analyses_user_created, whose
-- every other use (a user's analyses by time) it serves as well. Measured on a seeded database of
-- 100k users and 1M analyses (bench/seed_scale.sh, bench/scale_bench.sh; docs/benchmarks.md).
CREATE INDEX analyses_user_history ON analyses (user_id, created_at DESC, id);
DROP INDEX analyses_user_created;
