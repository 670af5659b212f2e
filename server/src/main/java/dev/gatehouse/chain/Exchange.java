package dev.gatehouse.chain;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import dev.gatehouse.classify.Query;
import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.classify.Upgrade;
import dev.gatehouse.identity.Identity;
import dev.gatehouse.policy.Decision;
import io.vertx.core.buffer.Buffer;

/**
 * The per-request context the stages pass along, in request order. Confined to the request's event loop,
 * so it is mutable without locks; each field is set once by the stage that owns it.
 */
public final class Exchange {
    private final String id;
    private final RequestHead head;
    private final Instant received;
    private final long startNanos;
    private Identity identity;
    private String cluster = "";
    private String upstreamPath = "";
    private Query query;
    private RequestInfo info;
    private String decision = "";
    private String decisionReason = "";
    private String refusedCredential = "";
    private Upgrade upgrade;
    private Decision policy;
    private Buffer body;
    private BodyCapture bodyCapture;
    private BodyReader bodyReader = max -> io.vertx.core.Future.failedFuture(
            new IllegalStateException("this exchange has no body reader"));
    private PendingApproval pending;
    private java.util.function.BooleanSupplier clientGone = () -> false;
    private Instant clearUntil;
    private final java.util.Map<String, String> decisionDetails = new java.util.LinkedHashMap<>();

    public Exchange(RequestHead head) {
        this(UUID.randomUUID().toString(), head, Instant.now(), System.nanoTime());
    }

    public Exchange(String id, RequestHead head, Instant received, long startNanos) {
        this.id = Objects.requireNonNull(id, "id");
        this.head = Objects.requireNonNull(head, "head");
        this.received = received;
        this.startNanos = startNanos;
    }

    /** The request id: the audit ID, sent to the client as {@code Audit-ID} and to the cluster as an extra. */
    public String id() {
        return id;
    }

    public RequestHead head() {
        return head;
    }

    public Instant received() {
        return received;
    }

    /** Microseconds since the request was received. */
    public long elapsedMicros() {
        return (System.nanoTime() - startNanos) / 1_000;
    }

    /** The authenticated identity, or null before authentication (or when it failed). */
    public Identity identity() {
        return identity;
    }

    public void identity(Identity identity) {
        this.identity = identity;
    }

    /** The target cluster's name, or "" when the request is not addressed to a cluster. */
    public String cluster() {
        return cluster;
    }

    /** The path the cluster will see (the part after {@code /clusters/<name>}). */
    public String upstreamPath() {
        return upstreamPath;
    }

    public void target(String cluster, String upstreamPath) {
        this.cluster = cluster;
        this.upstreamPath = upstreamPath;
    }

    public Query query() {
        return query;
    }

    public void query(Query query) {
        this.query = query;
    }

    /** The classification, or null before the classify stage (or when it refused the request). */
    public RequestInfo info() {
        return info;
    }

    public void info(RequestInfo info) {
        this.info = info;
    }

    /** The fingerprint of a credential that failed authentication, for the audit event; else "". */
    public String refusedCredential() {
        return refusedCredential;
    }

    public void refusedCredential(String fingerprint) {
        this.refusedCredential = fingerprint == null ? "" : fingerprint;
    }

    /** The session upgrade the request asks for (exec, attach, port-forward), or null for an ordinary request. */
    public Upgrade upgrade() {
        return upgrade;
    }

    public void upgrade(Upgrade upgrade) {
        this.upgrade = upgrade;
    }

    /** allow / deny / review, or "" before a decision. */
    public String decision() {
        return decision;
    }

    public String decisionReason() {
        return decisionReason;
    }

    public void decide(String decision, String reason) {
        this.decision = decision;
        this.decisionReason = reason;
    }

    /** What policy decided, or null before the decide stage (or when the request was refused before it). */
    public Decision policy() {
        return policy;
    }

    /** Records the policy decision; the audit event's decision word and reason follow it. */
    public void policy(Decision decision, String reason) {
        this.policy = decision;
        decide(decision.word(), reason == null ? "" : reason);
    }

    /**
     * The request body when a stage read it ahead (bounded: a rule needed the object, or the request is held for
     * review), to be forwarded exactly as read; null when the body still streams from the client.
     */
    public Buffer body() {
        return body;
    }

    public void body(Buffer body) {
        this.body = body;
    }

    /** The copy of a streamed write body kept for the audit record; null when none was taken. */
    public BodyCapture bodyCapture() {
        return bodyCapture;
    }

    public void bodyCapture(BodyCapture capture) {
        this.bodyCapture = capture;
    }

    /** How a stage reads the body ahead (use {@link BodyReader#readOnce}); set by the chain for each request. */
    public BodyReader bodyReader() {
        return bodyReader;
    }

    public void bodyReader(BodyReader reader) {
        this.bodyReader = java.util.Objects.requireNonNull(reader, "reader");
    }

    /**
     * For a session (exec, attach, port-forward) held for review: the approval it waits for. The hold stage
     * lets such a request through at once with this set, so the bridge can accept the session, tell the user
     * that approval is pending, and connect upstream only once {@link PendingApproval#released()} succeeds.
     * Null for every request not held.
     */
    public PendingApproval pending() {
        return pending;
    }

    public void pending(PendingApproval pending) {
        this.pending = pending;
    }

    /**
     * What the decision rested on, recorded in the audit event's {@code gatehouse.details}: {@code rule},
     * {@code reviewId} (the review that held or released it), {@code grantId} (the grant it used). Mutable,
     * insertion-ordered.
     */
    public java.util.Map<String, String> decisionDetails() {
        return decisionDetails;
    }

    /**
     * True once the client has gone away (its connection or stream closed): a request held for review is then not
     * forwarded when the approval comes — nobody waits for it, and the person may have changed their mind.
     */
    public boolean clientGone() {
        return clientGone.getAsBoolean();
    }

    public void clientGone(java.util.function.BooleanSupplier gone) {
        this.clientGone = java.util.Objects.requireNonNull(gone, "gone");
    }

    /**
     * Until when the client may see masked values in clear (the end of the break-glass grant the masking profile
     * {@code clear} found, set by {@code mask.ProfileStage}); null, the default: masked.
     */
    public Instant clearUntil() {
        return clearUntil;
    }

    public void clearUntil(Instant until) {
        this.clearUntil = until;
    }
}
