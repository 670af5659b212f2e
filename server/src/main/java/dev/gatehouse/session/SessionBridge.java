package dev.gatehouse.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.chain.Evidence;
import dev.gatehouse.chain.Exchange;
import dev.gatehouse.classify.Upgrade;
import dev.gatehouse.forward.Forwarder;
import dev.gatehouse.forward.Upstream;
import dev.gatehouse.identity.Identity;
import dev.gatehouse.listen.RawUpgrade;
import dev.gatehouse.mask.MaskingChoice;
import dev.gatehouse.mask.detect.TextMasker;
import dev.gatehouse.status.GatewayException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.NetSocket;

/**
 * Opens an exec, attach or port-forward session for an exchange the chain has let through: the upgrade goes to the
 * cluster on an HTTP/1.1 connection of its own (redirects never followed); an answer other than 101 is relayed as an
 * ordinary response (so kubectl falls back from WebSocket to SPDY when a cluster refuses the former), and a 101 is
 * checked (the subprotocol one the client offered and the gateway decodes, no WebSocket extension, a correct
 * {@code Sec-WebSocket-Accept}) before the session's start event is made durable and the client gets the same 101.
 * A session held for review ({@link Exchange#pending()}) is accepted by the gateway first and reaches the cluster
 * only once released: see {@link PendingSession}.
 */
public final class SessionBridge {
    private static final Logger LOG = LoggerFactory.getLogger(SessionBridge.class);
    /** Headers of a refused upgrade's answer that describe that connection, not the response (lower case). */
    private static final Set<String> NOT_RELAYED = Set.of("connection", "keep-alive", "transfer-encoding", "upgrade",
            "content-length", "audit-id", "trailer", "te");
    private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** Limits every session gets. */
    public record Settings(Duration idleTimeout, long maxRecordingBytes, SessionRecording.LimitAction atLimit,
                           boolean forwardPayload, int maxFrameBytes) {
        public static Settings defaults() {
            return new Settings(Duration.ofMinutes(30), 1L << 30, SessionRecording.LimitAction.END, false,
                    4 * 1024 * 1024);
        }
    }

    /**
     * Limits of a session held for review while it waits ({@link Exchange#pending()}).
     *
     * @param maxBufferedBytes what the client may send before approval (stdin, resizes, streams it opens); past it
     *                         the session ends with a 413 Status
     * @param maxWait          the longest the gateway keeps a session waiting, whatever the review's own hold time
     *                         (a 504 Status then); the credential's expiry ends the wait sooner (401)
     */
    public record HoldSettings(int maxBufferedBytes, Duration maxWait) {
        public HoldSettings {
            if (maxBufferedBytes <= 0) {
                throw new IllegalArgumentException("maxBufferedBytes: " + maxBufferedBytes + " (expected: > 0)");
            }
            if (maxWait == null || maxWait.isNegative() || maxWait.isZero()) {
                throw new IllegalArgumentException("maxWait: " + maxWait + " (expected: > 0)");
            }
        }

        public static HoldSettings defaults() {
            return new HoldSettings(1024 * 1024, Duration.ofHours(1));
        }
    }

