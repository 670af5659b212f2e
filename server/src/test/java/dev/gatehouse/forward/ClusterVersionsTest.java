package dev.gatehouse.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Promise;

/** The cache over a fake source whose fetches the test completes, and a fake clock: no sockets, no Vert.x. */
class ClusterVersionsTest {
    private static final ClusterVersion OLD = new ClusterVersion(1, 20, "v1.20.2");
    private static final ClusterVersion NEW = new ClusterVersion(1, 32, "v1.32.0");
    private static final ClusterVersions.Settings SETTINGS = new ClusterVersions.Settings(Duration.ofMinutes(10),
            Duration.ofSeconds(30), Duration.ofSeconds(5));

    private final AtomicLong now = new AtomicLong(1_000);
    private final List<String> asked = new ArrayList<>();
    private final List<Promise<ClusterVersion>> fetches = new ArrayList<>();
    private final ClusterVersions versions = new ClusterVersions(cluster -> {
        asked.add(cluster);
        Promise<ClusterVersion> fetch = Promise.promise();
        fetches.add(fetch);
        return fetch.future();
    }, SETTINGS, now::get);

    private void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }

    private Promise<ClusterVersion> last() {
        return fetches.get(fetches.size() - 1);
    }

    @Test
    void concurrentCallersShareOneFetch() {
        Future<Optional<ClusterVersion>> first = versions.version("prod");
        Future<Optional<ClusterVersion>> second = versions.version("prod");
        assertThat(first.isComplete()).isFalse();
        assertThat(asked).containsExactly("prod");
        last().complete(OLD);
        assertThat(first.result()).contains(OLD);
        assertThat(second.result()).contains(OLD);
    }

    @Test
    void aKnownVersionIsKeptWithoutAskingAgainUntilTheRefresh() {
        versions.version("prod");
        last().complete(OLD);
        advance(Duration.ofMinutes(9));
        assertThat(versions.version("prod").result()).contains(OLD);
        assertThat(asked).hasSize(1);
    }

    @Test
    void eachClusterIsAskedForItself() {
        versions.version("prod");
        versions.version("dev");
        assertThat(asked).containsExactly("prod", "dev");
    }

    @Test
    void aDueRefreshRunsInTheBackgroundWhileTheKnownVersionAnswers() {
        versions.version("prod");
        last().complete(OLD);
        advance(Duration.ofMinutes(10));
        assertThat(versions.version("prod").result()).as("answered at once").contains(OLD);
        assertThat(versions.version("prod").result()).contains(OLD);
        assertThat(asked).as("one refresh for both callers").hasSize(2);
        last().complete(NEW);
        assertThat(versions.version("prod").result()).contains(NEW);
        assertThat(asked).hasSize(2);
    }

    @Test
    void aFailedFirstFetchIsUnknownUntilTheRetryThenAskedAgain() {
        Future<Optional<ClusterVersion>> first = versions.version("prod");
        last().fail(new IllegalStateException("GET /version answered HTTP 500"));
        assertThat(first.succeeded()).as("never fails").isTrue();
        assertThat(first.result()).isEmpty();
        advance(Duration.ofSeconds(29));
        assertThat(versions.version("prod").result()).isEmpty();
        assertThat(asked).hasSize(1);
        advance(Duration.ofSeconds(1));
        Future<Optional<ClusterVersion>> retried = versions.version("prod");
        assertThat(asked).hasSize(2);
        last().complete(OLD);
        assertThat(retried.result()).contains(OLD);
    }

    @Test
    void aFailedRefreshKeepsTheKnownVersionAndRetriesLater() {
        versions.version("prod");
        last().complete(OLD);
        advance(Duration.ofMinutes(10));
        versions.version("prod");
        last().fail(new IllegalStateException("unreachable"));
        assertThat(versions.version("prod").result()).contains(OLD);
        assertThat(asked).hasSize(2);
        advance(Duration.ofSeconds(30));
        assertThat(versions.version("prod").result()).contains(OLD);
        assertThat(asked).as("asked again after the retry interval").hasSize(3);
    }

    @Test
    void aSourceThatThrowsIsAFailedFetch() {
        ClusterVersions throwing = new ClusterVersions(cluster -> {
            throw new IllegalStateException("no context");
        }, SETTINGS, now::get);
        assertThat(throwing.version("prod").result()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"refresh", "retry", "timeout"})
    void settingsRefuseZeroNamingTheSetting(String which) {
        assertThatThrownBy(() -> new ClusterVersions.Settings(
                which.equals("refresh") ? Duration.ZERO : Duration.ofMinutes(1),
                which.equals("retry") ? Duration.ZERO : Duration.ofMinutes(1),
                which.equals("timeout") ? Duration.ZERO : Duration.ofMinutes(1)))
                .hasMessage("clusterVersions." + which + ": PT0S (expected: > 0)");
    }
}
