package dev.gatehouse.session;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.status.KubeStatus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * One live session between a client and a cluster: both upgraded connections, relayed frame by frame with
 * backpressure each way and while the recording catches up. It ends when either side closes, when it stays idle
 * too long, at its maximum duration, when the credential that opened it expires, when an operator ends it, when a
 * frame cannot be decoded, or when its recording cannot be written. Its end is recorded first (the recording
 * sealed, then the end event durable); only then does the client get the frames that say it is over — the
 * runtime's final Status, or the gateway's own Status naming why it ended the session.
 */
public final class Session {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    /** Why and how a session ended, handed to whoever records its end. */
    public record Ending(String reason, boolean byGateway, SessionSummary summary, Throwable recordingError,
                         long clientBytes, long clusterBytes) {
    }

    private final Vertx vertx;
    private final Context context;
    private final SessionRecording recording;
    private final NetSocket client;
    private final NetSocket cluster;
    private final Framing framing;
    private final Function<Ending, Future<Void>> recordEnd;
    private final List<Buffer> held = new ArrayList<>();
    private final List<Long> timers = new ArrayList<>();
    private long clientBytes;
    private long clusterBytes;
    private long lastActivity = System.nanoTime();
    private boolean ending;
    private boolean clientWaits;
    private boolean clusterWaits;

    Session(Vertx vertx, Context context, SessionRecording recording, NetSocket client, NetSocket cluster,
            Framing framing, Function<Ending, Future<Void>> recordEnd) {
        this.vertx = vertx;
        this.context = context;
        this.recording = recording;
        this.client = client;
        this.cluster = cluster;
        this.framing = framing;
        this.recordEnd = recordEnd;
    }

    public String id() {
        return recording.about().id();
    }

    public SessionRecording recording() {
        return recording;
    }

    /**
     * Starts relaying.
     *
     * @param credentialExpires when the identity's credential expires, or null
     */
    void start(Duration maxDuration, Duration idleTimeout, Instant credentialExpires, Buffer clusterFirst) {
        start(maxDuration, idleTimeout, credentialExpires, clusterFirst, null);
    }

    /**
     * Starts relaying, first sending the cluster what the client sent before the session started (while it was
     * held for review), decoded and recorded as if it had just arrived.
     */
    void start(Duration maxDuration, Duration idleTimeout, Instant credentialExpires, Buffer clusterFirst,
               Buffer clientFirst) {
        client.handler(bytes -> relay(bytes, true));
        cluster.handler(bytes -> relay(bytes, false));
        client.closeHandler(v -> end("the client closed the session", false));
        cluster.closeHandler(v -> end("the cluster closed the session", false));
        client.exceptionHandler(e -> end("the client's connection failed: " + e.getMessage(), false));
        cluster.exceptionHandler(e -> end("the cluster's connection failed: " + e.getMessage(), false));
        Duration limit = maxDuration;
        String why = "the session reached the gateway's maximum duration of " + maxDuration;
        if (credentialExpires != null && Duration.between(Instant.now(), credentialExpires).compareTo(limit) < 0) {
            limit = Duration.between(Instant.now(), credentialExpires);
            why = "the credential that opened the session expired";
        }
        String reason = why;
        timers.add(vertx.setTimer(Math.max(1, limit.toMillis()), id -> end(reason, true)));
        long check = Math.max(50, Math.min(idleTimeout.toMillis() / 4, 30_000));
        timers.add(vertx.setPeriodic(check, id -> {
            if (System.nanoTime() - lastActivity > idleTimeout.toNanos()) {
                end("the session was idle for " + idleTimeout, true);
            }
        }));
        if (clientFirst != null && clientFirst.length() > 0) {
            relay(clientFirst, true);
        }
        if (clusterFirst != null && clusterFirst.length() > 0) {
            relay(clusterFirst, false); // bytes that came right behind the cluster's 101
        }
        client.resume();
        cluster.resume();
    }

    /** Ends the session from outside (an operator); runs on the session's context. */
    public void kill(String reason) {
        context.runOnContext(v -> end(reason, true));
    }

    /** The recording thread is behind (or has caught up): stop (or resume) reading both sides. */
    void pressure(boolean paused) {
        context.runOnContext(v -> flow());
    }

    /** The recording failed or reached its limit: the session cannot go on unrecorded. */
    void recordingFailed(String reason) {
        context.runOnContext(v -> end(reason, true));
    }

    private void relay(Buffer bytes, boolean fromClient) {
        if (ending) {
            return;
        }
        if (LOG.isTraceEnabled()) {
            LOG.trace("session {}: {} bytes from the {}", id(), bytes.length(), fromClient ? "client" : "cluster");
        }
        lastActivity = System.nanoTime();
        NetSocket to = fromClient ? cluster : client;
        try {
            if (fromClient) {
                clientBytes += bytes.length();
                framing.fromClient(bytes, frame -> {
                    if (!recording.stopped()) {
                        to.write(frame);
                    }
                });
            } else {
                clusterBytes += bytes.length();
                // once a frame is held, every later one waits behind it: the client sees the cluster's frames in
                // the cluster's order (a reset or close must not overtake the Status it follows)
                framing.fromCluster(bytes, frame -> {
                    if (recording.stopped()) {
                        return; // what the recording could not take is not relayed either
                    }
                    if (held.isEmpty()) {
                        to.write(frame);
                    } else {
                        held.add(frame);
                    }
                }, held::add);
            }
        } catch (FrameException e) {
            end((fromClient ? "the client" : "the cluster") + " sent what the gateway cannot record: " + e.getMessage(),
                    true);
            return;
        }
        if (framing.clusterClosing()) {
            end("the cluster closed the session", false);
            return;
        }
        if (to.writeQueueFull()) {
            if (fromClient) {
                clientWaits = true;
            } else {
                clusterWaits = true;
            }
            to.drainHandler(v -> {
                if (fromClient) {
                    clientWaits = false;
                } else {
                    clusterWaits = false;
                }
                flow();
            });
        }
        flow();
    }

    private void flow() {
        if (ending) {
            return;
        }
        boolean recorderBehind = recording.paused();
        if (recorderBehind || clientWaits) {
            client.pause();
        } else {
            client.resume();
        }
        if (recorderBehind || clusterWaits) {
            cluster.pause();
        } else {
            cluster.resume();
        }
    }

    private void end(String reason, boolean byGateway) {
        if (ending) {
            return;
        }
        ending = true;
        LOG.debug("session {} ends: {}", id(), reason);
        timers.forEach(vertx::cancelTimer);
        client.pause();
        cluster.close();
        framing.close();
        recording.finish(reason).whenComplete((summary, error) -> context.runOnContext(v -> {
            if (error != null) {
                LOG.error("session {}: the recording cannot be sealed: {}", id(), error.getMessage());
            }
            recordEnd.apply(new Ending(reason, byGateway, summary, error, clientBytes, clusterBytes))
                    .onComplete(ar -> release(ar.succeeded() && error == null, reason, byGateway));
        }));
    }

    /** After the end is recorded: the held frames (or the gateway's Status), then the close. */
    private void release(boolean recorded, String reason, boolean byGateway) {
        if (!recorded) {
            // The client is never told a session finished when its end is not evidence: the connection just drops.
            client.close();
            return;
        }
        if (byGateway) {
            client.write(framing.goodbye(KubeStatus.of(403, reason).toJson().getBytes(
                    java.nio.charset.StandardCharsets.UTF_8)));
        } else {
            held.forEach(client::write);
        }
        held.clear();
        client.end();
    }
}
