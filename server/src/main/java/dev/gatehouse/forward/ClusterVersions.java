package dev.gatehouse.forward;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

/**
 * Each cluster's Kubernetes version, asked of its apiserver ({@code GET /version}) with the gateway's own
 * credential the first time someone wants it, then kept: refreshed in the background after
 * {@link Settings#refresh()} (the known version answers meanwhile), and after a failed fetch asked again no sooner
 * than {@link Settings#retry()} (until then the version is unknown). Concurrent callers share one fetch. Nothing
 * blocks: callers get a future completed on their own context.
 */
public final class ClusterVersions {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterVersions.class);

    /** Where versions come from: one fetch of one cluster's version, failing when there is none to be had. */
    @FunctionalInterface
    public interface VersionSource {
        Future<ClusterVersion> fetch(String cluster);
    }

    /**
     * @param refresh how long a known version is used before it is asked again (in the background)
     * @param retry   how long after a failed fetch the version stays unknown before it is asked again
     * @param timeout how long one fetch may take
     */
    public record Settings(Duration refresh, Duration retry, Duration timeout) {
        public Settings {
            positive("refresh", refresh);
            positive("retry", retry);
            positive("timeout", timeout);
        }

        /** Refreshed every 10 minutes, retried 30 s after a failure, 10 s for one fetch. */
        public static Settings defaults() {
            return new Settings(Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofSeconds(10));
        }

        private static void positive(String name, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("clusterVersions." + name + ": " + value + " (expected: > 0)");
            }
        }
    }

    /** What is known of one cluster. */
    private sealed interface State {
        /** A first fetch (or one after a failure) in flight: callers wait for it. */
        record Fetching(Future<Optional<ClusterVersion>> result) implements State {
        }

        /** A version, used until {@code dueNanos}; {@code refreshing} while a background fetch is in flight. */
        record Known(ClusterVersion version, long dueNanos, boolean refreshing) implements State {
        }

        /** The last fetch failed and none ever succeeded: unknown until {@code dueNanos}. */
        record Failed(long dueNanos) implements State {
        }
    }

    private final VersionSource source;
    private final Settings settings;
    private final LongSupplier nanos;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    /** @param nanos the clock of due times ({@link System#nanoTime()} outside tests) */
    public ClusterVersions(VersionSource source, Settings settings, LongSupplier nanos) {
        this.source = source;
        this.settings = settings;
        this.nanos = nanos;
    }

    /** The versions of the clusters the gateway forwards to, asked through their pooled clients. */
    public static ClusterVersions of(Map<String, Upstream> upstreams, Settings settings) {
        return new ClusterVersions(new UpstreamVersionSource(upstreams, settings.timeout()), settings,
                System::nanoTime);
    }

    /**
     * The cluster's version, or empty when it is not known (no fetch has succeeded and the last failed). Completes
     * on the caller's context; never fails.
     */
    public Future<Optional<ClusterVersion>> version(String cluster) {
        Promise<Optional<ClusterVersion>> started = Promise.promise();
        boolean[] mine = {false};
        State state = states.compute(cluster, (name, current) -> {
            State next = next(current, started);
            mine[0] = next != current;
            return next;
        });
        return onCallersContext(switch (state) {
            case State.Fetching fetching -> {
                if (mine[0]) {
                    fetch(cluster, null, started);
                }
                yield fetching.result();
            }
            case State.Known known -> {
                if (mine[0]) {
                    fetch(cluster, known.version(), started); // in the background: the known version answers now
                }
                yield Future.succeededFuture(Optional.of(known.version()));
            }
            case State.Failed failed -> Future.succeededFuture(Optional.empty());
        });
    }

    /** The state after a caller asked: a due fetch starts (as {@code started}), anything else stays as it is. */
    private State next(State current, Promise<Optional<ClusterVersion>> started) {
        long now = nanos.getAsLong();
        return switch (current) {
            case null -> new State.Fetching(started.future());
            case State.Failed failed when now - failed.dueNanos() >= 0 -> new State.Fetching(started.future());
            case State.Known known when !known.refreshing() && now - known.dueNanos() >= 0 ->
                    new State.Known(known.version(), known.dueNanos(), true);
            default -> current;
        };
    }

    private void fetch(String cluster, ClusterVersion previous, Promise<Optional<ClusterVersion>> done) {
        Future<ClusterVersion> fetched;
        try {
            fetched = source.fetch(cluster);
        } catch (RuntimeException e) {
            fetched = Future.failedFuture(e);
        }
        fetched.onComplete(ar -> {
            long now = nanos.getAsLong();
            if (ar.succeeded()) {
                if (previous == null || !previous.equals(ar.result())) {
                    LOG.info("cluster \"{}\" runs Kubernetes {}", cluster, ar.result());
                }
                states.put(cluster, new State.Known(ar.result(), now + settings.refresh().toNanos(), false));
            } else {
                LOG.warn("cannot learn the Kubernetes version of cluster \"{}\" (asking again in {}s): {}", cluster,
                        settings.retry().toSeconds(), ar.cause().getMessage());
                states.put(cluster, previous == null ? new State.Failed(now + settings.retry().toNanos())
                        : new State.Known(previous, now + settings.retry().toNanos(), false));
            }
            done.complete(ar.succeeded() ? Optional.of(ar.result()) : Optional.ofNullable(previous));
        });
    }

    private static <T> Future<T> onCallersContext(Future<T> result) {
        if (!(Vertx.currentContext() instanceof ContextInternal context) || result.isComplete()) {
            return result;
        }
        Promise<T> here = context.promise();
        result.onComplete(here);
        return here.future();
    }
}
