package dev.gatehouse.cli.login;

import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The client side of RFC 8628's polling (§3.4, §3.5), apart from HTTP so it can be tested with a fake clock: wait
 * {@code interval} between token requests, add 5 s on {@code slow_down}, keep going on {@code authorization_pending},
 * stop at {@code expires_in} (or the caller's timeout, if sooner), and turn everything else into a one-line
 * {@link LoginException}.
 */
final class DeviceFlow {
    /** RFC 8628 §3.2: clients use 5 s when the response has no {@code interval}. */
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    static final Duration SLOW_DOWN_STEP = Duration.ofSeconds(5);
    static final Duration DEFAULT_EXPIRY = Duration.ofMinutes(10);

    private DeviceFlow() {
    }

    /** The device authorization response (RFC 8628 §3.2). */
    record Start(String deviceCode, String userCode, String verificationUri, String verificationUriComplete,
            Duration expiresIn, Duration interval) {

        static Start from(JsonNode r) {
            String deviceCode = r.path("device_code").asText("");
            String userCode = r.path("user_code").asText("");
            String uri = r.path("verification_uri").asText("");
            if (uri.isEmpty()) {
                uri = r.path("verification_url").asText(""); // Google's pre-RFC spelling
            }
            if (deviceCode.isEmpty() || userCode.isEmpty() || uri.isEmpty()) {
                throw new LoginException("the identity provider's device authorization response lacks "
                        + "device_code, user_code or verification_uri");
            }
            String complete = r.path("verification_uri_complete").asText(null);
            long expires = r.path("expires_in").asLong(0);
            long interval = r.path("interval").asLong(0);
            return new Start(deviceCode, userCode, uri, complete,
                    expires > 0 ? Duration.ofSeconds(expires) : DEFAULT_EXPIRY,
                    interval > 0 ? Duration.ofSeconds(interval) : DEFAULT_INTERVAL);
        }

        /** What to tell the user, on one line. */
        String instruction() {
            String also = verificationUriComplete == null || verificationUriComplete.equals(verificationUri) ? ""
                    : " (or open " + verificationUriComplete + ")";
            return "To sign in, open " + verificationUri + " and enter the code " + userCode + also
                    + "; the code is valid for " + human(expiresIn) + ".";
        }
    }

    /** The answer to one token request: tokens, or an OAuth error code. */
    sealed interface Answer {
        record Granted(JsonNode response) implements Answer {
        }

        record Refused(String error, String description) implements Answer {
        }
    }

    interface Poll {
        Answer poll();
    }

    /** Time, so tests need not wait. */
    interface Timer {
        Instant now();

        void sleep(Duration d);

        Timer SYSTEM = new Timer() {
            @Override
            public Instant now() {
                return Instant.now();
            }

            @Override
            public void sleep(Duration d) {
                try {
                    Thread.sleep(d);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LoginException("interrupted");
                }
            }
        };
    }

    /**
     * Polls until the user approved (returns the token response), denied, or the code expired.
     *
     * @param timeout the longest to wait in any case (the user's {@code --timeout}); null for {@code expires_in}
     */
    static JsonNode await(Start start, Duration timeout, Poll poll, Timer timer) {
        Instant began = timer.now();
        Instant expires = began.plus(start.expiresIn());
        boolean timeoutFirst = timeout != null && timeout.compareTo(start.expiresIn()) < 0;
        Instant deadline = timeoutFirst ? began.plus(timeout) : expires;
        Duration interval = start.interval();
        while (true) {
            if (timer.now().plus(interval).isAfter(deadline)) {
                throw timeoutFirst
                        ? new LoginException("no sign-in within " + human(timeout) + " (--timeout); run gatehouse "
                                + "login --device-code again")
                        : expired(start);
            }
            timer.sleep(interval);
            Answer answer = poll.poll();
            if (answer instanceof Answer.Granted granted) {
                return granted.response();
            }
            Answer.Refused refused = (Answer.Refused) answer;
            switch (refused.error()) {
                case "authorization_pending" -> { }
                case "slow_down" -> interval = interval.plus(SLOW_DOWN_STEP);
                case "access_denied" -> throw new LoginException("the sign-in was denied at the identity provider");
                case "expired_token" -> throw expired(start);
                default -> throw new LoginException("the identity provider refused the device login: "
                        + refused.error() + (refused.description() == null || refused.description().isBlank() ? ""
                                : " (" + refused.description() + ")"));
            }
        }
    }

    private static LoginException expired(Start start) {
        return new LoginException("the code " + start.userCode() + " expired before the sign-in was approved; run "
                + "gatehouse login --device-code again");
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s >= 60 && s % 60 == 0) {
            return s / 60 + (s == 60 ? " minute" : " minutes");
        }
        return s + (s == 1 ? " second" : " seconds");
    }
}
