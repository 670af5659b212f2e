package dev.gatehouse.session;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where session recordings live: files in the data directory today ({@link FileRecordingStore}), object storage
 * when several replicas share them. A recording has two parts — {@link Part#RAW}, every byte of every channel
 * exactly as relayed, and {@link Part#CAST}, the asciicast v2 rendering that {@code asciinema play} replays — and
 * a {@link SessionSummary} written when the session ends.
 */
public interface RecordingStore {
    enum Part {
        RAW("raw"), CAST("cast");

        private final String suffix;

        Part(String suffix) {
            this.suffix = suffix;
        }

        public String suffix() {
            return suffix;
        }
    }

    /** Opens a new recording; its parts are written in order by one thread at a time. */
    Sink create(String sessionId) throws IOException;

    void writeSummary(SessionSummary summary) throws IOException;

    /** Every finished session's summary, oldest first. */
    List<SessionSummary> list() throws IOException;

    Optional<SessionSummary> summary(String sessionId) throws IOException;

    /** A part of a recording, finished or still being written. */
    InputStream open(String sessionId, Part part) throws IOException;

    /** One recording being written. */
    interface Sink {
        void write(Part part, byte[] bytes) throws IOException;

        /** Forces both parts to the device and closes them; returns their sizes and SHA-256 digests. */
        Sealed seal() throws IOException;
    }

    record Sealed(long rawBytes, String rawSha256, long castBytes, String castSha256) {
    }

    /** What a session id looks like: a random UUID, lower case. */
    Pattern SESSION_ID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** Rejects session ids that could name anything but a recording (they come from URLs and the CLI). */
    static String checkId(String sessionId) {
        if (sessionId == null || !SESSION_ID.matcher(sessionId).matches()) {
            throw new IllegalArgumentException("not a session id: \"" + sessionId + "\"");
        }
        return sessionId;
    }
}
