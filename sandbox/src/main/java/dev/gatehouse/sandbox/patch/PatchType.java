package dev.gatehouse.sandbox.patch;

import java.util.Locale;
import java.util.Optional;

/** The patch formats a PATCH request may carry, by {@code Content-Type}. */
public enum PatchType {
    JSON("application/json-patch+json"),
    MERGE("application/merge-patch+json"),
    STRATEGIC("application/strategic-merge-patch+json"),
    APPLY("application/apply-patch+yaml");

    private final String mediaType;

    PatchType(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }

    /** The patch type of a Content-Type header (parameters ignored), if it is one. */
    public static Optional<PatchType> of(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        String bare = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        for (PatchType t : values()) {
            if (t.mediaType.equals(bare)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
