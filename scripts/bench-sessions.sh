#!/usr/bin/env bash
# The session bench: exec over WebSocket v5 through the gateway (recording on) against the same sessions straight
# from the in-process sandbox cluster, in the same run, all on 127.0.0.1:
#   1. stream N MiB through `cat` (two lengths; the gateway JVM's RSS before, at most during, after);
#   2. --idle-sessions idle `cat` sessions held by a fresh gateway JVM (RSS per session);
#   3. `true` sessions open-run-close for --churn-seconds (sessions/s, gateway CPU seconds per session).
# Writes bench/results/sessions-<date>-<time>.md. About 4 minutes with the defaults.
#
#   scripts/bench-sessions.sh
#   scripts/bench-sessions.sh --stream-mib 8,32 --rounds 1 --idle-sessions 200 --churn-seconds 5   # a quick look
#   scripts/bench-sessions.sh --help
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
command -v timeout >/dev/null 2>&1 || { echo "bench-sessions: needs coreutils timeout" >&2; exit 1; }

# 1,000 sessions are ~2,000 sockets in the gateway and ~2,000 in this JVM (client and sandbox): raise the soft
# limit for the children if it is low.
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 8192 ]; then
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  echo "bench-sessions: file descriptor limit $(ulimit -n)" >&2
fi

if [ -z "${SKIP_BUILD:-}" ]; then
  echo "bench-sessions: building the launcher's jar and the bench module (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  mvn -B -ntp -q -pl cli,bench -am package -DskipTests
fi
# The whole run is bounded: the bench JVM ends after 15 minutes at most; the gateways it starts run under their own
# timeout and are stopped by pid.
exec timeout --kill-after=10s 900s java -Xms256m -Xmx1g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  dev.gatehouse.bench.load.SessionBench --gateway-jar cli/target/gatehouse.jar "$@"
