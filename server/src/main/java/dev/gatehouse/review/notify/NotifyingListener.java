package dev.gatehouse.review.notify;

import java.util.Map;

import dev.gatehouse.review.ReviewEvent;
import dev.gatehouse.review.ReviewListener;
import io.vertx.core.Future;

/**
 * Tells a {@link ReviewNotifier} of the review steps people act on (created, each verdict, expiry, cancel, grant
 * steps); uses of approvals and grants are evidence only. Never waits and never fails the step.
 */
public final class NotifyingListener implements ReviewListener {
    private static final Map<ReviewEvent.Kind, ReviewNotice.Kind> KINDS = Map.of(
            ReviewEvent.Kind.CREATED, ReviewNotice.Kind.CREATED,
            ReviewEvent.Kind.APPROVED, ReviewNotice.Kind.APPROVED,
            ReviewEvent.Kind.DENIED, ReviewNotice.Kind.DENIED,
            ReviewEvent.Kind.EXPIRED, ReviewNotice.Kind.EXPIRED,
            ReviewEvent.Kind.CANCELLED, ReviewNotice.Kind.CANCELLED,
            ReviewEvent.Kind.GRANT_REQUESTED, ReviewNotice.Kind.GRANT_REQUESTED,
            ReviewEvent.Kind.GRANT_APPROVED, ReviewNotice.Kind.GRANT_APPROVED,
            ReviewEvent.Kind.GRANT_DENIED, ReviewNotice.Kind.GRANT_DENIED,
            ReviewEvent.Kind.GRANT_REVOKED, ReviewNotice.Kind.GRANT_REVOKED,
            ReviewEvent.Kind.GRANT_EXPIRED, ReviewNotice.Kind.GRANT_EXPIRED);

    private final ReviewNotifier notifier;
    private final String gatewayUrl;

    /** @param gatewayUrl the gateway's address as approvers reach it, shown in messages */
    public NotifyingListener(ReviewNotifier notifier, String gatewayUrl) {
        this.notifier = notifier;
        this.gatewayUrl = gatewayUrl;
    }

    @Override
    public Future<Void> recorded(ReviewEvent event) {
        ReviewNotice.Kind kind = KINDS.get(event.kind());
        if (kind != null) {
            boolean expiry = event.actor().equals(ReviewEvent.SYSTEM);
            notifier.notify(event.review() != null
                    ? ReviewNotice.of(kind, event.review(), expiry ? null : event.actor(), event.reason(),
                    event.breakGlass(), event.time(), gatewayUrl)
                    : ReviewNotice.of(kind, event.grant(), expiry ? null : event.actor(), event.reason(),
                    event.breakGlass(), event.time(), gatewayUrl));
        }
        return Future.succeededFuture();
    }
}
