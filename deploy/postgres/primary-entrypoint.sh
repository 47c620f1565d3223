#!/usr/bin/env bash
# Entrypoint of the primary: a fresh named volume for the WAL archive is owned by root; hand it to
# the postgres user (archive_command runs as postgres), then run the image's own entrypoint.
set -euo pipefail
archive=/var/lib/postgresql/wal-archive
mkdir -p "${archive}"
chown postgres:postgres "${archive}"
chmod 700 "${archive}"
exec docker-entrypoint.sh "$@"
