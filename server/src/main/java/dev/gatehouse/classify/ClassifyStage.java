package dev.gatehouse.classify;

import java.util.Set;

import dev.gatehouse.chain.Exchange;
import dev.gatehouse.chain.Stage;
import dev.gatehouse.status.GatewayException;
import io.vertx.core.Future;

/**
 * Routes {@code /clusters/<name>/<path>} to a known cluster and classifies {@code <path>} by the
 * apiserver's rules. Hostile paths are refused with 400 before the cluster name is even read; an unknown
 * cluster is 404.
 */
public final class ClassifyStage implements Stage {
    private static final String PREFIX = "/clusters/";
    private final Set<String> clusters;
    private final RequestInfoParser parser = new RequestInfoParser();

    public ClassifyStage(Set<String> clusters) {
        this.clusters = Set.copyOf(clusters);
    }

    @Override
    public Future<Void> apply(Exchange exchange) {
        String raw = PathGuard.check(exchange.head().rawPath());
        if (!raw.startsWith(PREFIX)) {
            throw GatewayException.notFound("the path " + PathGuard.printable(raw)
                    + " is not served here: cluster requests go to /clusters/<name>/...");
        }
        int slash = raw.indexOf('/', PREFIX.length());
        String cluster = slash < 0 ? raw.substring(PREFIX.length()) : raw.substring(PREFIX.length(), slash);
        String path = slash < 0 ? "/" : raw.substring(slash);
        exchange.target(cluster, path); // recorded even when refused below, so the evidence names the target
        if (!clusters.contains(cluster)) {
            throw GatewayException.notFound("cluster \"" + cluster + "\" is not configured on this gateway");
        }
        Query query = Query.parse(exchange.head().rawQuery());
        exchange.query(query);
        exchange.info(parser.parse(cluster, exchange.head().method(), path, query));
        return Future.succeededFuture();
    }
}
