#!/usr/bin/env bash
# The review bench (Gatehouse issue 16): policy and just-in-time review through a gateway JVM in front of the
# in-process sandbox cluster, each figure against a baseline of the same run, all on 127.0.0.1:
#   1. approval-to-release latency: a held DELETE approved through the reviews API, against an allowed DELETE;
#   2. --held requests held at once: the gateway JVM's threads and heap after GC, idle and held (bytes per request);
#   3. the allow path's CPU per request with the shipped default policy against no policy, alternated ABBA.
# Writes bench/results/reviews-<date>-<time>.md. About 4 minutes with the defaults.
#
#   scripts/bench-reviews.sh
#   scripts/bench-reviews.sh --rounds 50 --held 2000 --connections 20 --cpu-seconds 4 --cpu-pairs 2   # a quick look
#   scripts/bench-reviews.sh --help
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
command -v timeout >/dev/null 2>&1 || { echo "bench-reviews: needs coreutils timeout" >&2; exit 1; }

# 100 connections in the gateway and 100 in this JVM, plus the sandbox's: raise a low soft limit for the children.
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 8192 ]; then
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  echo "bench-reviews: file descriptor limit $(ulimit -n)" >&2
fi

if [ -z "${SKIP_BUILD:-}" ]; then
  echo "bench-reviews: building the launcher's jar and the bench module (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  mvn -B -ntp -q -pl cli,bench -am package -DskipTests
fi
# The whole run is bounded: the bench JVM ends after 15 minutes at most; the gateways it starts run under their own
# timeout and are stopped by pid.
exec timeout --kill-after=10s 900s java -Xms256m -Xmx1g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  dev.gatehouse.bench.load.ReviewBench --gateway-jar cli/target/gatehouse.jar "$@"
