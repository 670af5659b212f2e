package dev.gatehouse.review;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.policy.ReviewRequirement;
import io.vertx.core.Future;

/** Requesters, held requests, requirements, a settable clock and a recording listener for the review tests. */
final class ReviewFixtures {
    static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");

    private ReviewFixtures() {
    }

    static Requester user(String name, String... groups) {
        return new Requester(name, List.of(groups), "https://idp", "oidc", List.of());
    }

    static Requester agentFor(String name, String agent, String... groups) {
        return new Requester(name, List.of(groups), "https://idp", "delegation", List.of(agent));
    }

    static HeldRequest deleteNamespace(Requester requester, String ns) {
        String uri = "/api/v1/namespaces/" + ns;
        String fp = RequestFingerprint.of(requester.user(), "prod", "DELETE", uri, "", new byte[0]);
        return new HeldRequest("audit-" + ns, "prod", "DELETE", uri, "delete", "", "namespaces", "", "", ns, "", 0,
                fp);
    }

    static HeldRequest createExec(Requester requester, String body) {
        String uri = "/api/v1/namespaces/web/pods/web-1/exec?command=sh";
        String fp = RequestFingerprint.of(requester.user(), "prod", "POST", uri, "",
                body.getBytes(StandardCharsets.UTF_8));
        return new HeldRequest("audit-exec", "prod", "POST", uri, "create", "", "pods", "exec", "web", "web-1", "",
                body.length(), fp);
    }

    /** Approvers: group sre, user carol; {@code n} approvals; validity {@code validity}; break-glass group oncall. */
    static ReviewRequirement requirement(int n, boolean reasonRequired, Duration validity) {
        return new ReviewRequirement(List.of("sre"), List.of("carol"), n, reasonRequired, List.of("oncall"),
                Duration.ofSeconds(30), validity, Duration.ofMinutes(30));
    }

    static ReviewRequirement oneApprover() {
        return requirement(1, false, Duration.ZERO);
    }

    static ReviewSettings settings() {
        return new ReviewSettings(Duration.ofSeconds(30), Duration.ofHours(1),
                new ReviewRequirement(List.of("sre"), List.of(), 1, true, List.of("oncall"), null, null, null),
                Duration.ofHours(8), Duration.ofMillis(20), Duration.ofHours(1));
    }

    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private volatile Instant now = T0;

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Records every event; fails them while {@link #failing} is set. */
    static final class RecordingListener implements ReviewListener {
        final List<ReviewEvent> events = new CopyOnWriteArrayList<>();
        volatile boolean failing;

        @Override
        public Future<Void> recorded(ReviewEvent event) {
            if (failing) {
                return Future.failedFuture(new IllegalStateException("audit log down"));
            }
            events.add(event);
            return Future.succeededFuture();
        }

        List<ReviewEvent.Kind> kinds() {
            return events.stream().map(ReviewEvent::kind).toList();
        }
    }
}