    private final Vertx vertx;
    private final Forwarder forwarder;
    private final Evidence evidence;
    private final RecordingStore store;
    private final SessionRegistry registry;
    private final Settings settings;
    private final HoldSettings hold;
    private final Supplier<TextMasker> recordingMaskers;
    private final ExecutorService recordingThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "session-recorder");
        t.setDaemon(true);
        return t;
    });

    public SessionBridge(Vertx vertx, Forwarder forwarder, Evidence evidence, RecordingStore store,
                         SessionRegistry registry, Settings settings) {
        this(vertx, forwarder, evidence, store, registry, settings, HoldSettings.defaults());
    }

    public SessionBridge(Vertx vertx, Forwarder forwarder, Evidence evidence, RecordingStore store,
                         SessionRegistry registry, Settings settings, HoldSettings hold) {
        this(vertx, forwarder, evidence, store, registry, settings, hold, recordingMaskers(forwarder));
    }

    /**
     * @param recordingMaskers a new {@link TextMasker} for each recorded output stream (stdout, stderr) of a session,
     *                         or null for unmasked recordings; the user's live stream is never masked
     */
    public SessionBridge(Vertx vertx, Forwarder forwarder, Evidence evidence, RecordingStore store,
                         SessionRegistry registry, Settings settings, HoldSettings hold,
                         Supplier<TextMasker> recordingMaskers) {
        this.recordingMaskers = recordingMaskers;
        this.hold = hold;
        this.vertx = vertx;
        this.forwarder = forwarder;
        this.evidence = evidence;
        this.store = store;
        this.registry = registry;
        this.settings = settings;
    }

    /** The forwarder's masking choice makes the recordings' maskers too, when it is a {@link MaskingChoice}. */
    private static Supplier<TextMasker> recordingMaskers(Forwarder forwarder) {
        return forwarder != null && forwarder.transforms() instanceof MaskingChoice masking ? masking::sessionMasker
                : () -> null;
    }

    /**
     * Bridges the exchange. Fails with a {@link GatewayException} while nothing was sent to the client (the chain
     * then answers and records the refusal); once the cluster answered, this class records the rest itself.
     */
    public Future<Void> bridge(Exchange exchange, HttpServerRequest request) {
        if (exchange.pending() != null) {
            return new PendingSession(this, exchange, request).accept();
        }
        Upgrade upgrade = exchange.upgrade();
        return ask(exchange, upgrade.protocols()).compose(answer -> answered(exchange, request, upgrade, answer));
    }

    /**
     * Sends the upgrade to the cluster offering {@code protocols}; fails with a {@link GatewayException} when the
     * cluster cannot be asked or does not answer in time (a late answer's connection is closed).
     */
    Future<UpgradeClient.Answer> ask(Exchange exchange, List<String> protocols) {
        Upgrade upgrade = exchange.upgrade();
        Upstream upstream = forwarder.upstream(exchange);
        MultiMap headers = Forwarder.upstreamHeaders(exchange, upstream);
        headers.set("Connection", "Upgrade");
        headers.remove("Sec-WebSocket-Extensions");
        headers.remove("Sec-WebSocket-Protocol");
        headers.remove("X-Stream-Protocol-Version");
        if (upgrade.kind() == Upgrade.Kind.WEBSOCKET) {
            headers.set("Upgrade", "websocket");
            headers.set("Sec-WebSocket-Protocol", String.join(", ", protocols));
        } else {
            headers.set("Upgrade", "SPDY/3.1");
            headers.add("X-Stream-Protocol-Version", protocols);
        }
        Duration timeout = forwarder.upstreamTimeout();
        Promise<UpgradeClient.Answer> done = Promise.promise();
        Future<UpgradeClient.Answer> asked = UpgradeClient.send(upstream, exchange.head().method(),
                exchange.upstreamPath() + (exchange.head().rawQuery().isEmpty() ? "" : "?" + exchange.head().rawQuery()),
                headers);
        long deadline = vertx.setTimer(timeout.toMillis(), id -> {
            if (done.tryFail(GatewayException.timeout("cluster \"" + exchange.cluster() + "\" did not answer the upgrade "
                    + "within " + timeout.toSeconds() + "s"))) {
                asked.onSuccess(late -> close(late));
            }
        });
        asked.onComplete(ar -> {
            vertx.cancelTimer(deadline);
            if (done.future().isComplete()) {
                if (ar.succeeded()) {
                    close(ar.result());
                }
            } else if (ar.failed()) {
                done.fail(Forwarder.asStatus(exchange.cluster(), ar.cause()));
            } else {
                done.complete(ar.result());
            }
        });
        return done.future();
    }

    static void close(UpgradeClient.Answer answer) {
        if (answer.socket() != null) {
            answer.socket().close();
        }
    }

    /** Fails (with nothing sent to the client yet) when the session cannot be opened and recorded. */
    private Future<Void> answered(Exchange exchange, HttpServerRequest request, Upgrade upgrade,
                                  UpgradeClient.Answer answer) {
        if (answer.status() != 101) {
            // The cluster refused the upgrade (an older node refuses WebSocket exec with 403): relayed as an ordinary
            // response, so the client can fall back; nothing else flows on that connection.
            refused(exchange, request, answer);
            return Future.succeededFuture();
        }
        String protocol;
        try {
            protocol = checkSwitch(exchange, upgrade, answer.headers());
        } catch (GatewayException e) {
            close(answer);
            return Future.failedFuture(e);
        }
        NetSocket cluster = answer.socket();
        String sessionId = UUID.randomUUID().toString();
        SessionRecording.About about = about(sessionId, exchange, upgrade, protocol);
        Session[] session = new Session[1];
        SessionRecording recording;
        try {
            recording = recording(about, session);
        } catch (IOException e) {
            cluster.close();
            return Future.failedFuture(unrecordable(e));
        }
        Map<String, String> startDetails = new LinkedHashMap<>();
        startDetails.put("session", sessionId);
        startDetails.put("protocol", protocol);
        return evidence.started(exchange, startDetails).recover(error -> {
            cluster.close();
            recording.finish("the session's start could not be recorded");
            return Future.failedFuture(GatewayException.unavailable("the audit log cannot be written, so the "
                    + "session is not opened: " + error.getMessage()));
        }).map(started -> {
            request.response().headers().set("Connection", "Upgrade")
                    .set("Upgrade", upgrade.kind() == Upgrade.Kind.WEBSOCKET ? "websocket" : "SPDY/3.1");
            for (String name : List.of("Sec-WebSocket-Accept", "Sec-WebSocket-Protocol", "X-Stream-Protocol-Version")) {
                String value = answer.headers().get(name);
                if (value != null) {
                    request.response().headers().set(name, value);
                }
            }
            request.resume(); // the chain paused the request; its connection is the session's now
            RawUpgrade.toNetSocket(request).onComplete(upgraded -> {
                if (upgraded.failed()) {
                    // The client never got its 101: no session starts; its end is still recorded.
                    LOG.warn("{} cannot switch the client's connection: {}", exchange.id(), upgraded.cause().getMessage());
                    cluster.close();
                    Context context = Vertx.currentContext();
                    recording.finish("the client's connection could not be switched").whenComplete((summary, error) ->
                            context.runOnContext(v -> ended(exchange, sessionId,
                                    new Session.Ending("the client's connection could not be switched", true, summary,
                                            error, 0, 0))));
                    request.connection().close();
                    return;
                }
                session[0] = open(exchange, recording, upgraded.result(), cluster, framing(upgrade, protocol, recording),
                        answer.first(), null);
            });
            return null;
        });
    }

    /** A session's recording, telling {@code session[0]} (once it exists) of pressure and failures. */
    SessionRecording recording(SessionRecording.About about, Session[] session) throws IOException {
        return new SessionRecording(about, store, recordingThread, settings.maxRecordingBytes(),
                settings.atLimit(), settings.forwardPayload(), new SessionRecording.Listener() {
                    @Override
                    public void pressure(boolean paused) {
                        if (session[0] != null) {
                            session[0].pressure(paused);
                        }
                    }

                    @Override
                    public void failed(String reason) {
                        if (session[0] != null) {
                            session[0].recordingFailed(reason);
                        }
                    }
                }, recordingMaskers);
    }

    static GatewayException unrecordable(IOException e) {
        return GatewayException.unavailable("the session cannot be recorded, so it is not opened: " + e.getMessage());
    }

    /**
     * Starts relaying between the switched connections, on the client's context.
     *
     * @param clusterFirst bytes that came right behind the cluster's 101, or null
     * @param clientFirst  bytes the client sent before the session started (held for review), or null
     */
    Session open(Exchange exchange, SessionRecording recording, NetSocket client, NetSocket cluster, Framing framing,
                 Buffer clusterFirst, Buffer clientFirst) {
        String sessionId = recording.about().id();
        Session live = new Session(vertx, Vertx.currentContext(), recording, client, cluster, framing,
                ending -> ended(exchange, sessionId, ending));
        registry.add(live);
        Identity identity = exchange.identity();
        live.start(forwarder.maxStreamDuration(), settings.idleTimeout(),
                identity == null ? null : identity.expiresAt(), clusterFirst, clientFirst);
        if (recording.stopped()) { // it failed before the session existed to be told
            live.kill(recording.failure() != null ? recording.failure()
                    : "the session's recording reached its limit");
        }
        return live;
    }

    /** Relays a refused upgrade as the ordinary response it is, its end held until its event is durable. */
    private void refused(Exchange exchange, HttpServerRequest request, UpgradeClient.Answer answer) {
        HttpServerResponse response = request.response().setStatusCode(answer.status());
        answer.headers().forEach(h -> {
            if (!NOT_RELAYED.contains(h.getKey())) {
                response.headers().add(h.getKey(), h.getValue());
            }
        });
        evidence.completed(exchange, answer.status(), request.bytesRead(), answer.body().length(), null, null)
                .onComplete(ar -> {
                    if (ar.failed()) {
                        LOG.error("{} cannot record the refused upgrade; resetting: {}", exchange.id(),
                                ar.cause().getMessage());
                        response.reset();
                    } else if (!response.ended() && !response.closed()) {
                        response.end(answer.body());
                    }
                });
    }

    Future<Void> ended(Exchange exchange, String sessionId, Session.Ending ending) {
        return ended(exchange, sessionId, ending, 101);
    }

    /**
     * Records a session's end: {@code code} 101 for a session that ran (or that the client left), a held session's
     * Status code when it ended before reaching the cluster.
     */
    Future<Void> ended(Exchange exchange, String sessionId, Session.Ending ending, int code) {
        registry.remove(sessionId);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("session", sessionId);
        details.put("endedBy", ending.byGateway() ? "gateway" : "peer");
        SessionSummary summary = ending.summary();
        if (summary != null) {
            details.put("recording.rawBytes", Long.toString(summary.recording().rawBytes()));
            details.put("recording.rawSha256", summary.recording().rawSha256());
            details.put("recording.castBytes", Long.toString(summary.recording().castBytes()));
            details.put("recording.castSha256", summary.recording().castSha256());
            details.put("recording.capture", summary.capture());
            if (summary.exitCode() != null) {
                details.put("exitCode", summary.exitCode().toString());
            }
            details.put("filesCopied", Integer.toString(summary.files().size()));
            details.put("forwardedConnections", Integer.toString(summary.forwards().size()));
        } else {
            details.put("recording.error", String.valueOf(ending.recordingError() == null ? "unknown"
                    : ending.recordingError().getMessage()));
        }
        if (exchange.pending() != null) {
            details.put("reviewId", exchange.pending().reviewId());
        }
        return evidence.completed(exchange, code, ending.clientBytes(), ending.clusterBytes(), ending.reason(),
                details).onFailure(e -> LOG.error("{} cannot record the end of session {}: {}", exchange.id(), sessionId,
                e.getMessage()));
    }

    Framing framing(Upgrade upgrade, String protocol, SessionEvents events) {
        int max = settings.maxFrameBytes();
        if (upgrade.kind() == Upgrade.Kind.SPDY) {
            return new SpdyFraming(upgrade.portForward(), events, max);
        }
        return upgrade.portForward() ? new WebSocketSpdyFraming(events, max)
                : new WebSocketChannelFraming(protocol, events, max);
    }

    /** Checks the cluster's 101 and returns the chosen subprotocol. */
    static String checkSwitch(Exchange exchange, Upgrade upgrade, MultiMap h) {
        String upgraded = h.get("Upgrade");
        if (upgrade.kind() == Upgrade.Kind.WEBSOCKET) {
            if (!"websocket".equalsIgnoreCase(upgraded)) {
                throw GatewayException.badGateway("the cluster switched to \"" + upgraded + "\", not websocket");
            }
            String key = exchange.head().headers().get("Sec-WebSocket-Key").trim();
            if (!accept(key).equals(h.get("Sec-WebSocket-Accept"))) {
                throw GatewayException.badGateway("the cluster's Sec-WebSocket-Accept does not match the key");
            }
            if (h.get("Sec-WebSocket-Extensions") != null) {
                throw GatewayException.badGateway("the cluster negotiated a WebSocket extension the gateway did not "
                        + "offer");
            }
            String chosen = h.get("Sec-WebSocket-Protocol");
            if (chosen == null || !upgrade.protocols().contains(chosen.trim())) {
                throw GatewayException.badGateway("the cluster chose subprotocol \"" + chosen + "\", not one of "
                        + upgrade.protocols());
            }
            return chosen.trim();
        }
        if (!"SPDY/3.1".equalsIgnoreCase(upgraded)) {
            throw GatewayException.badGateway("the cluster switched to \"" + upgraded + "\", not SPDY/3.1");
        }
        String chosen = h.get("X-Stream-Protocol-Version");
        if (chosen == null && upgrade.portForward()) {
            return Upgrade.PORTFORWARD_SPDY; // the kubelet does not echo the port-forward protocol
        }
        if (chosen == null || !upgrade.protocols().contains(chosen.trim())) {
            throw GatewayException.badGateway("the cluster chose stream protocol \"" + chosen + "\", not one of "
                    + upgrade.protocols());
        }
        return chosen.trim();
    }

    static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + WEBSOCKET_GUID)
                    .getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static SessionRecording.About about(String id, Exchange exchange, Upgrade upgrade, String protocol) {
        Identity identity = exchange.identity();
        var info = exchange.info();
        var query = exchange.query();
        String container = query.first("container");
        return new SessionRecording.About(id, exchange.id(), exchange.cluster(),
                identity == null ? "" : identity.user(), identity == null ? List.of() : identity.groups(),
                info.namespace(), info.name(), container == null ? "" : container, info.subresource(),
                query.all("command"), query.flag("tty"), query.flag("stdin"),
                upgrade.kind().name().toLowerCase(java.util.Locale.ROOT) + "/" + protocol, Instant.now());
    }

    Vertx vertx() {
        return vertx;
    }

    Evidence evidence() {
        return evidence;
    }

    Settings settings() {
        return settings;
    }

    HoldSettings hold() {
        return hold;
    }

    public void close() {
        recordingThread.shutdown();
    }
}
