#!/usr/bin/env bash
# A seeded database for the scale figures (issue 16 item 4): USERS users ("seed_…", ids
# 00000000-0000-4000-8000-<hex i>) and ANALYSES analyses with a video each, built by
# generate_series in PostgreSQL itself, then ANALYZEd. Nine analyses in ten go round-robin over
# every user; one in ten goes to the 100 "power users" (seed users 1–100), so a power user
# has ANALYSES/1000 analyses (1,000 for 1M) and the others about 9 — the history listing is measured for
# both. Statuses: 85 % completed, 10 % failed, 5 % pending; created over the last 365 days.
# Against a running stack (./ascension up): never part of .ci/run. Bounded: at most 1M users and
# 10M analyses; about 2 minutes for 100k / 1M on 2 cores (docs/benchmarks.md).
#   bench/seed_scale.sh [USERS=100000] [ANALYSES=1000000]   seed (after dropping an earlier seed)
#   bench/seed_scale.sh --drop                               remove every seeded row
set -euo pipefail
source "$(dirname "$0")/lib.sh"

drop() {
  # The seeded users' rows go with them (ON DELETE CASCADE).
  psql_do -c "DELETE FROM users WHERE username LIKE 'seed\\_%'"
}
if [[ "${1:-}" == "--drop" ]]; then
  drop
  echo "seed_scale: seeded rows removed" >&2
  exit 0
fi
users="${1:-100000}"
analyses="${2:-1000000}"
[[ "${users}" =~ ^[0-9]+$ && "${analyses}" =~ ^[0-9]+$ ]] || { echo "usage: $0 [USERS] [ANALYSES] | --drop" >&2; exit 2; }
(( users >= 100 && users <= 1000000 )) || { echo "seed_scale: USERS must be 100..1000000" >&2; exit 2; }
(( analyses >= 1000 && analyses <= 10000000 )) || { echo "seed_scale: ANALYSES must be 1000..10000000" >&2; exit 2; }
drop
started=$(date +%s)
psql_do -v users="${users}" -v analyses="${analyses}" <<'SQL'
INSERT INTO users (id, username, email, password_hash, created_at, updated_at)
SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid,
       'seed_' || i, 'seed_' || i || '@seed.example', 'seeded-no-login',
       now() - interval '400 days', now() - interval '400 days'
FROM generate_series(1, :users) AS i;

-- Analysis k: its user (round-robin, every tenth one to a power user), its video, its time.
CREATE TEMP TABLE seed_plan AS
SELECT k,
       ('00000000-0000-4000-8000-' || lpad(to_hex(CASE WHEN k % 10 = 0 THEN 1 + (k / 10) % 100
                                                       ELSE 1 + k % :users END), 12, '0'))::uuid AS user_id,
       ('00000000-0000-4000-9000-' || lpad(to_hex(k), 12, '0'))::uuid AS video_id,
       ('00000000-0000-4000-a000-' || lpad(to_hex(k), 12, '0'))::uuid AS analysis_id,
       now() - (k % 525600) * interval '1 minute' - (k / 525600) * interval '1 second' AS created_at,
       CASE WHEN k % 20 = 0 THEN 'pending' WHEN k % 10 = 5 THEN 'failed' ELSE 'completed' END AS status
FROM generate_series(1, :analyses) AS k;

INSERT INTO videos (id, user_id, filename, content_type, object_key, status, size_bytes, created_at, saved_at)
SELECT video_id, user_id, 'climb.mp4', 'video/mp4', 'saved/' || user_id || '/' || video_id || '.mp4', 'saved',
       20000000, created_at, created_at
FROM seed_plan;

INSERT INTO analyses (id, user_id, video_id, job_id, status, progress, stage, model, language, hints,
                      error_code, error_message, processing_time_ms, created_at, started_at, updated_at,
                      completed_at)
SELECT analysis_id, user_id, video_id, gen_random_uuid(), status,
       CASE WHEN status = 'completed' THEN 100 ELSE 0 END, NULL, 'heavy', 'fr',
       CASE WHEN status = 'completed' THEN 'Gardez les bras tendus.' END,
       CASE WHEN status = 'failed' THEN 'no_climber' END,
       CASE WHEN status = 'failed' THEN 'No climber was found in the video' END,
       CASE WHEN status = 'completed' THEN 17000 + (k % 5000)::int END,
       created_at, created_at, created_at + interval '20 seconds',
       CASE WHEN status = 'completed' THEN created_at + interval '20 seconds' END
FROM seed_plan;
DROP TABLE seed_plan;
ANALYZE users;
ANALYZE videos;
ANALYZE analyses;
SQL
psql_do -At -c "SELECT 'seed_scale: ' || (SELECT count(*) FROM users) || ' users, ' ||
                (SELECT count(*) FROM analyses) || ' analyses in the database, ' ||
                pg_size_pretty(pg_database_size(current_database())) || ' on disk'" >&2
echo "seed_scale: seeded in $(( $(date +%s) - started )) s" >&2
