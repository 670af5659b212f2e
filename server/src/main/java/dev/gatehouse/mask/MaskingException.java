package dev.gatehouse.mask;

/**
 * A body the masker cannot vouch for (not JSON, cut off, corrupt gzip): the relay must end the response with an error
 * rather than pass bytes on. The message names what was wrong, never a value.
 */
public final class MaskingException extends RuntimeException {
    public MaskingException(String message) {
        super(message, null, false, false);
    }
}
