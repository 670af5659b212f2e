package dev.gatehouse.audit.retention;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.audit.SystemEvents;
import dev.gatehouse.audit.file.LeafSidecar;
import dev.gatehouse.audit.file.Segment;

/**
 * Applies a {@link RetentionPolicy}: archives sealed segments, deletes live segments past the hot period (only
 * once archived) and archived segments past the retention period. Only the oldest segments go, in order, so what
 * remains is contiguous and starts at a signed checkpoint; the newest segment of a directory is never deleted.
 * Each deletion is first recorded as an event; if that event cannot be written nothing is deleted. With evidence
 * shipping configured, a live segment is deleted only once it is in object storage ({@link ShippedCheck}).
 */
public final class RetentionEnforcer {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionEnforcer.class);

    /** What one run did. */
    public record Result(List<Segment> archived, List<Segment> deletedLive, List<Segment> deletedArchived) {
    }

    /** Whether a segment (ending before position {@code end}) and its checkpoints reached object storage. */
    @FunctionalInterface
    public interface ShippedCheck {
        boolean shipped(Segment segment, long end);
    }

    private final AuditLog log;
    private final Path logDir;
    private final RetentionPolicy policy;
    private final Clock clock;
    private final ShippedCheck shipped;

    public RetentionEnforcer(AuditLog log, Path logDir, RetentionPolicy policy, Clock clock) {
        this(log, logDir, policy, clock, (segment, end) -> true);
    }

    /** @param shipped live segments are deleted only when this says they were shipped */
    public RetentionEnforcer(AuditLog log, Path logDir, RetentionPolicy policy, Clock clock, ShippedCheck shipped) {
        this.log = log;
        this.logDir = logDir;
        this.policy = policy;
        this.clock = clock;
        this.shipped = shipped;
    }

    public synchronized Result run() throws IOException {
        Path archive = policy.archiveDir();
        List<Segment> archived = archive == null ? List.of() : SegmentArchiver.archive(logDir, archive);
        List<Segment> deletedLive = expire(logDir, policy.live(), archive, "live");
        List<Segment> deletedArchived = archive == null ? List.of() : expire(archive, policy.keep(), null, "archive");
        return new Result(archived, deletedLive, deletedArchived);
    }

    private List<Segment> expire(Path dir, Duration maxAge, Path mustBeIn, String where) throws IOException {
        List<Segment> segments = Segment.list(dir);
        Instant cutoff = clock.instant().minus(maxAge);
        List<Segment> expired = new ArrayList<>();
        Instant newest = null;
        SignedPositions signed = SignedPositions.in(dir);
        for (int i = 0; i < segments.size() - 1; i++) {
            Segment s = segments.get(i);
            Instant t = SegmentAge.newestEvent(s);
            // what remains must start where a checkpoint was signed, or it cannot be verified on its own
            long end = segments.get(i + 1).firstSeq();
            if (t == null || !t.isBefore(cutoff) || !archivedIn(s, mustBeIn) || !signed.signedAt(end)
                    || (dir.equals(logDir) && !shipped.shipped(s, end))) {
                break;
            }
            expired.add(s);
            newest = t;
        }
        if (expired.isEmpty()) {
            return expired;
        }
        long from = expired.getFirst().firstSeq();
        long to = segments.get(expired.size()).firstSeq() - 1;
        record(where, dir, expired, from, to, newest, maxAge);
        for (Segment s : expired) {
            Files.deleteIfExists(LeafSidecar.pathOf(s));
            Files.delete(s.path());
        }
        LOG.info("audit retention: deleted {} {} segment(s) with positions {}..{} (newest event {}, older than {})",
                expired.size(), where, from, to, newest, maxAge);
        return expired;
    }

    private void record(String where, Path dir, List<Segment> expired, long from, long to, Instant newest,
                        Duration maxAge) throws IOException {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("where", where);
        details.put("directory", dir.toString());
        details.put("segments", String.join(",", expired.stream().map(s -> s.path().getFileName().toString())
                .toList()));
        details.put("fromPosition", Long.toString(from));
        details.put("toPosition", Long.toString(to));
        details.put("newestEvent", newest.toString());
        details.put("retention", maxAge.toString());
        String reason = "deleted " + where + " audit segments past retention (" + maxAge + "): positions " + from
                + ".." + to;
        try {
            log.append(SystemEvents.of("delete", "auditsegments", where, reason, details)).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("not deleting expired " + where + " segments: their deletion cannot be recorded ("
                    + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while recording a retention deletion", e);
        }
    }

    private static boolean archivedIn(Segment s, Path archive) throws IOException {
        if (archive == null) {
            return true;
        }
        Path copy = archive.resolve(s.path().getFileName());
        return Files.exists(copy) && Files.size(copy) == Files.size(s.path());
    }
}
