package dev.gatehouse.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.mask.MaskKeys;
import dev.gatehouse.audit.AuditLogUnavailableException;
import dev.gatehouse.authn.AuthenticateStage;
import dev.gatehouse.authn.Authenticator;
import dev.gatehouse.chain.Exchange;
import dev.gatehouse.chain.RequestHead;
import dev.gatehouse.session.RecordingStore;
import dev.gatehouse.session.Session;
import dev.gatehouse.session.SessionEvidence;
import dev.gatehouse.session.SessionRecording;
import dev.gatehouse.status.GatewayException;
import dev.gatehouse.status.KubeStatus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * The audit API, {@code GET /gatehouse/v1/audit/{events,verify,proofs/<auditID>,export,keys}} and
 * {@code POST /gatehouse/v1/audit/keys/rotate}: authenticated like cluster requests ({@link AuthenticateStage}, 401),
 * authorized by {@link EvidenceReaders} (readers, or key admins for the rotation; 403), answered from
 * {@link EvidenceFiles} on a worker thread. Evidence first: every call's event is durable before anything is sent
 * (a rotation's before the new key signs anything), and when it cannot be written the caller gets 503 and no data.
 * Errors are Kubernetes Status.
 */
public final class AuditApi implements AutoCloseable {
    /** Where the API lives; everything under it is answered here. */
    public static final String PREFIX = "/gatehouse/v1/audit/";
    private static final Logger LOG = LoggerFactory.getLogger(AuditApi.class);

    private final Vertx vertx;
    private final AuthenticateStage authenticate;
    private final EvidenceReaders readers;
    private final EvidenceReaders keyAdmins;
    private final EvidenceReadAudit audit;
    private final EvidenceFiles files;
    private final AuditLog log;
    private final MaskKeys maskKeys;
    private final SessionEvidence sessions;
    private final EvidenceReaders moderators;

    /**
     * @param readers    who may read ({@code audit.readers}), sessions included
     * @param keyAdmins  who may rotate the checkpoint signing key ({@code audit.keyAdmins})
     * @param log        the log whose key {@code POST keys/rotate} rotates
     * @param sessions   the sessions' summaries and recordings, and the live ones
     * @param moderators who may end a live session ({@code sessions.moderators})
     */
    public AuditApi(Vertx vertx, Authenticator authenticator, EvidenceReaders readers, EvidenceReaders keyAdmins,
                    EvidenceReadAudit audit, EvidenceFiles files, AuditLog log, SessionEvidence sessions,
                    EvidenceReaders moderators) {
        this(vertx, authenticator, readers, keyAdmins, audit, files, log, sessions, moderators, null);
    }

    /** @param maskKeys the keys of the masks' fingerprints, rotated by {@code POST mask-keys/rotate}; null: none */
    public AuditApi(Vertx vertx, Authenticator authenticator, EvidenceReaders readers, EvidenceReaders keyAdmins,
                    EvidenceReadAudit audit, EvidenceFiles files, AuditLog log, SessionEvidence sessions,
                    EvidenceReaders moderators, MaskKeys maskKeys) {
        this.maskKeys = maskKeys;
        this.vertx = vertx;
        this.authenticate = new AuthenticateStage(authenticator);
        this.readers = readers;
        this.keyAdmins = keyAdmins;
        this.audit = audit;
        this.files = files;
        this.log = log;
        this.sessions = sessions;
        this.moderators = moderators;
    }

    /** What a read produced, before its event is recorded. */
    sealed interface Answer {
        long results();
    }

    /** A whole body, with any extra response headers. */
    record Body(String contentType, String body, long results, Map<String, String> headers) implements Answer {
        Body(String contentType, String body, long results) {
            this(contentType, body, results, Map.of());
        }
    }

    /** Answers one parsed read on a worker thread (after authentication and authorization). */
    interface Answerer {
        Answer answer(Exchange exchange, EvidenceRead read) throws IOException;
    }

    /** Parses a call into its read; fails with a {@link GatewayException} (400/404) naming what is wrong. */
    interface Parser {
        EvidenceRead parse();
    }

    private record Lines(EvidenceFiles.ExportCursor cursor, long results) implements Answer {
    }

    /** A recording's part, streamed. */
    private record Stream(String contentType, InputStream in) implements Answer {
        @Override
        public long results() {
            return 1;
        }
    }

    /** A live session followed as it is recorded. */
    private record Live(SessionRecording recording) implements Answer {
        @Override
        public long results() {
            return 1;
        }
    }

    /** An answer whose event is already durable (a key rotation records itself before the key changes). */
    private record Recorded(Body body) implements Answer {
        @Override
        public long results() {
            return body.results();
        }
    }

    /** Answers requests under {@link #PREFIX}; false for other paths. */
    public boolean handle(HttpServerRequest request) {
        if (!request.path().startsWith(PREFIX)) {
            return false;
        }
        String resource = request.path().substring(PREFIX.length());
        serve(request, () -> EvidenceRead.parse(resource, request.params()),
                EvidenceRead.post(resource) ? HttpMethod.POST : HttpMethod.GET, this::answer);
        return true;
    }

    /**
     * Serves one call the way every evidence read is served (also {@link ReportApi}'s): authenticated (401),
     * authorized (403), then the parse's error if any (400/404), then answered on a worker; its evidence-read event
     * durable before anything is sent (else 503), refusals recorded too.
     */
    void serve(HttpServerRequest request, Parser parser, HttpMethod method, Answerer answerer) {
        Context context = vertx.getOrCreateContext();
        Exchange exchange = new Exchange(RequestHead.of(request));
        request.response().putHeader("Audit-ID", exchange.id());
        // parsed first so that a refused call's event names what was asked; a bad request is answered only after
        // authentication and authorization, like any other
        EvidenceRead[] read = new EvidenceRead[1];
        RuntimeException invalid = null;
        try {
            read[0] = parser.parse();
        } catch (RuntimeException e) {
            invalid = e;
        }
        RuntimeException badRequest = invalid;
        Future<Answer> answer;
        try {
            answer = (request.method() == method ? authenticate.apply(exchange)
                    : Future.<Void>failedFuture(GatewayException.methodNotAllowed(request.method().name())))
                    .compose(v -> authorize(exchange, read[0]))
                    .compose(v -> badRequest != null ? Future.failedFuture(badRequest)
                            : vertx.executeBlocking(() -> answerer.answer(exchange, read[0]), false));
        } catch (RuntimeException e) {
            answer = Future.failedFuture(e);
        }
        answer.onComplete(ar -> context.runOnContext(v -> {
            if (ar.succeeded()) {
                send(exchange, request, read[0], ar.result());
            } else {
                refuse(exchange, request, read[0], status(exchange, ar.cause()));
            }
        }));
    }

    private Future<Void> authorize(Exchange exchange, EvidenceRead read) {
        EvidenceReaders who = switch (read) {
            case EvidenceRead.RotateKey r -> keyAdmins;
            case EvidenceRead.RotateMaskKey m -> keyAdmins;
            case EvidenceRead.Session s when s.what().equals("kill") -> moderators;
            case null, default -> readers;
        };
        if (!who.admit(exchange.identity())) {
            return Future.failedFuture(GatewayException.forbidden(who.refusal(exchange.identity())));
        }
        return Future.succeededFuture();
    }

    /** Runs on a worker: the read itself (or the rotation, whose event it writes first). */
    private Answer answer(Exchange exchange, EvidenceRead read) throws IOException {
        return switch (read) {
            case EvidenceRead.RotateKey ignored -> {
                AuditLog.KeyRotation done;
                try {
                    done = log.rotateKey(r -> EvidenceReadAudit.event(exchange,
                            new EvidenceReadAudit.Outcome(new EvidenceRead.RotateKey(r), 200, null, 1L)));
                } catch (IOException e) {
                    throw new GatewayException(KubeStatus.of(500, e.getMessage()));
                }
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("kind", "KeyRotation");
                body.put("previousKeyId", done.previousKeyId());
                body.put("keyId", done.keyId());
                body.put("publicKey", done.publicKeyPem());
                yield new Recorded(new Body("application/json", Replies.json(body), 1));
            }
            case EvidenceRead.RotateMaskKey ignored -> {
                if (maskKeys == null) {
                    throw GatewayException.notFound("this gateway holds no mask keys");
                }
                String previous = maskKeys.current().id();
                String next = maskKeys.rotate(id -> recordNow(EvidenceReadAudit.event(exchange,
                        new EvidenceReadAudit.Outcome(new EvidenceRead.RotateMaskKey(previous, id), 200, null, 1L))));
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("kind", "MaskKeyRotation");
                body.put("previousKeyId", previous);
                body.put("keyId", next);
                yield new Recorded(new Body("application/json", Replies.json(body), 1));
            }
            case EvidenceRead.Query q -> {
                EvidenceFiles.Page page = files.query(q);
                Map<String, Object> list = new LinkedHashMap<>();
                list.put("kind", "EventList");
                list.put("apiVersion", "audit.k8s.io/v1");
                list.put("metadata", page.next() == null ? Map.of() : Map.of("continue", page.next().toString()));
                list.put("items", page.items());
                yield new Body("application/json", Replies.json(list), page.items().size());
            }
            case EvidenceRead.PageView v -> throw GatewayException.notFound("not an audit API resource");
            case EvidenceRead.Verify ignored -> {
                var report = files.verify();
                yield new Body("application/json", Replies.json(report), report.events());
            }
            case EvidenceRead.Prove p -> new Body("application/json", Replies.json(files.prove(p.auditId())), 1);
            case EvidenceRead.Keys ignored -> {
                List<String> keys = files.keys();
                if (keys.isEmpty()) {
                    throw new IOException("the log has no public keys yet");
                }
                yield new Body("application/x-pem-file", String.join("", keys), keys.size());
            }
            case EvidenceRead.Export e -> {
                EvidenceFiles.ExportRange range = files.exportRange(e);
                yield new Lines(files.export(range, e.shape()), range.count());
            }
            case EvidenceRead.SessionList ignored -> {
                Map<String, Object> list = sessions.list();
                yield new Body("application/json", Replies.json(list), ((List<?>) list.get("items")).size());
            }
            case EvidenceRead.ReportRead r -> throw new IllegalStateException("reports are answered by ReportApi");
            case EvidenceRead.Session s -> switch (s.what()) {
                case "show" -> new Body("application/json", Replies.json(sessions.show(s.id())), 1);
                case "cast" -> new Stream("application/x-asciicast", sessions.open(s.id(), RecordingStore.Part.CAST));
                case "raw" -> new Stream("application/octet-stream", sessions.open(s.id(), RecordingStore.Part.RAW));
                case "watch" -> new Live(sessions.live(s.id()).recording());
                default -> {
                    Session live = sessions.live(s.id());
                    String who = exchange.identity() == null ? "?" : exchange.identity().user();
                    live.kill("the session was ended by " + who + " through Gatehouse");
                    yield new Body("application/json", Replies.json(Map.of("kind", "SessionKill", "session", s.id(),
                            "endedBy", who)), 1);
                }
            };
        };
    }

    private void send(Exchange exchange, HttpServerRequest request, EvidenceRead read, Answer answer) {
        if (answer instanceof Recorded recorded) {
            request.response().putHeader("Content-Type", recorded.body().contentType()).end(recorded.body().body());
            return;
        }
        audit.record(exchange, new EvidenceReadAudit.Outcome(read, 200, null, answer.results())).onComplete(ar -> {
            if (ar.failed()) {
                if (answer instanceof Lines lines) {
                    lines.cursor().close();
                }
                unwritable(exchange, request, ar.cause());
                return;
            }
            HttpServerResponse response = request.response();
            switch (answer) {
                case Body body -> {
                    body.headers().forEach(response::putHeader);
                    response.putHeader("Content-Type", body.contentType()).end(body.body());
                }
                case Recorded recorded -> throw new IllegalStateException("answered above");
                case Lines lines -> {
                    response.setChunked(true).putHeader("Content-Type", "application/x-ndjson");
                    response.closeHandler(v -> lines.cursor().close()); // a client gone mid-export frees the reader
                    pump(exchange, response, chunks(lines.cursor()));
                }
                case Stream stream -> {
                    response.setChunked(true).putHeader("Content-Type", stream.contentType());
                    Chunks cursor = chunks(stream.in());
                    response.closeHandler(v -> cursor.close());
                    pump(exchange, response, cursor);
                }
                case Live live -> follow(response, live.recording());
            }
        });
    }

    /** What {@link #pump} sends: chunks read on a worker until null. */
    private interface Chunks {
        byte[] next() throws IOException;

        void close();
    }

    private static Chunks chunks(EvidenceFiles.ExportCursor cursor) {
        return new Chunks() {
            @Override
            public byte[] next() throws IOException {
                return cursor.next();
            }

            @Override
            public void close() {
                cursor.close();
            }
        };
    }

    /** Reads a stream in 64 KiB chunks. */
    private static Chunks chunks(InputStream in) {
        return new Chunks() {
            @Override
            public byte[] next() throws IOException {
                byte[] chunk = in.readNBytes(64 * 1024);
                return chunk.length == 0 ? null : chunk;
            }

            @Override
            public void close() {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // nothing left to release
                }
            }
        };
    }

    /**
     * Sends a live session's cast lines as they are recorded, until it ends (or the watcher leaves). A watcher that
     * cannot keep up is cut off rather than slowing the session down.
     */
    private void follow(HttpServerResponse response, SessionRecording recording) {
        Context context = Vertx.currentContext();
        response.setChunked(true).putHeader("Content-Type", "application/x-asciicast");
        java.util.function.Consumer<String>[] watcher = new java.util.function.Consumer[1];
        watcher[0] = line -> context.runOnContext(v -> {
            if (response.ended() || response.closed()) {
                return;
            }
            if (line == null) {
                response.end();
            } else if (response.writeQueueFull()) {
                recording.unwatch(watcher[0]);
                response.reset();
            } else {
                response.write(line + "\n");
            }
        });
        response.closeHandler(v -> recording.unwatch(watcher[0]));
        recording.watch(watcher[0]);
    }

    /** Streams an export chunk by chunk: each read on a worker, the next only when the client keeps up. */
    private void pump(Exchange exchange, HttpServerResponse response, Chunks cursor) {
        if (response.closed()) {
            cursor.close();
            return;
        }
        vertx.executeBlocking(cursor::next, false).onComplete(ar -> {
            if (ar.failed()) {
                LOG.error("{} export stopped: {}", exchange.id(), ar.cause().getMessage());
                cursor.close();
                response.reset(); // the client must not mistake a cut export for a complete one
            } else if (ar.result() == null) {
                cursor.close();
                response.end();
            } else {
                response.write(Buffer.buffer(ar.result()));
                if (response.writeQueueFull()) {
                    response.drainHandler(v -> pump(exchange, response, cursor));
                } else {
                    pump(exchange, response, cursor);
                }
            }
        });
    }

    private void refuse(Exchange exchange, HttpServerRequest request, EvidenceRead read, KubeStatus status) {
        audit.record(exchange, new EvidenceReadAudit.Outcome(read, status.code(), status.message(), null))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        unwritable(exchange, request, ar.cause());
                    } else {
                        Replies.end(request, status);
                    }
                });
    }

    private static void unwritable(Exchange exchange, HttpServerRequest request, Throwable cause) {
        LOG.error("{} cannot record an evidence read: {}", exchange.id(), cause.getMessage());
        Replies.end(request, KubeStatus.of(503, "the audit log cannot be written, so no evidence is read (request "
                + exchange.id() + ")"));
    }

    private static KubeStatus status(Exchange exchange, Throwable error) {
        return switch (error) {
            case GatewayException ge -> ge.status();
            case AuditLogUnavailableException e -> KubeStatus.of(503, e.getMessage() + " (request " + exchange.id()
                    + ")");
            case UnsupportedOperationException e -> KubeStatus.of(501, e.getMessage());
            case IllegalArgumentException e -> KubeStatus.of(404, e.getMessage());
            case IllegalStateException e -> KubeStatus.of(409, e.getMessage());
            case IOException e -> KubeStatus.of(503, "cannot read the audit log: " + e.getMessage());
            case UncheckedIOException e -> KubeStatus.of(503, "cannot read the audit log: " + e.getMessage());
            default -> {
                LOG.error("{} internal error in the audit API", exchange.id(), error);
                yield KubeStatus.of(500, "internal error in the gateway (request " + exchange.id() + ")");
            }
        };
    }

    @Override
    public void close() {
        files.close();
    }

    /** Appends an event and waits until it is durable (on a worker: the rotation must not go on without it). */
    private void recordNow(AuditEvent event) {
        try {
            log.append(event).toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw GatewayException.unavailable("interrupted while recording the rotation");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw GatewayException.unavailable("the audit log cannot record the rotation, so the key was not "
                    + "rotated: " + (e.getCause() == null ? e : e.getCause()).getMessage());
        }
    }
}
