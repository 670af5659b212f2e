package dev.gatehouse.authn.oidc;

/**
 * Which identity values can be carried in an HTTP header to the cluster (impersonation headers, extras):
 * printable ASCII (0x20–0x7E) without leading or trailing space. Anything else — CR, LF, NUL and other
 * control characters, non-ASCII — is refused rather than escaped or guessed, because the same value must
 * mean the same thing in our audit log and the cluster's.
 */
public final class HeaderValues {
    private HeaderValues() {
    }

    /** True when {@code value} is non-empty printable ASCII without leading or trailing space. */
    public static boolean safe(String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        if (value.charAt(0) == ' ' || value.charAt(value.length() - 1) == ' ') {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
