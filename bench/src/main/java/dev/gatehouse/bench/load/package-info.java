/**
 * The load harness: in one run on loopback it measures a fixed-body nginx upstream directly, nginx as a
 * reverse proxy, {@code kubectl proxy} and the gateway in front of that same upstream, and reports requests/s,
 * latency percentiles and each proxy's CPU time per request, with ratios against nginx measured in the same
 * run. Entry point: {@link dev.gatehouse.bench.load.LoadHarness}; run it with {@code scripts/bench.sh}.
 */
package dev.gatehouse.bench.load;
