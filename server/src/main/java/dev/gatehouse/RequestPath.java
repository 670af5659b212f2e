package dev.gatehouse;

import java.util.List;

import dev.gatehouse.authn.AuthenticateStage;
import dev.gatehouse.authn.Authenticator;
import dev.gatehouse.chain.GatewayChain;
import dev.gatehouse.chain.Stage;
import dev.gatehouse.classify.ClassifyStage;
import dev.gatehouse.classify.ClusterRoutes;
import dev.gatehouse.forward.Forwarder;
import dev.gatehouse.listen.HeaderGuard;
import dev.gatehouse.mask.MarkerGuard;
import dev.gatehouse.policy.DecideStage;
import dev.gatehouse.policy.PolicyEngine;
import dev.gatehouse.record.EvidenceGate;
import dev.gatehouse.record.Recorder;
import dev.gatehouse.review.HoldStage;
import dev.gatehouse.session.SessionBridge;

/**
 * The request path, in request order, in one place. It lives above the packages whose stages it assembles, so
 * {@code chain} (which runs stages) depends on none of them.
 */
public final class RequestPath {
    private RequestPath() {
    }

    /** Builds the chain. Read it top to bottom: this is the whole request path. */
    public static GatewayChain build(Authenticator authenticator, ClusterRoutes clusters, PolicyEngine policy,
                                     MarkerGuard markerGuard, HoldStage hold, Stage maskProfile, Recorder recorder,
                                     Forwarder forwarder, SessionBridge sessions) {
        return new GatewayChain(List.of(
                new AuthenticateStage(authenticator), // authenticate: bearer token -> Identity (401 otherwise)
                new ClassifyStage(clusters),          // classify: hostile paths 400, unknown cluster 404, RequestInfo
                new HeaderGuard(),                    // no client-chosen identity (403); only recordable upgrades
                new DecideStage(policy),              // decide: allow / deny (403 with the rule's message) / review
                markerGuard,                          // masked values are never written back as values (400)
                hold,                                 // hold: a review passes on a grant or an approval, else waits
                maskProfile,                          // mask profile: clear only with a covering grant, else masked
                new EvidenceGate(recorder)            // record: 503 while the log is down; write-ahead for mutations
        ), (exchange, request) -> exchange.upgrade() != null
                ? sessions.bridge(exchange, request)  // a session: bridged both ways, recorded
                : forwarder.forward(exchange, request), // forward: stream to the cluster; record
                recorder);
    }
}
