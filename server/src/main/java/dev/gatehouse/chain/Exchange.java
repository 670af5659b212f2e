package dev.gatehouse.chain;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import dev.gatehouse.classify.Query;
import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.classify.Upgrade;
import dev.gatehouse.identity.Identity;

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
}
