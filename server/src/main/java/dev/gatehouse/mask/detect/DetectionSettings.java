package dev.gatehouse.mask.detect;

/**
 * Where the built-in detectors ({@link TextMasker}) apply.
 *
 * @param podLogs           mask {@code pods/log} responses ({@code kubectl logs}, also followed with {@code -f})
 * @param sessionRecordings mask what exec/attach session recordings keep of stdout and stderr (the user's live
 *                          stream is never changed)
 */
public record DetectionSettings(boolean podLogs, boolean sessionRecordings) {
    /** Both on: the default. */
    public static DetectionSettings defaults() {
        return new DetectionSettings(true, true);
    }

    /** Both off. */
    public static DetectionSettings off() {
        return new DetectionSettings(false, false);
    }
}
