package dev.gatehouse.evidence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.checkpoint.CheckpointLog;
import dev.gatehouse.audit.checkpoint.KeyDirectory;
import dev.gatehouse.audit.checkpoint.PublicKeys;
import dev.gatehouse.audit.file.AuditLogReader;
import dev.gatehouse.audit.file.Segment;
import dev.gatehouse.audit.verify.Finding;
import dev.gatehouse.audit.verify.LogVerifier;
import dev.gatehouse.audit.verify.VerificationReport;

/**
 * Verifies every replica's evidence found under a prefix of object storage. Each replica's objects are fetched
 * into a scratch log directory (segments, the checkpoint batches concatenated in order, the public keys) and
 * checked by {@link LogVerifier} — chain, signatures, checkpoints, sequence continuity — and then for what only
 * the store can get wrong: a log that does not start at position 0 (its first segments deleted), a segment
 * without its checkpoints or checkpoints without their segment (an object deleted), events no shipped checkpoint
 * signs (the last checkpoints deleted), objects that belong to no known kind, and each recording whose SHA-256
 * differs from the one its session's signed end event recorded, or that is missing.
 */
public final class StoreVerifier {
    private static final Pattern SEGMENT = Pattern.compile("audit/segment-(\\d{20})\\.jsonl");
    private static final Pattern CHECKPOINTS = Pattern.compile("audit/checkpoints-(\\d{20})\\.jsonl");
    private static final Pattern KEY = Pattern.compile("keys/(ed25519-[A-Za-z0-9_-]+\\.pub)");
    private static final Pattern RECORDING = Pattern.compile("sessions/([0-9a-f-]{36})\\.(raw|cast|json)");

    /**
     * One replica's verdict.
     *
     * @param replica       its name under the prefix
     * @param report        the log verifier's report, with the store's own findings added
     * @param keysFromStore true when no trusted keys were given and the replica's own shipped keys were used
     * @param recordings    recordings checked against their signed end events
     */
    public record ReplicaReport(String replica, VerificationReport report, boolean keysFromStore, int recordings) {
        public boolean ok() {
            return report.ok() && report.covered();
        }
    }

    private final ObjectStore store;
    private final String keyPrefix;

    /** @param keyPrefix "" or "prefix/" */
    public StoreVerifier(ObjectStore store, String keyPrefix) {
        this.store = store;
        this.keyPrefix = keyPrefix;
    }

