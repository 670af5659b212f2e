/**
 * The load harness: in one run on loopback it measures a fixed-body nginx upstream directly, nginx as a
 * reverse proxy, {@code kubectl proxy} and the gateway in front of that same upstream, and reports requests/s,
 * latency percentiles and each proxy's CPU time per request, with ratios against nginx measured in the same
 * run. Entry point: {@link dev.gatehouse.bench.load.LoadHarness}; run it with {@code scripts/bench.sh}. Two focused
 * benches share its processes and fixture: {@link dev.gatehouse.bench.load.SessionBench} (exec sessions,
 * {@code scripts/bench-sessions.sh}) and {@link dev.gatehouse.bench.load.ReviewBench} (policy and held requests,
 * {@code scripts/bench-reviews.sh}).
 */
package dev.gatehouse.bench.load;
