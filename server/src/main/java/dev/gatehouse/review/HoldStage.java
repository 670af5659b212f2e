package dev.gatehouse.review;

import java.time.Duration;
import java.util.Optional;

import dev.gatehouse.chain.BodyReader;
import dev.gatehouse.chain.Exchange;
import dev.gatehouse.chain.PendingApproval;
import dev.gatehouse.chain.Stage;
import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.classify.Upgrade;
import dev.gatehouse.forward.ClusterVersion;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.DecideStage;
import dev.gatehouse.policy.ReviewRequirement;
import dev.gatehouse.status.GatewayException;
import dev.gatehouse.status.KubeStatus;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * The hold stage: a request policy marked for review passes only on an approval. In order: a time-boxed grant of
 * the requester that covers it; an approved review of the byte-identical request (a retry); else a review is
 * opened (or the pending one of the same request joined) and the request waits — without a thread — for up to the
 * hold time. Approved in time: it goes on with the very bytes that were held. Otherwise the client gets 403 naming
 * the review, who may approve and how. A session (exec, attach, port-forward) is let through at once with a
 * {@link PendingApproval}: the bridge tells the user and connects once approved — unless it asks for WebSocket of a
 * cluster too old to take it (exec and attach before 1.30, port-forward before 1.31): that attempt is refused at
 * once, as the cluster would refuse it, so kubectl falls back to SPDY by itself and only the SPDY session is held.
 * Once the gateway has accepted a held session it can no longer fall back.
 */
public final class HoldStage implements Stage {
    /** A reason the client gives for a held request (CI jobs, client libraries). */
    public static final String REASON_HEADER = "Gatehouse-Reason";

    private final Reviews reviews;
    private final Duration defaultHoldTime;
    private final String approveCommand;
    private final SessionSupport sessions;

    /** A hold stage that knows no cluster's version: every session is held as it comes. */
    public HoldStage(Reviews reviews, Duration defaultHoldTime, String approveCommand) {
        this(reviews, defaultHoldTime, approveCommand, SessionSupport.unknown());
    }

    /**
     * @param approveCommand how an approver runs the approval, with {@code %s} for the review id (e.g.
     *                       {@code gatehouse reviews approve %s})
     * @param sessions       the clusters' versions, to refuse a WebSocket session a cluster would refuse
     */
    public HoldStage(Reviews reviews, Duration defaultHoldTime, String approveCommand, SessionSupport sessions) {
        this.reviews = reviews;
        this.defaultHoldTime = defaultHoldTime;
        this.approveCommand = approveCommand;
        this.sessions = sessions;
    }

    @Override
    public Future<Void> apply(Exchange exchange) {
        return decide(exchange).recover(HoldStage::answer);
    }

    /**
     * A review step's refusal as the client's {@code Status} (its code: 503 when the review store or the audit log
     * cannot be reached), so a held request fails closed with the reason, not a 500.
     */
    private static Future<Void> answer(Throwable error) {
        return Future.failedFuture(error instanceof ReviewException re
                ? new GatewayException(KubeStatus.of(re.code(), "Gatehouse: " + re.getMessage()))
                : error);
    }

    private Future<Void> decide(Exchange exchange) {
        if (!(exchange.policy() instanceof Decision.Review review)) {
            return Future.succeededFuture();
        }
        if (exchange.upgrade() != null && exchange.upgrade().kind() == Upgrade.Kind.WEBSOCKET) {
            return sessions.version(exchange.cluster()).compose(version -> {
                String subresource = exchange.info().subresource();
                if (version.isPresent() && !version.get().servesWebSocket(subresource)) {
                    return Future.failedFuture(spdyOnly(exchange, version.get(), subresource));
                }
                return hold(exchange, review);
            });
        }
        return hold(exchange, review);
    }

    /**
     * The refusal of a WebSocket session by a cluster that takes it over SPDY only, with the code that cluster's
     * kubelet answers (403 for exec and attach, 400 for port-forward): any answer but 101 makes kubectl fall back.
     */
    private static GatewayException spdyOnly(Exchange exchange, ClusterVersion version, String subresource) {
        exchange.decisionDetails().put("clusterVersion", version.gitVersion());
        exchange.decisionDetails().put("fallback", "spdy");
        String message = "cluster \"" + exchange.cluster() + "\" (" + version.gitVersion() + ") takes "
                + subresource + " sessions over SPDY only; the gateway holds them there (kubectl falls back by itself)";
        return new GatewayException(subresource.equals("portforward") ? KubeStatus.of(400, message)
                : KubeStatus.of(403, message));
    }

    private Future<Void> hold(Exchange exchange, Decision.Review review) {
        Requester requester = Requester.of(exchange.identity());
        return reviews.grantFor(requester, exchange.info(), exchange.id()).compose(grant -> {
            if (grant.isPresent()) {
                exchange.decisionDetails().put("grantId", grant.get().id());
                exchange.decide("allow", "held for review by rule " + review.rule().name() + "; let through by grant "
                        + grant.get().id());
                return Future.succeededFuture();
            }
            return BodyReader.readOnce(exchange, DecideStage.MAX_OBJECT_BYTES)
                    .compose(body -> holdOrRedeem(exchange, review, requester, held(exchange, requester, body)));
        });
    }

