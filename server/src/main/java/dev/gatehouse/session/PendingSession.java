package dev.gatehouse.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.chain.Exchange;
import dev.gatehouse.chain.PendingApproval;
import dev.gatehouse.classify.Upgrade;
import dev.gatehouse.identity.Identity;
import dev.gatehouse.listen.RawUpgrade;
import dev.gatehouse.status.GatewayException;
import dev.gatehouse.status.KubeStatus;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetSocket;

/**
 * A session held for review ({@link Exchange#pending()}): the gateway accepts the client's upgrade itself (a 101 with
 * a subprotocol the client offered, {@link PendingProtocol#choose}), tells the user approval is pending, and waits
 * — no thread, no cluster connection — buffering what the client sends (bounded by {@link SessionBridge.HoldSettings}). Once
 * {@link PendingApproval#released()} succeeds it asks the cluster for exactly that subprotocol and, on a 101 it can
 * vouch for, splices: the buffered bytes are replayed and the session relays and records as any other. When the
 * review fails, the cluster refuses, the client leaves, sends too much or what cannot be decoded, the session ends
 * before anything reached the cluster: its recording sealed, its one completed event durable, then the Status on
 * the error channel.
 */
final class PendingSession {
    private static final Logger LOG = LoggerFactory.getLogger(PendingSession.class);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();
    private enum State { WAITING, CONNECTING, SPLICED, ENDED }

    private final SessionBridge bridge;
    private final Exchange exchange;
    private final HttpServerRequest request;
    private final Upgrade upgrade;
    private final PendingApproval approval;
    private final String protocol;
    private final String sessionId = UUID.randomUUID().toString();
    private final Session[] live = new Session[1];
    private final Buffer buffered = Buffer.buffer();
    private SessionRecording recording;
    private PendingProtocol pending;
    private NetSocket client;
    private Context context;
    private State state = State.WAITING;
    private long deadline = -1;

    PendingSession(SessionBridge bridge, Exchange exchange, HttpServerRequest request) {
        this.bridge = bridge;
        this.exchange = exchange;
        this.request = request;
        this.upgrade = exchange.upgrade();
        this.approval = exchange.pending();
        this.protocol = PendingProtocol.choose(upgrade);
    }

