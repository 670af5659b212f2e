package dev.gatehouse.cli.login;

/** A login problem with a one-line message for the user; no stack trace is shown. */
public final class LoginException extends RuntimeException {
    public LoginException(String message) {
        super(message, null, false, false);
    }
}
