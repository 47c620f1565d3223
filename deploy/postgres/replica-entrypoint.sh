#!/usr/bin/env bash
# Entrypoint of postgres-replica: on first start (empty data directory) clone the primary with
# pg_basebackup over the replication protocol (-R writes standby.signal and primary_conninfo,
# -S uses the slot created on the primary, -X stream copies the WAL written meanwhile), then hand
# over to the image's own entrypoint, which starts the server as a hot standby.
set -euo pipefail
: "${PRIMARY_HOST:=postgres}"
: "${PRIMARY_PORT:=5432}"
: "${REPLICATION_SLOT:=replica1}"
: "${POSTGRES_REPLICATION_PASSWORD:?set POSTGRES_REPLICATION_PASSWORD in .env}"
PGDATA="${PGDATA:-/var/lib/postgresql/data}"

if [[ ! -s "${PGDATA}/PG_VERSION" ]]; then
  echo "replica: waiting for the primary ${PRIMARY_HOST}:${PRIMARY_PORT}"
  until pg_isready -q -h "${PRIMARY_HOST}" -p "${PRIMARY_PORT}"; do sleep 1; done
  mkdir -p "${PGDATA}"
  chown postgres:postgres "${PGDATA}"
  chmod 700 "${PGDATA}"
  echo "replica: cloning the primary (pg_basebackup)"
  # -R stores the password in postgresql.auto.conf, readable only by the postgres user.
  gosu postgres env PGPASSWORD="${POSTGRES_REPLICATION_PASSWORD}" \
    pg_basebackup -h "${PRIMARY_HOST}" -p "${PRIMARY_PORT}" -U replicator -D "${PGDATA}" \
      -R -X stream -S "${REPLICATION_SLOT}" -c fast -P
  echo "replica: clone complete"
fi
exec docker-entrypoint.sh "$@"
