package dev.gatehouse.session;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the audit API reads of sessions: the finished ones' summaries and recordings from the store, the live ones from
 * the registry. A session id that names neither is an {@link IllegalArgumentException} (the API's 404).
 */
public final class SessionEvidence {
    private final RecordingStore store;
    private final SessionRegistry registry;

    public SessionEvidence(RecordingStore store, SessionRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    /** {@code {"kind":"SessionList","items":[summaries, oldest first],"live":[what each open session is]}}. */
    public Map<String, Object> list() throws IOException {
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("kind", "SessionList");
        list.put("items", store.list());
        List<Map<String, Object>> live = new ArrayList<>();
        registry.all().forEach(s -> live.add(describe(s.recording().about())));
        list.put("live", live);
        return list;
    }

    /** The summary of a finished session, or what a live one is (with {@code "live": true}). */
    public Object show(String id) throws IOException {
        Optional<SessionSummary> summary = store.summary(RecordingStore.checkId(id));
        if (summary.isPresent()) {
            return summary.get();
        }
        Session session = live(id);
        Map<String, Object> about = new LinkedHashMap<>();
        about.put("live", true);
        about.putAll(describe(session.recording().about()));
        return about;
    }

    /** What a live session is, in the summary's field names. */
    private static Map<String, Object> describe(SessionRecording.About about) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", about.id());
        fields.put("auditID", about.auditID());
        fields.put("cluster", about.cluster());
        fields.put("user", about.user());
        fields.put("groups", about.groups());
        fields.put("namespace", about.namespace());
        fields.put("pod", about.pod());
        fields.put("container", about.container());
        fields.put("subresource", about.subresource());
        fields.put("command", about.command());
        fields.put("tty", about.tty());
        fields.put("stdin", about.stdin());
        fields.put("protocol", about.protocol());
        fields.put("started", dev.gatehouse.audit.AuditEvent.timestamp(about.started()));
        return fields;
    }

    public InputStream open(String id, RecordingStore.Part part) throws IOException {
        if (store.summary(RecordingStore.checkId(id)).isEmpty() && registry.get(id).isEmpty()) {
            throw new IllegalArgumentException("no session " + id);
        }
        return store.open(id, part);
    }

    /** A session that is open on this gateway. */
    public Session live(String id) {
        return registry.get(id).orElseThrow(() -> new IllegalArgumentException("no live session " + id
                + " on this gateway"));
    }
}