    /**
     * Verifies each replica found under the prefix, fetching into {@code scratch}; {@code trusted} may be null (each
     * replica's shipped keys are used, which proves the objects consistent with each other, not who wrote them).
     */
    public List<ReplicaReport> verify(PublicKeys trusted, Path scratch) throws IOException {
        Map<String, List<String>> byReplica = new TreeMap<>();
        for (ObjectStore.Stored o : store.list(keyPrefix)) {
            String rest = o.key().substring(keyPrefix.length());
            int slash = rest.indexOf('/');
            String replica = slash < 0 ? "" : rest.substring(0, slash);
            byReplica.computeIfAbsent(replica, r -> new ArrayList<>()).add(slash < 0 ? rest : rest.substring(slash + 1));
        }
        if (byReplica.isEmpty()) {
            throw new IOException("no evidence under " + (keyPrefix.isEmpty() ? "the bucket's root" : keyPrefix));
        }
        List<ReplicaReport> reports = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : byReplica.entrySet()) {
            reports.add(verifyReplica(e.getKey(), e.getValue(), trusted, scratch));
        }
        return reports;
    }

    private ReplicaReport verifyReplica(String replica, List<String> keys, PublicKeys trusted, Path scratch)
            throws IOException {
        List<Finding> extra = new ArrayList<>();
        String base = keyPrefix + replica + "/";
        if (replica.isEmpty() || !ObjectStoreConfig.REPLICA.matcher(replica).matches()) {
            extra.add(new Finding(-1, Finding.Kind.UNREADABLE, "objects outside any replica's prefix: " + keys));
            return new ReplicaReport(replica, withFindings(empty(), extra), trusted == null, 0);
        }
        Path dir = Files.createDirectories(scratch.resolve(replica));
        TreeMap<Long, String> segments = new TreeMap<>();
        TreeMap<Long, String> batches = new TreeMap<>();
        TreeSet<String> recordings = new TreeSet<>();
        Path keyDir = Files.createDirectories(KeyDirectory.in(dir).path());
        for (String key : keys) {
            Matcher m;
            if ((m = SEGMENT.matcher(key)).matches()) {
                segments.put(Long.parseLong(m.group(1)), key);
            } else if ((m = CHECKPOINTS.matcher(key)).matches()) {
                batches.put(Long.parseLong(m.group(1)), key);
            } else if ((m = KEY.matcher(key)).matches()) {
                Files.write(keyDir.resolve(m.group(1)), store.get(base + key));
            } else if (RECORDING.matcher(key).matches()) {
                recordings.add(key);
            } else {
                extra.add(new Finding(-1, Finding.Kind.UNREADABLE, "unexpected object " + base + key));
            }
        }
        for (Map.Entry<Long, String> s : segments.entrySet()) {
            Files.write(dir.resolve(Segment.fileName(s.getKey())), store.get(base + s.getValue()));
        }
        try (var out = Files.newOutputStream(dir.resolve(CheckpointLog.FILE))) {
            for (String batch : batches.values()) {
                out.write(store.get(base + batch));
            }
        }
        checkShape(segments, batches, base, extra);
        PublicKeys keysToTrust = trusted != null ? trusted : PublicKeys.read(keyDir);
        VerificationReport report;
        if (keysToTrust.isEmpty()) {
            extra.add(new Finding(-1, Finding.Kind.BAD_CHECKPOINT, "no public keys under " + base + "keys/ and none "
                    + "given to trust"));
            report = empty();
        } else if (segments.isEmpty()) {
            extra.add(new Finding(0, Finding.Kind.MISSING, "no audit segments under " + base + "audit/"));
            report = empty();
        } else {
            report = new LogVerifier(keysToTrust).verify(dir);
            if (!report.covered()) {
                extra.add(new Finding(report.unsignedFrom(), Finding.Kind.MISSING, "events " + report.unsignedFrom()
                        + ".." + report.unsignedTo() + " are signed by no checkpoint in the store (every shipped "
                        + "segment ships with its sealing checkpoint: its checkpoints object was deleted or altered)"));
            }
        }
        int checked = checkRecordings(dir, base, recordings, extra);
        return new ReplicaReport(replica, withFindings(report, extra), trusted == null, checked);
    }

    /** Segments and checkpoint batches pair up: segment i ends where batch i ends, and the log starts at 0. */
    private static void checkShape(TreeMap<Long, String> segments, TreeMap<Long, String> batches, String base,
                                   List<Finding> extra) {
        if (!segments.isEmpty() && segments.firstKey() != 0) {
            extra.add(new Finding(0, Finding.Kind.MISSING, "the log in the store starts at position "
                    + segments.firstKey() + ": positions 0.." + (segments.firstKey() - 1) + " are missing (segment "
                    + "objects deleted)"));
        }
        List<Long> starts = new ArrayList<>(segments.keySet());
        for (int i = 0; i + 1 < starts.size(); i++) {
            if (!batches.containsKey(starts.get(i + 1))) {
                extra.add(new Finding(starts.get(i + 1), Finding.Kind.MISSING, "no checkpoints object for the segment "
                        + "ending at position " + starts.get(i + 1) + " (" + base + CHECKPOINTS.pattern() + ")"));
            }
        }
        for (long end : batches.keySet()) {
            boolean endsASegment = segments.containsKey(end) || (!starts.isEmpty() && end > starts.getLast()
                    && end == batches.lastKey());
            if (!endsASegment) {
                extra.add(new Finding(end, Finding.Kind.MISSING, "the checkpoints object for a segment ending at "
                        + "position " + end + " has no following segment or its segment is missing"));
            }
        }
        if (!starts.isEmpty() && !batches.isEmpty() && batches.lastKey() < starts.getLast()) {
            extra.add(new Finding(starts.getLast(), Finding.Kind.MISSING, "the last segment (from position "
                    + starts.getLast() + ") has no checkpoints object"));
        }
    }

    /** Each recording's objects against the SHA-256 its session's end event signed. */
    private int checkRecordings(Path dir, String base, TreeSet<String> recordings, List<Finding> extra)
            throws IOException {
        int checked = 0;
        try (AuditLogReader reader = AuditLogReader.open(dir)) {
            while (reader.hasNext()) {
                AuditLogReader.LogLine line = reader.next();
                AuditEvent event;
                try {
                    event = line.event();
                } catch (RuntimeException e) {
                    continue; // the log verifier reported it
                }
                Map<String, String> d = event.gatehouse() == null ? null : event.gatehouse().details();
                if (d == null || d.get("session") == null || d.get("recording.rawSha256") == null) {
                    continue;
                }
                String id = d.get("session");
                checked++;
                for (String part : new String[] {"raw", "cast"}) {
                    String key = "sessions/" + id + "." + part;
                    if (!recordings.contains(key)) {
                        extra.add(new Finding(line.position(), Finding.Kind.MISSING, "session " + id + "'s " + part
                                + " recording is not in the store (" + base + key + ")"));
                        continue;
                    }
                    byte[] bytes = store.get(base + key);
                    String sha = HexFormat.of().formatHex(S3ObjectStore.digest("SHA-256", bytes));
                    if (!sha.equals(d.get("recording." + part + "Sha256"))) {
                        extra.add(new Finding(line.position(), Finding.Kind.MODIFIED, "session " + id + "'s " + part
                                + " recording in the store (" + base + key + ", SHA-256 " + sha + ") differs from "
                                + "the one its signed end event recorded (" + d.get("recording." + part + "Sha256")
                                + ")"));
                    }
                }
            }
        }
        return checked;
    }

    private static VerificationReport empty() {
        return new VerificationReport(0, 0, -1, 0, -1, -1, 0, 0, List.of(), List.of(), List.of());
    }

    private static VerificationReport withFindings(VerificationReport r, List<Finding> extra) {
        if (extra.isEmpty()) {
            return r;
        }
        List<Finding> all = new ArrayList<>(r.findings());
        all.addAll(extra);
        return new VerificationReport(r.events(), r.checkpoints(), r.signedSize(), r.unsignedEvents(),
                r.unsignedFrom(), r.unsignedTo(), r.tailMatched(), r.tailUnchecked(), all, r.counts(), r.quietDays());
    }
}
