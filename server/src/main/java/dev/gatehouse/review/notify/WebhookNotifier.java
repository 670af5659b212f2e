package dev.gatehouse.review.notify;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Posts review notices to webhooks: each target has its own bounded queue, posts one notice at a time with the
 * Vert.x HTTP client (time-limited, retried with backoff, {@code Retry-After} honoured) and never holds up
 * {@link #notify}, which only enqueues. 2xx is delivered; 4xx other than 408 and 429 is given up (logged once);
 * 5xx, 408, 429 and connection failures are retried. Counts outcomes in
 * {@code gatehouse_review_notifications_total{target,outcome}} when given a registry.
 */
public final class WebhookNotifier implements ReviewNotifier, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookNotifier.class);

    private final List<WebhookQueue> queues = new ArrayList<>();
    private final List<WebhookTarget> targets = new ArrayList<>();
    private final List<WebhookPost> posts = new ArrayList<>();

    /**
     * @param vertx    the Vert.x instance posts run on 
     * @param settings targets, retry policy, queue capacity, time limit
     * @param registry where to count outcomes, or null
     */
    public WebhookNotifier(Vertx vertx, WebhookNotifierSettings settings, MeterRegistry registry) {
        NotificationMetrics metrics = new NotificationMetrics(registry);
        for (WebhookTarget target : settings.targets()) {
            WebhookPost post = new WebhookPost(vertx, target, settings.requestTimeout());
            queues.add(new WebhookQueue(target, post, vertx, settings.retry(), settings.queueCapacity(), metrics));
            targets.add(target);
            posts.add(post);
            LOG.info("review notifications to {}: {} for {}", target, target.headers().isEmpty() ? "no extra headers"
                    : "headers " + target.headers().stream().map(WebhookHeader::name).toList(),
                    target.events().size() == ReviewNotice.Kind.values().length ? "all events"
                            : target.events().stream().map(ReviewNotice.Kind::wireName).sorted().toList());
        }
    }

    @Override
    public void notify(ReviewNotice notice) {
        for (int i = 0; i < queues.size(); i++) {
            if (targets.get(i).wants(notice.kind())) {
                queues.get(i).offer(notice);
            }
        }
    }

    /** Notices waiting for the target named {@code name} (not counting one in flight); -1 for no such target. */
    public int waiting(String name) {
        for (int i = 0; i < targets.size(); i++) {
            if (targets.get(i).name().equals(name)) {
                return queues.get(i).waiting();
            }
        }
        return -1;
    }

    /** Stops retrying, drops what is queued and closes the HTTP clients. */
    public Future<Void> shutdown() {
        queues.forEach(WebhookQueue::close);
        return Future.all(posts.stream().map(WebhookPost::close).toList()).mapEmpty();
    }

    @Override
    public void close() {
        shutdown();
    }
}
