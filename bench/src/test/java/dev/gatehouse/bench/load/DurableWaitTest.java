package dev.gatehouse.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/** Percentiles read from a Prometheus histogram are the bucket they fall in, never a guessed point. */
class DurableWaitTest {
    private static TreeMap<Double, Double> cumulative() {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        buckets.put(0.0005, 500.0);   // 500 events up to 0.5 ms
        buckets.put(0.001, 980.0);    // 480 more up to 1 ms
        buckets.put(0.002, 995.0);    // 15 more up to 2 ms
        buckets.put(0.004, 1000.0);   // the last 5 up to 4 ms
        buckets.put(Double.POSITIVE_INFINITY, 1000.0);
        return buckets;
    }

    @Test
    void eachQuantileIsTheBucketHoldingIt() {
        assertThat(DurableWait.quantile(cumulative(), 0.50)).containsExactly(0.0, 0.5); // the 500th is in the first
        assertThat(DurableWait.quantile(cumulative(), 0.501)).containsExactly(0.5, 1.0);
        assertThat(DurableWait.quantile(cumulative(), 0.98)).containsExactly(0.5, 1.0);
        assertThat(DurableWait.quantile(cumulative(), 0.99)).containsExactly(1.0, 2.0);
        assertThat(DurableWait.quantile(cumulative(), 0.999)).containsExactly(2.0, 4.0);
    }

    @Test
    void theFirstBucketStartsAtZero() {
        assertThat(DurableWait.quantile(cumulative(), 0.1)).containsExactly(0.0, 0.5);
    }
}
