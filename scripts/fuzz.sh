#!/usr/bin/env bash
# Fuzzes the gateway's parsers for longer than the suite does (Jazzer; see server/pom.xml's fuzz execution): the
# session bridge's framings, the classifier (path guard, query, request info against a model of the apiserver), token
# parsing, the audit segment's tail recovery — every *FuzzTest class under server/src/test/java.
#
#   scripts/fuzz.sh               # every fuzz target, rounds of its maxDuration (5-15 s), for 10 minutes in all
#   scripts/fuzz.sh 60            # for 60 minutes
#   scripts/fuzz.sh 30 SpdyFramesFuzzTest   # one target (or several: scripts/fuzz.sh 30 QueryFuzzTest JwtPeekFuzzTest)
#
# Jazzer fuzzes one target per JVM for its @FuzzTest maxDuration; each round starts from the corpus the earlier
# rounds grew (server/.cifuzz-corpus, not committed), so rounds go deeper. An input that breaks a target is written to
# server/src/test/resources/<package path>/<Class>Inputs/<method>/crash-<sha1>: commit it with the fix, and every
# later run of the suite replays it. Stops at the first finding (exit 1).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
minutes="${1:-10}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=($(find server/src/test/java -name '*FuzzTest.java' | xargs -n1 basename | sed 's/\.java$//' | sort))
fi
mvn -B -q -ntp -pl server -am test-compile >/dev/null
deadline=$(( $(date +%s) + minutes * 60 ))
round=0
while [ "$(date +%s)" -lt "$deadline" ]; do
  round=$((round + 1))
  for target in "${targets[@]}"; do
    [ "$(date +%s)" -lt "$deadline" ] || break
    echo "fuzz: round $round, $target"
    if ! timeout 600 mvn -B -q -ntp -o -pl server surefire:test@fuzz -Dtest="$target" \
        -Dsurefire.failIfNoSpecifiedTests=false > "server/target/fuzz-$target.log" 2>&1; then
      echo "fuzz: $target found something: see server/target/fuzz-$target.log and server/src/test/resources" >&2
      exit 1
    fi
    grep -a -o '#[0-9]*[[:space:]]*DONE.*exec/s: [0-9]*' "server/target/fuzz-$target.log" | tail -1 | sed "s/^/fuzz:   $target /" || true
  done
done
echo "fuzz: $round round(s) of ${targets[*]} found nothing"
