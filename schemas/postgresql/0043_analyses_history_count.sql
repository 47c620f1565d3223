-- The history listing's total (GET /v1/analyses' pagination.total) is counted by a subquery that
-- reads the index alone, instead of count(*) OVER () over the page query, which made PostgreSQL
-- fetch every one of the climber's rows from the heap, all columns, to count them: on a seeded
-- database (bench/seed_scale.sh 100000 1000000) a climber with 1,010 analyses read 1,026 buffers
-- and took 11.8 ms for a page of 20 alone, the count by itself 0.37 ms from the index
-- (docs/benchmarks.md, "Seeded database"). The status filter of the listing (?status=) is
-- counted from the index too: status is carried in it (INCLUDE), so it replaces 0041's
-- analyses_user_history under the same name. Built inside the migration's transaction: writes to
-- analyses wait while it builds (seconds for 1M rows).
CREATE INDEX analyses_user_history_status ON analyses (user_id, created_at DESC, id) INCLUDE (status);
DROP INDEX analyses_user_history;
ALTER INDEX analyses_user_history_status RENAME TO analyses_user_history;
