package dev.gatehouse.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.gatehouse.identity.AuthenticationMethod;
import dev.gatehouse.identity.Identity;

class UiSessionsTest {
    private final MutableClock clock = new MutableClock();
    private final UiSessions sessions = new UiSessions(new UiSettings(Duration.ofMinutes(30), Duration.ofHours(8),
            Duration.ofMinutes(10), 3), clock);

    private Identity bob(Instant expires) {
        return new Identity("demo:bob", "bob", List.of("demo:sre"), "http://idp", AuthenticationMethod.OIDC, null, null,
                "cred", expires);
    }

    @Test
    void aSessionEndsWhenIdle() {
        UiSession s = sessions.create(bob(null), "token");
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.find(s.id())).isEqualTo(s);
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.find(s.id())).as("used 29 minutes ago").isEqualTo(s);
        clock.advance(Duration.ofMinutes(30));
        assertThat(sessions.find(s.id())).as("idle 30 minutes").isNull();
    }

    @Test
    void aSessionEndsAtItsAbsoluteEndHoweverBusy() {
        UiSession s = sessions.create(bob(null), "token");
        for (int i = 0; i < 8 * 4 - 1; i++) {
            clock.advance(Duration.ofMinutes(15));
            assertThat(sessions.find(s.id())).isNotNull();
        }
        clock.advance(Duration.ofMinutes(15));
        assertThat(sessions.find(s.id())).as("8 hours after sign-in").isNull();
    }

    @Test
    void aSessionEndsNoLaterThanItsIdToken() {
        UiSession s = sessions.create(bob(clock.instant().plus(Duration.ofMinutes(5))), "token");
        assertThat(s.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
        clock.advance(Duration.ofMinutes(5));
        assertThat(sessions.find(s.id())).isNull();
    }

    @Test
    void anEndedSessionIsUnknownThereafter() {
        UiSession s = sessions.create(bob(null), "token");
        sessions.end(s.id());
        assertThat(sessions.find(s.id())).isNull();
        assertThat(sessions.find(null)).isNull();
        assertThat(sessions.find("")).isNull();
    }

    @Test
    void idsAndCsrfTokensAreRandomAndDistinct() {
        Set<String> seen = new HashSet<>();
        UiSessions roomy = new UiSessions(UiSettings.defaults(), clock);
        for (int i = 0; i < 200; i++) {
            UiSession s = roomy.create(bob(null), "token");
            assertThat(s.id()).matches("[A-Za-z0-9_-]{43}");
            assertThat(seen.add(s.id())).isTrue();
            assertThat(seen.add(s.csrfToken())).isTrue();
        }
    }

    @Test
    void theCsrfTokenMustMatchExactly() {
        UiSession s = sessions.create(bob(null), "token");
        assertThat(UiSessions.csrfMatches(s, s.csrfToken())).isTrue();
        assertThat(UiSessions.csrfMatches(s, null)).isFalse();
        assertThat(UiSessions.csrfMatches(s, "")).isFalse();
        assertThat(UiSessions.csrfMatches(s, s.csrfToken() + "x")).isFalse();
        assertThat(UiSessions.csrfMatches(s, s.csrfToken().substring(1))).isFalse();
    }

    @Test
    void aSignInIsUsedOnceByTheBrowserThatStartedIt() {
        UiSessions.SignIn started = sessions.startSignIn("browser-a", "https://gw/ui/callback");
        assertThat(sessions.finishSignIn(started.state(), "browser-b")).as("another browser").isNull();
        assertThat(sessions.finishSignIn(started.state(), "browser-a")).as("the state is spent by any attempt")
                .isNull();
        UiSessions.SignIn again = sessions.startSignIn("browser-a", "https://gw/ui/callback");
        assertThat(sessions.finishSignIn(again.state(), "browser-a")).isEqualTo(again);
        assertThat(sessions.finishSignIn(again.state(), "browser-a")).as("replayed callback").isNull();
        assertThat(sessions.finishSignIn(null, "browser-a")).isNull();
        assertThat(sessions.finishSignIn(again.state(), null)).isNull();
    }

    @Test
    void aSignInTimesOut() {
        UiSessions.SignIn started = sessions.startSignIn("b", "https://gw/ui/callback");
        clock.advance(Duration.ofMinutes(10));
        assertThat(sessions.finishSignIn(started.state(), "b")).isNull();
    }

    @Test
    void theOldestSessionGoesAtTheBound() {
        UiSession first = sessions.create(bob(null), "t");
        clock.advance(Duration.ofSeconds(1));
        UiSession second = sessions.create(bob(null), "t");
        clock.advance(Duration.ofSeconds(1));
        UiSession third = sessions.create(bob(null), "t");
        clock.advance(Duration.ofSeconds(1));
        UiSession fourth = sessions.create(bob(null), "t");
        assertThat(sessions.size()).isEqualTo(3);
        assertThat(sessions.find(first.id())).isNull();
        assertThat(List.of(second, third, fourth)).allSatisfy(s -> assertThat(sessions.find(s.id())).isEqualTo(s));
    }

    @Test
    void aSessionNeverPrintsItsSecrets() {
        UiSession s = sessions.create(bob(null), "the-id-token");
        assertThat(s.toString()).doesNotContain(s.id()).doesNotContain(s.csrfToken()).doesNotContain("the-id-token");
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-07T12:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
