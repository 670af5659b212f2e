package dev.gatehouse.cli.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** RFC 8628 polling with a fake clock: what is waited, when it stops, what the user is told. */
class DeviceFlowTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static final class FakeTimer implements DeviceFlow.Timer {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");
        final List<Long> sleptSeconds = new ArrayList<>();
        final List<Long> pollAt = new ArrayList<>();

        @Override
        public Instant now() {
            return now;
        }

        @Override
        public void sleep(Duration d) {
            sleptSeconds.add(d.toSeconds());
            now = now.plus(d);
        }

        long elapsed() {
            return Duration.between(Instant.parse("2025-01-01T00:00:00Z"), now).toSeconds();
        }
    }

    final FakeTimer timer = new FakeTimer();
    final Deque<DeviceFlow.Answer> script = new ArrayDeque<>();

    DeviceFlow.Poll scripted() {
        return () -> {
            timer.pollAt.add(timer.elapsed());
            DeviceFlow.Answer a = script.poll();
            return a != null ? a : pending();
        };
    }

    static DeviceFlow.Answer pending() {
        return new DeviceFlow.Answer.Refused("authorization_pending", null);
    }

    static DeviceFlow.Answer refused(String error) {
        return new DeviceFlow.Answer.Refused(error, null);
    }

    static DeviceFlow.Answer granted() {
        return new DeviceFlow.Answer.Granted(JSON.createObjectNode().put("id_token", "t"));
    }

    static DeviceFlow.Start start(long expiresIn, long interval) {
        return new DeviceFlow.Start("dc", "BCDF-GHJK", "https://idp/device", "https://idp/device?user_code=BCDF-GHJK",
                Duration.ofSeconds(expiresIn), Duration.ofSeconds(interval));
    }

    @Test
    void waitsTheIntervalBeforeEveryPollUntilApproved() {
        script.add(pending());
        script.add(pending());
        script.add(granted());
        JsonNode tokens = DeviceFlow.await(start(600, 5), null, scripted(), timer);
        assertThat(tokens.path("id_token").asText()).isEqualTo("t");
        assertThat(timer.pollAt).containsExactly(5L, 10L, 15L);
    }

    @Test
    void slowDownAddsFiveSecondsForThisAndEveryLaterPoll() {
        script.add(refused("slow_down"));
        script.add(pending());
        script.add(refused("slow_down"));
        script.add(pending());
        script.add(granted());
        DeviceFlow.await(start(600, 2), null, scripted(), timer);
        assertThat(timer.sleptSeconds).containsExactly(2L, 7L, 7L, 12L, 12L);
    }

    @Test
    void stopsAtExpiresInWithoutPollingAfterIt() {
        assertThatThrownBy(() -> DeviceFlow.await(start(12, 5), null, scripted(), timer))
                .isInstanceOf(LoginException.class)
                .hasMessage("the code BCDF-GHJK expired before the sign-in was approved; run gatehouse login "
                        + "--device-code again");
        assertThat(timer.pollAt).containsExactly(5L, 10L);
        assertThat(timer.elapsed()).isLessThanOrEqualTo(12);
    }

    @Test
    void theTimeoutStopsSoonerThanTheCode() {
        assertThatThrownBy(() -> DeviceFlow.await(start(600, 5), Duration.ofSeconds(60), scripted(), timer))
                .hasMessage("no sign-in within 1 minute (--timeout); run gatehouse login --device-code again");
        assertThat(timer.pollAt).hasSize(12);
    }

    @Test
    void accessDeniedIsOneClearLine() {
        script.add(pending());
        script.add(refused("access_denied"));
        assertThatThrownBy(() -> DeviceFlow.await(start(600, 5), null, scripted(), timer))
                .isInstanceOf(LoginException.class).hasMessage("the sign-in was denied at the identity provider");
        assertThat(timer.pollAt).containsExactly(5L, 10L);
    }

    @Test
    void expiredTokenFromTheServerIsOneClearLine() {
        script.add(refused("expired_token"));
        assertThatThrownBy(() -> DeviceFlow.await(start(600, 5), null, scripted(), timer))
                .hasMessageContaining("expired before the sign-in was approved");
    }

    @Test
    void otherErrorsStopWithTheirCodeAndDescription() {
        script.add(new DeviceFlow.Answer.Refused("invalid_grant", "unknown device_code"));
        assertThatThrownBy(() -> DeviceFlow.await(start(600, 5), null, scripted(), timer))
                .hasMessage("the identity provider refused the device login: invalid_grant (unknown device_code)");
    }

    @Test
    void readsTheResponseWithRfcDefaults() throws Exception {
        DeviceFlow.Start s = DeviceFlow.Start.from(JSON.readTree("""
                {"device_code":"dc","user_code":"BCDF-GHJK","verification_uri":"https://idp/device"}"""));
        assertThat(s.interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.expiresIn()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.instruction()).isEqualTo("To sign in, open https://idp/device and enter the code BCDF-GHJK; "
                + "the code is valid for 10 minutes.");
        assertThat(start(600, 5).instruction()).isEqualTo("To sign in, open https://idp/device and enter the code "
                + "BCDF-GHJK (or open https://idp/device?user_code=BCDF-GHJK); the code is valid for 10 minutes.");
        assertThatThrownBy(() -> DeviceFlow.Start.from(JSON.readTree("{\"device_code\":\"dc\"}")))
                .isInstanceOf(LoginException.class).hasMessageContaining("lacks device_code, user_code or verification_uri");
    }
}
