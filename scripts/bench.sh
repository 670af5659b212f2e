#!/usr/bin/env bash
# The load harness (Gatehouse issue 3): nginx upstream direct, nginx as reverse proxy, kubectl proxy and the
# gateway, on loopback, at concurrency 1/16/64; prints a table and writes bench/results/load-<date>-<time>.{md,json}.
#
#   scripts/bench.sh                      # the documented run (about 6 minutes)
#   scripts/bench.sh --duration 3 --warmup 3 --no-streaming   # a quick look
#   scripts/bench.sh --profile            # adds a JFR profile of the gateway at the highest concurrency
#   scripts/bench.sh --help               # every option
#
# Installs what is missing (nginx-light, wrk, nghttp2-client for h2load) from Debian; builds the bench module.
# Measure on a quiet machine: the load average is recorded next to every figure.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh

missing=()
command -v nginx >/dev/null 2>&1 || missing+=(nginx-light)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v h2load >/dev/null 2>&1 || missing+=(nghttp2-client)
command -v timeout >/dev/null 2>&1 || missing+=(coreutils)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "bench: missing ${missing[*]}; install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "bench: installing ${missing[*]} from Debian" >&2
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
fi
KUBECTL=/usr/lib/google-cloud-sdk/bin/kubectl.1.32
if [ ! -x "$KUBECTL" ] && ! command -v kubectl >/dev/null 2>&1; then
  echo "bench: no kubectl (looked for $KUBECTL and kubectl on PATH)" >&2
  exit 1
fi

echo "bench: building the launcher's jar and the bench module (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
mvn -B -q -pl cli,bench -am package -DskipTests
# The gateway runs as 'java -jar cli/target/gatehouse.jar serve --config FILE', as it is deployed.
exec java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.gatehouse.bench.load.LoadHarness \
  --gateway-jar cli/target/gatehouse.jar "$@"
