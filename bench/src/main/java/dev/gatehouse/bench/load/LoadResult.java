package dev.gatehouse.bench.load;

/**
 * What a load generator saw in one fixed-duration run. Latencies in microseconds; {@code NaN} where the
 * generator does not report them (h2load gives no percentiles).
 */
record LoadResult(long requests, long errors, double seconds, double p50Micros, double p99Micros, double meanMicros) {
    double requestsPerSecond() {
        return seconds > 0 ? requests / seconds : 0;
    }
}
