package dev.gatehouse.review.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.gatehouse.review.ReviewState;
import dev.gatehouse.review.Verdict;
import dev.gatehouse.review.notify.ReviewNotice.Kind;

class ReviewNoticeTest {

    @ParameterizedTest
    @CsvSource({"CREATED, created", "CANCELLED, cancelled", "GRANT_REQUESTED, grant-requested",
            "GRANT_EXPIRED, grant-expired"})
    void kindsHaveStableWireNames(Kind kind, String wire) {
        assertThat(kind.wireName()).isEqualTo(wire);
        assertThat(Kind.fromWireName(wire)).isEqualTo(kind);
    }

    @Test
    void deliveryIdDiffersPerStepAndCannotSplitAHeader() {
        assertThat(Notices.created("x").deliveryId()).isEqualTo("r-abcdefghijklmnopqrstuvwxyz:created:1");
        assertThat(Notices.grantRequested().deliveryId()).isEqualTo("g-abcdefghijklmnopqrstuvwxyz:grant-requested:1");
        assertThat(WebhookPost.headerSafe("r-x\r\nX-Evil: 1:created:1")).isEqualTo("r-x__X-Evil:_1:created:1");
    }

    @Test
    void aReviewKindWithoutAReviewIsRefused() {
        assertThatThrownBy(() -> new ReviewNotice(Kind.APPROVED, false, null, Notices.grant(ReviewState.PENDING),
                Notices.BOB, "", Notices.T0, "")).hasMessage("notice approved: review missing (expected: the value "
                + "after the step)");
    }

    @Test
    void aGrantKindCarryingAReviewIsRefused() {
        assertThatThrownBy(() -> new ReviewNotice(Kind.GRANT_REVOKED, false,
                Notices.review(ReviewState.PENDING, "", List.of()), Notices.grant(ReviewState.REVOKED), Notices.BOB,
                "", Notices.T0, "")).hasMessage("notice grant-revoked: carries both a review and a grant (expected: "
                + "only the grant)");
    }

    @Test
    void aBreakGlassVerdictFlagsTheNoticeEvenWhenTheCallerDidNot() {
        Verdict self = new Verdict(Notices.ALICE, true, "prod down", Notices.T0, true);
        ReviewNotice n = ReviewNotice.of(Kind.APPROVED, Notices.review(ReviewState.APPROVED, "x", List.of(self)),
                Notices.ALICE, "prod down", false, Notices.T0, "");

        assertThat(n.anyBreakGlass()).isTrue();
    }

    @Test
    void aNotifierWithoutTargetsAndNoneDoNothing() {
        ReviewNotifier.NONE.notify(Notices.created("x"));
        try (var vertx = new AutoCloseableVertx()) {
            var n = new WebhookNotifier(vertx.vertx, WebhookNotifierSettings.of(List.of()), null);
            n.notify(Notices.created("x"));
            assertThat(n.waiting("any")).isEqualTo(-1);
        }
    }

    private static final class AutoCloseableVertx implements AutoCloseable {
        final io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();

        @Override
        public void close() {
            FakeReceiver.await(vertx.close());
        }
    }
}
