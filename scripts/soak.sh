#!/usr/bin/env bash
# Soak test (not in CI): runs `gatehouse demo` in a directory of its own and puts a mixed kubectl load on it for a
# while — list/get loops, watches and followed logs that are restarted when their request timeout ends — sampling the
# gateway's RSS, open file descriptors, threads and the audit log's durable-wait histogram every 10 s. The report
# (soak-<date>.md in the work directory, also printed) says whether memory stayed flat and whether any request failed.
#
#   scripts/soak.sh                 # 30 minutes
#   scripts/soak.sh 5               # 5 minutes
#   SOAK_WORKERS=4 scripts/soak.sh 30   # list/get loops in parallel (default 2)
#
# Every process it starts runs under `timeout` and is stopped by its pid at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
minutes="${1:-30}"
case "$minutes" in ''|*[!0-9]*) echo "soak: minutes must be a whole number (got '$minutes')" >&2; exit 2;; esac
workers="${SOAK_WORKERS:-2}"
work="$(mktemp -d /tmp/gatehouse-soak-XXXXXX)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
seconds=$((minutes * 60))
report="$work/soak-$(date -u +%Y-%m-%d-%H%M).md"
pids=()

cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "${demo_pid:-}" ] && kill "$demo_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

echo "soak: $minutes min, $workers list/get workers, work directory $work" >&2
# a bounded heap, so a leak shows as a growing old generation (and GC work) rather than as RSS the JVM merely
# has not returned; the demo JVM also runs the sandbox cluster and the identity provider
GATEHOUSE_JAVA_OPTS="${GATEHOUSE_JAVA_OPTS:--Xms256m -Xmx768m}" \
  timeout $((seconds + 300)) ./gatehouse demo --dir "$work/demo" --port "$port" >"$work/demo.log" 2>&1 &
demo_pid=$!
for _ in $(seq 1 180); do
  grep -q "Ctrl-C stops the demo" "$work/demo.log" 2>/dev/null && break
  kill -0 "$demo_pid" 2>/dev/null || { echo "soak: the demo did not start:" >&2; tail -20 "$work/demo.log" >&2; exit 1; }
  sleep 1
done
grep -q "Ctrl-C stops the demo" "$work/demo.log" || { echo "soak: the demo did not start in 3 minutes" >&2; exit 1; }
java_pid="$(pgrep -f "gatehouse.jar demo --dir $work/demo" | head -1)"
export KUBECONFIG="$work/demo/kubeconfig"
token="$(cat "$work/demo/tokens/alice")"
ca="$work/demo/tls/ca.crt"
end=$(( $(date +%s) + seconds ))
mkdir -p "$work/counts"

# one loop: runs a kubectl command until the end, counting successes and failures (a timeout of a watch or a
# followed log at its own --request-timeout is a success: the gateway ended it cleanly)
loop() {
  local name="$1"; shift
  local ok=0 failed=0
  while [ "$(date +%s)" -lt "$end" ]; do
    if timeout 90 kubectl "$@" >/dev/null 2>>"$work/counts/$name.err"; then ok=$((ok + 1)); else
      rc=$?; if [ "$rc" -eq 124 ]; then failed=$((failed + 1)); else
        if tail -1 "$work/counts/$name.err" | grep -q -i "timeout\|context deadline"; then ok=$((ok + 1)); else failed=$((failed + 1)); fi
      fi
    fi
    echo "$ok $failed" >"$work/counts/$name"
  done
}
for i in $(seq 1 "$workers"); do
  loop "get-$i" get pods -A -o name & pids+=($!)
  loop "get-one-$i" get deployment web -n dev -o json & pids+=($!)
done
watch_loop() { # kubectl's --request-timeout does not end a watch: end each after 30 s; that is a success
  local ok=0 failed=0
  while [ "$(date +%s)" -lt "$end" ]; do
    if timeout 30 kubectl get pods -n dev -w >/dev/null 2>>"$work/counts/watch.err"; then rc=0; else rc=$?; fi
    if [ "$rc" -eq 124 ]; then ok=$((ok + 1)); else failed=$((failed + 1)); fi
    echo "$ok $failed" >"$work/counts/watch"
  done
}
watch_loop & pids+=($!)
loop logs logs -f -n dev deploy/web --request-timeout=30s & pids+=($!)

sample() {
  local rss fds threads wait
  rss=$(awk '/VmRSS/{print $2}' "/proc/$java_pid/status")
  old_gen=$("$JAVA_HOME/bin/jstat" -gc "$java_pid" 2>/dev/null | awk 'NR==1{for(i=1;i<=NF;i++) if($i=="OU") c=i} NR==2 && c{printf "%d", $c / 1024}')
  threads=$(awk '/Threads/{print $2}' "/proc/$java_pid/status")
  fds=$(ls "/proc/$java_pid/fd" | wc -l)
  wait=$(curl -s --cacert "$ca" -H "Authorization: Bearer $token" "https://127.0.0.1:$port/metrics" \
    | awk '/^gatehouse_audit_durable_wait_seconds_(count|sum|max)/{printf "%s=%s ", $1, $2}')
  echo "| $(date -u +%H:%M:%S) | $((rss / 1024)) | ${old_gen:-?} | $fds | $threads | $wait |"
}
{
  echo "# Soak $(date -u +%Y-%m-%dT%H:%MZ): $minutes min, $workers list/get workers, watch, logs -f"
  echo
  echo "Gateway JVM pid $java_pid; load average at start $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| time | RSS MiB | old gen MiB | fds | threads | durable wait |"
  echo "|---|---:|---:|---:|---:|---|"
} >"$report"
first_rss=""
while [ "$(date +%s)" -lt "$end" ]; do
  kill -0 "$java_pid" 2>/dev/null || { echo "soak: the gateway died" >&2; echo "**The gateway died.**" >>"$report"; break; }
  line="$(sample)"; echo "$line" >>"$report"
  [ -z "$first_rss" ] && first_rss=$(awk '/VmRSS/{print $2}' "/proc/$java_pid/status")
  sleep 10
done
for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
last_rss=$(awk '/VmRSS/{print $2}' "/proc/$java_pid/status" 2>/dev/null || echo 0)
{
  echo
  echo "| loop | succeeded | failed |"
  echo "|---|---:|---:|"
  total_failed=0
  for f in "$work"/counts/*; do
    case "$f" in *.err) continue;; esac
    read -r ok failed <"$f"; total_failed=$((total_failed + failed))
    echo "| $(basename "$f") | $ok | $failed |"
  done
  echo
  echo "RSS at the first sample $((first_rss / 1024)) MiB, at the end $((last_rss / 1024)) MiB; failed requests: $total_failed."
  echo "Load average at the end $(cut -d' ' -f1-3 /proc/loadavg). Failures' stderr: $work/counts/*.err"
} >>"$report"
cat "$report"
./gatehouse audit verify --log-dir "$work/demo/data/audit" --allow-unsigned-tail | tail -1 || true
