package dev.gatehouse.forward;

import java.time.Duration;
import java.util.Map;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;

/**
 * {@code GET /version} of a cluster through its pooled client, as the gateway itself (its own credential, no
 * impersonation): 200 with a {@code /version} document of at most {@value #MAX_BYTES} bytes, within the timeout,
 * or the fetch fails. Runs on the caller's Vert.x context.
 */
final class UpstreamVersionSource implements ClusterVersions.VersionSource {
    static final int MAX_BYTES = 64 * 1024;

    private final Map<String, Upstream> upstreams;
    private final Duration timeout;

    UpstreamVersionSource(Map<String, Upstream> upstreams, Duration timeout) {
        this.upstreams = Map.copyOf(upstreams);
        this.timeout = timeout;
    }

    @Override
    public Future<ClusterVersion> fetch(String cluster) {
        Upstream upstream = upstreams.get(cluster);
        if (upstream == null) {
            return Future.failedFuture(new IllegalArgumentException("no cluster \"" + cluster + "\" (known: "
                    + upstreams.keySet().stream().sorted().toList() + ")"));
        }
        return GatewayCall.send(upstream, HttpMethod.GET, "/version", null, MAX_BYTES, timeout)
                .map(body -> ClusterVersion.parse(body.getBytes()).orElseThrow(() -> new IllegalStateException(
                        "GET /version answered no version (expected: JSON with major and minor as digits)")));
    }
}
