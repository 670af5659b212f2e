package dev.gatehouse.session;

/** A frame the gateway cannot relay and record faithfully; the session ends with this message. */
public final class FrameException extends RuntimeException {
    public FrameException(String message) {
        super(message);
    }
}
