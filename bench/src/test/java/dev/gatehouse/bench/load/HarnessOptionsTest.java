package dev.gatehouse.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The diagnostics run only when named, and their wait has bounds. */
class HarnessOptionsTest {
    @TempDir
    Path work;

    @Test
    void theDefaultRunLeavesTheHandoffDiagnosticsOut() throws Exception {
        HarnessOptions options = HarnessOptions.parse(new String[] {"--work", work.toString()});
        assertThat(options.targets()).doesNotContain(LoadHarness.HANDOFF, LoadHarness.WAIT)
                .contains("gateway", LoadHarness.NO_AUDIT);
        assertThat(options.waitMicros()).isEqualTo(400);
    }

    @Test
    void namedDiagnosticsAndTheirWaitAreTaken() throws Exception {
        HarnessOptions options = HarnessOptions.parse(new String[] {"--work", work.toString(),
                "--targets", "gateway-handoff,gateway-wait", "--wait-micros", "150"});
        assertThat(options.targets()).containsExactly(LoadHarness.HANDOFF, LoadHarness.WAIT);
        assertThat(options.waitMicros()).isEqualTo(150);
    }

    @Test
    void unknownTargetsAndWaitsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> HarnessOptions.parse(new String[] {"--targets", "gateway-fast"}))
                .hasMessageContaining("--targets: [gateway-fast]");
        assertThatThrownBy(() -> HarnessOptions.parse(new String[] {"--wait-micros", "-1"}))
                .hasMessageStartingWith("--wait-micros: -1");
    }
}
