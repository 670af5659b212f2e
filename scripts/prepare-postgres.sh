#!/usr/bin/env bash
# Starts the machine's PostgreSQL when it is down: the replica tests (review store, cross-replica holds, the
# three-replica e2e) create a database of their own in it (127.0.0.1:5432, user postgres, trust auth) and drop it.
set -euo pipefail
pg_isready -q -h 127.0.0.1 -p 5432 && exit 0
if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ ! -d /etc/postgresql ]; then
  echo "prepare-postgres: PostgreSQL is not installed (expected a Debian cluster under /etc/postgresql)" >&2
  exit 1
fi
version="$(ls /etc/postgresql | sort -V | tail -n 1)"
echo "prepare-postgres: starting PostgreSQL $version (cluster main)"
pg_ctlcluster --skip-systemctl-redirect "$version" main start
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && exit 0
  sleep 1
done
echo "prepare-postgres: PostgreSQL $version did not accept connections within 30 s" >&2
exit 1
