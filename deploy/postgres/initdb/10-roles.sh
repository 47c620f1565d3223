#!/usr/bin/env bash
# Run once by the postgres image's entrypoint when the primary's data directory is created
# (mounted in /docker-entrypoint-initdb.d). Creates the replication role for postgres-replica, its
# physical replication slot, and a read-only monitoring role for postgres-exporter.
set -euo pipefail
: "${POSTGRES_REPLICATION_PASSWORD:?set POSTGRES_REPLICATION_PASSWORD in .env}"
: "${POSTGRES_EXPORTER_PASSWORD:?set POSTGRES_EXPORTER_PASSWORD in .env}"
psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER}" --dbname "${POSTGRES_DB}" \
  -v repl_pw="${POSTGRES_REPLICATION_PASSWORD}" -v mon_pw="${POSTGRES_EXPORTER_PASSWORD}" <<'SQL'
SELECT format('CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD %L', :'repl_pw') \gexec
SELECT pg_create_physical_replication_slot('replica1');
SELECT format('CREATE ROLE postgres_exporter WITH LOGIN PASSWORD %L', :'mon_pw') \gexec
GRANT pg_monitor TO postgres_exporter;
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
SQL
