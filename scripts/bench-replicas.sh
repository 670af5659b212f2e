#!/usr/bin/env bash
# Replicas on PostgreSQL (Gatehouse issue 20): approval-to-release across replicas (held on A, approved on B,
# released by LISTEN/NOTIFY) against one node, alternated round by round in the same run, plus the embedded SQLite
# store for reference. Needs the machine's PostgreSQL (scripts/prepare-postgres.sh starts it); the bench makes a
# database of its own and drops it. About a minute with the defaults.
#
#   scripts/bench-replicas.sh
#   scripts/bench-replicas.sh --rounds 50 --postgres jdbc:postgresql://127.0.0.1:5432/postgres
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
cd "$ROOT"
bash scripts/prepare-postgres.sh
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -B -ntp -q -pl bench -am package -DskipTests
fi
exec timeout --kill-after=10s 600s java -Xms128m -Xmx512m \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.gatehouse.bench.replica.ReplicaReleaseBench "$@"
