package dev.gatehouse.bench.load;

import java.time.Duration;

/** Drives a target with {@code concurrency} keep-alive requests in flight for a fixed duration. */
interface LoadGenerator {
    /** "http/1.1" or "h2": the protocol the client speaks to the target. */
    String protocol();

    LoadResult run(Target target, int concurrency, Duration duration);
}