    private Future<Void> holdOrRedeem(Exchange exchange, Decision.Review review, Requester requester,
                                      HeldRequest request) {
        return reviews.redeem(request.fingerprint(), exchange.id()).compose(approved -> {
            if (approved.isPresent()) {
                released(exchange, approved.get());
                return Future.succeededFuture();
            }
            return reviews.open(requester, request, review.rule().name(), reason(exchange),
                    review.requirement()).compose(opened -> {
                exchange.decisionDetails().put("reviewId", opened.id());
                Duration hold = holdTime(review.requirement());
                if (exchange.upgrade() != null) {
                    exchange.pending(pending(exchange, opened, hold));
                    return Future.succeededFuture();
                }
                return waitForRelease(exchange, opened, hold);
            });
        });
    }

    private Future<Void> waitForRelease(Exchange exchange, Review opened, Duration hold) {
        return reviews.await(opened.id(), hold).compose(decided -> {
            if (decided.state() != ReviewState.APPROVED) {
                return Future.failedFuture(refusal(decided));
            }
            if (exchange.upgrade() == null && exchange.clientGone()) { // the approval stays for a retry
                return Future.failedFuture(GatewayException.badRequest("the client went away while "
                        + opened.request().describe() + " was held for review " + opened.id()
                        + "; the approved request was not forwarded (run it again to use the approval)"));
            }
            return reviews.redeem(opened.request().fingerprint(), exchange.id()).compose(redeemed -> {
                if (redeemed.isEmpty()) {
                    return Future.failedFuture(GatewayException.forbidden("review " + opened.id()
                            + " was approved, but its approval was already used by another request"));
                }
                released(exchange, redeemed.get());
                return Future.succeededFuture();
            });
        });
    }

    private PendingApproval pending(Exchange exchange, Review opened, Duration hold) {
        Future<Void> released = waitForRelease(exchange, opened, hold);
        String notice = "Gatehouse: " + opened.request().describe() + " is held for review " + opened.id()
                + " (rule " + opened.rule() + ").\r\n" + "Waiting up to " + hold.toSeconds() + "s for "
                + opened.requirement().approversInWords() + " to approve: " + approveCommand.formatted(opened.id()) + "\r\n";
        return new PendingApproval() {
            @Override
            public String reviewId() {
                return opened.id();
            }

            @Override
            public String notice() {
                return notice;
            }

            @Override
            public Future<Void> released() {
                return released;
            }
        };
    }

    private static void released(Exchange exchange, Review review) {
        exchange.decisionDetails().put("reviewId", review.id());
        exchange.decide("allow", "approved in review " + review.id() + " by " + String.join(", ", review.verdicts()
                .stream().filter(Verdict::approve).map(v -> v.reviewer().user()).toList()));
    }

    /** Why the client is turned away, and what to do: the review id, who may approve, the command, the retry. */
    private GatewayException refusal(Review review) {
        String what = review.request().describe();
        return GatewayException.forbidden(switch (review.state()) {
            case PENDING -> "Gatehouse: " + what + " is held for review " + review.id() + " (rule " + review.rule()
                    + "), not yet approved (" + review.approvals() + "/" + review.requirement().approvals()
                    + " approvals). Ask " + review.requirement().approversInWords() + " to run: "
                    + approveCommand.formatted(review.id()) + " — then run the same command again before "
                    + review.expires() + ".";
            case DENIED -> "Gatehouse: review " + review.id() + " of " + what + " was denied" + by(review);
            case CANCELLED -> "Gatehouse: review " + review.id() + " of " + what + " was cancelled by the requester";
            case EXPIRED -> "Gatehouse: review " + review.id() + " of " + what + " expired without approval";
            default -> "Gatehouse: review " + review.id() + " of " + what + " is " + review.state().wireName();
        });
    }

    private static String by(Review review) {
        return review.verdicts().stream().filter(v -> !v.approve()).findFirst()
                .map(v -> " by " + v.reviewer().user() + (v.reason().isEmpty() ? "" : ": " + v.reason())).orElse("");
    }

    /** The client's reason, at most 500 characters, control characters shown as '?' (reviewers read it). */
    static String reason(Exchange exchange) {
        String reason = exchange.head().headers().get(REASON_HEADER);
        if (reason == null) {
            return "";
        }
        String clean = reason.strip().replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 500 ? clean.substring(0, 500) + "…" : clean;
    }

    private Duration holdTime(ReviewRequirement requirement) {
        return requirement.holdTime() != null ? requirement.holdTime() : defaultHoldTime;
    }

    private static HeldRequest held(Exchange exchange, Requester requester, Buffer body) {
        RequestInfo info = exchange.info();
        String uri = exchange.head().rawQuery().isEmpty() ? exchange.upstreamPath()
                : exchange.upstreamPath() + "?" + exchange.head().rawQuery();
        String contentType = Optional.ofNullable(exchange.head().headers().get("Content-Type")).orElse("");
        byte[] bytes = body.getBytes();
        String fingerprint = RequestFingerprint.of(requester.user(), info.cluster(), exchange.head().method(), uri,
                contentType, bytes);
        return new HeldRequest(exchange.id(), info.cluster(), exchange.head().method(), uri, info.verb(),
                info.apiGroup(), info.resource(), info.subresource(), info.namespace(), info.name(),
                bytes.length == 0 ? "" : RequestFingerprint.sha256(bytes), bytes.length, fingerprint);
    }
}
