package dev.gatehouse.classify;

import java.util.Set;

import dev.gatehouse.chain.Exchange;
import dev.gatehouse.chain.Stage;
import dev.gatehouse.status.GatewayException;
import io.vertx.core.Future;

/**
 * Routes a request to a known cluster by {@link ClusterRoutes} ({@code /clusters/<name>/<path>}, a cluster's host
 * name, or the default cluster) and classifies the cluster's path by the apiserver's rules. Misaddressed requests
 * (421), hostile hosts and paths (400) are refused before the cluster name is even read; an unknown cluster is 404.
 */
public final class ClassifyStage implements Stage {
    private final ClusterRoutes routes;
    private final RequestInfoParser parser = new RequestInfoParser();

    public ClassifyStage(ClusterRoutes routes) {
        this.routes = routes;
    }

    /** Clusters at {@code /clusters/<name>} only. */
    public ClassifyStage(Set<String> clusters) {
        this(ClusterRoutes.pathsOnly(clusters));
    }

    @Override
    public Future<Void> apply(Exchange exchange) {
        ClusterRoutes.Route route = routes.route(exchange.head());
        if (route == null) {
            throw GatewayException.notFound("the path " + PathGuard.printable(exchange.head().rawPath())
                    + " is not served here: cluster requests go to /clusters/<name>/...");
        }
        String cluster = route.cluster();
        String path = route.path();
        exchange.target(cluster, path); // recorded even when refused below, so the evidence names the target
        if (!routes.clusters().contains(cluster)) {
            throw GatewayException.notFound("cluster \"" + cluster + "\" is not configured on this gateway");
        }
        Query query = Query.parse(exchange.head().rawQuery());
        exchange.query(query);
        exchange.info(parser.parse(cluster, exchange.head().method(), path, query));
        return Future.succeededFuture();
    }
}
