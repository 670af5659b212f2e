package dev.gatehouse.review;

import java.util.Optional;

import dev.gatehouse.forward.ClusterVersion;
import io.vertx.core.Future;

/**
 * What the hold stage needs to know of a cluster before it holds a session: its Kubernetes version, which says
 * whether the cluster takes the session over WebSocket at all. {@code forward.ClusterVersions::version} is the real
 * one.
 */
@FunctionalInterface
public interface SessionSupport {
    /** The cluster's version; empty when it is not known. Completes on the caller's context and never fails. */
    Future<Optional<ClusterVersion>> version(String cluster);

    /** Knows no version: every session is held as it comes. */
    static SessionSupport unknown() {
        return cluster -> Future.succeededFuture(Optional.empty());
    }
}