    /** Accepts the upgrade; fails (nothing sent to the client yet) when the session cannot be recorded. */
    Future<Void> accept() {
        try {
            recording = bridge.recording(SessionBridge.about(sessionId, exchange, upgrade, protocol), live);
        } catch (IOException e) {
            return Future.failedFuture(SessionBridge.unrecordable(e));
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("session", sessionId);
        details.put("protocol", protocol);
        details.put("reviewId", approval.reviewId());
        details.put("pending", "true");
        return bridge.evidence().started(exchange, details).recover(error -> {
            recording.finish("the session's start could not be recorded");
            return Future.failedFuture(GatewayException.unavailable("the audit log cannot be written, so the "
                    + "session is not opened: " + error.getMessage()));
        }).map(started -> {
            switchProtocols();
            return null;
        });
    }

    private void switchProtocols() {
        var headers = request.response().headers().set("Connection", "Upgrade");
        if (upgrade.kind() == Upgrade.Kind.WEBSOCKET) {
            headers.set("Upgrade", "websocket")
                    .set("Sec-WebSocket-Accept", SessionBridge.accept(exchange.head().headers()
                            .get("Sec-WebSocket-Key").trim()))
                    .set("Sec-WebSocket-Protocol", protocol);
        } else {
            headers.set("Upgrade", "SPDY/3.1").set("X-Stream-Protocol-Version", protocol);
        }
        request.resume(); // the chain paused the request; its connection is the session's now
        RawUpgrade.toNetSocket(request).onComplete(upgraded -> {
            context = Vertx.currentContext();
            if (upgraded.failed()) {
                LOG.warn("{} cannot switch the client's connection: {}", exchange.id(), upgraded.cause().getMessage());
                request.connection().close();
                end(null, "the client's connection could not be switched", 101);
                return;
            }
            waitForReview(upgraded.result());
        });
    }

    private void waitForReview(NetSocket socket) {
        client = socket;
        boolean tty = exchange.query() != null && exchange.query().flag("tty");
        String text = approval.notice();
        byte[] notice = (tty ? text.replace("\r\n", "\n").replace("\n", "\r\n") : text)
                .getBytes(StandardCharsets.UTF_8);
        pending = PendingProtocol.of(upgrade, protocol, notice, tty, bridge.settings().maxFrameBytes());
        recording.note("held for review " + approval.reviewId() + "; the user was told: " + text.strip());
        client.handler(this::fromClient);
        client.closeHandler(v -> leave("the client closed the session while it waited for review "
                + approval.reviewId()));
        client.exceptionHandler(e -> leave("the client's connection failed while it waited for review "
                + approval.reviewId() + ": " + e.getMessage()));
        client.write(pending.notice());
        startDeadline();
        approval.released().onComplete(decided -> context.runOnContext(v -> decided(decided)));
        client.resume();
    }

    /** Ends the wait at the gateway's own bound, or sooner when the credential that asked expires. */
    private void startDeadline() {
        Duration wait = bridge.hold().maxWait();
        KubeStatus status = KubeStatus.of(504, "review " + approval.reviewId() + " was not decided within "
                + wait + ", the longest the gateway keeps a session waiting");
        Instant expires = exchange.identity() == null ? null : exchange.identity().expiresAt();
        if (expires != null && Duration.between(Instant.now(), expires).compareTo(wait) < 0) {
            wait = Duration.between(Instant.now(), expires);
            status = KubeStatus.of(401, "the credential that opened the session expired while it waited for review "
                    + approval.reviewId());
        }
        KubeStatus why = status;
        deadline = bridge.vertx().setTimer(Math.max(1, wait.toMillis()), id -> {
            if (state == State.WAITING) {
                refuse(why);
            }
        });
    }

    private void fromClient(Buffer bytes) {
        if (state == State.ENDED || state == State.SPLICED) {
            return;
        }
        int max = bridge.hold().maxBufferedBytes();
        if (buffered.length() + bytes.length() > max) {
            refuse(KubeStatus.of(413, "the session sent more than " + max + " bytes while it waited for review "
                    + approval.reviewId() + " (expected: at most " + max + " before approval)"));
            return;
        }
        buffered.appendBuffer(bytes);
        boolean closing;
        try {
            closing = pending.fromClient(bytes, client::write);
        } catch (FrameException e) {
            refuse(KubeStatus.of(400, "the client sent what the gateway cannot record while the session waited for "
                    + "review " + approval.reviewId() + ": " + e.getMessage()));
            return;
        }
        if (closing) {
            leave("the client closed the session while it waited for review " + approval.reviewId());
        }
    }

    private void decided(AsyncResult<Void> decided) {
        if (state != State.WAITING) {
            return;
        }
        bridge.vertx().cancelTimer(deadline);
        if (decided.failed()) {
            Throwable cause = decided.cause();
            refuse(cause instanceof GatewayException ge ? ge.status()
                    : KubeStatus.of(403, "review " + approval.reviewId() + " did not release the session: "
                            + cause.getMessage()));
            return;
        }
        Identity identity = exchange.identity();
        if (identity != null && identity.expiredAt(Instant.now())) {
            refuse(KubeStatus.of(401, "the credential that opened the session expired before review "
                    + approval.reviewId() + " released it"));
            return;
        }
        state = State.CONNECTING;
        recording.note("review " + approval.reviewId() + " released the session");
        bridge.ask(exchange, List.of(protocol)).onComplete(this::answered);
    }

    private void answered(AsyncResult<UpgradeClient.Answer> asked) {
        if (state != State.CONNECTING) {
            if (asked.succeeded()) {
                SessionBridge.close(asked.result());
            }
            return;
        }
        if (asked.failed()) {
            KubeStatus status = asked.cause() instanceof GatewayException ge ? ge.status()
                    : KubeStatus.of(502, asked.cause().getMessage());
            refuse(KubeStatus.of(status.code(), "review " + approval.reviewId() + " approved the session, but "
                    + status.message()));
            return;
        }
        UpgradeClient.Answer answer = asked.result();
        if (answer.status() != 101) {
            refuse(refusal(answer));
            return;
        }
        try {
            SessionBridge.checkSwitch(exchange, new Upgrade(upgrade.kind(), List.of(protocol)), answer.headers());
        } catch (GatewayException e) {
            SessionBridge.close(answer);
            refuse(KubeStatus.of(502, "review " + approval.reviewId() + " approved the session, but "
                    + e.status().message()));
            return;
        }
        splice(answer);
    }

    /** A cluster's refusal of an approved session, as the Status the user reads (the cluster's message if a Status). */
    private KubeStatus refusal(UpgradeClient.Answer answer) {
        String body = answer.body() == null ? "" : answer.body().toString(StandardCharsets.UTF_8).strip();
        try {
            var status = JSON.readTree(body);
            if (status != null && "Status".equals(status.path("kind").asText())) {
                body = status.path("message").asText();
            }
        } catch (java.io.IOException notJson) {
            // a plain-text refusal: shown as it is
        }
        if (body.length() > 300) {
            body = body.substring(0, 300) + "…";
        }
        int code = answer.status() >= 400 && answer.status() < 600 ? answer.status() : 502;
        return KubeStatus.of(code, "review " + approval.reviewId() + " approved the session, but cluster \""
                + exchange.cluster() + "\" refused it with HTTP " + answer.status() + (body.isEmpty() ? "" : ": "
                + body));
    }

    private void splice(UpgradeClient.Answer answer) {
        state = State.SPLICED;
        Framing framing = pending.spliced(bridge.framing(upgrade, protocol, recording));
        pending.close();
        client.pause();
        live[0] = bridge.open(exchange, recording, client, answer.socket(), framing, answer.first(), buffered);
    }

    /** The client left: nothing to tell it; the review is abandoned. */
    private void leave(String why) {
        if (state == State.SPLICED || state == State.ENDED) {
            return;
        }
        if (!approval.released().isComplete()) {
            approval.abandoned();
        }
        end(null, why, 101);
    }

    /** Ends the waiting session with {@code status}, told to the client once its end is recorded. */
    private void refuse(KubeStatus status) {
        if (state == State.SPLICED || state == State.ENDED) {
            return;
        }
        if (state == State.WAITING && !approval.released().isComplete()) {
            approval.abandoned();
        }
        end(status, status.message(), status.code());
    }

    private void end(KubeStatus status, String reason, int code) {
        state = State.ENDED;
        bridge.vertx().cancelTimer(deadline);
        LOG.debug("{} held session {} ends: {}", exchange.id(), sessionId, reason);
        if (client != null) {
            client.pause();
        }
        if (pending != null) {
            pending.close();
        }
        long clientBytes = buffered.length();
        recording.finish(reason).whenComplete((summary, error) -> context.runOnContext(v ->
                bridge.ended(exchange, sessionId, new Session.Ending(reason, status != null, summary, error,
                        clientBytes, 0), code).onComplete(recorded -> told(status, recorded.succeeded()))));
    }

    /** After the end is recorded: the Status and a clean close; when it could not be recorded, just the close. */
    private void told(KubeStatus status, boolean recorded) {
        if (client == null) {
            return;
        }
        if (recorded && status != null) {
            client.write(pending.goodbye(status.toJson().getBytes(StandardCharsets.UTF_8)));
            client.end();
        } else {
            client.close();
        }
    }
}
