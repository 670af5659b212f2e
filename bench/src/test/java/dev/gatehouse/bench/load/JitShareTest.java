package dev.gatehouse.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** A measurement is taken again while the JIT compilers take more than 5 % of the target's CPU. */
class JitShareTest {
    @Test
    void theShareCountsBothCompilerThreadsAgainstAllThreads() {
        Map<String, Double> threads = Map.of("vert.x-eventloo", 70.0, "C2 CompilerThre", 25.0, "C1 CompilerThre", 5.0);
        assertThat(LoadHarness.jitPercent(threads)).isCloseTo(30.0, within(1e-9));
    }

    @Test
    void targetsWithoutNamedThreadsHaveNoJit() {
        assertThat(LoadHarness.jitPercent(Map.of())).isZero();
        assertThat(LoadHarness.jitPercent(Map.of("nginx", 40.0))).isZero();
    }
}
