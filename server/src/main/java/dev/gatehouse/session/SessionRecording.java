package dev.gatehouse.session;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.mask.detect.TextMasker;

/**
 * One session's recording. The decoders call it on the session's event loop; it turns each chunk into a raw
 * record (exact bytes) and an asciicast v2 event (stdout and stderr as {@code o}, stdin as {@code i}, resizes as
 * {@code r}, the text decoded as UTF-8 across chunk boundaries) and hands both to the recording thread, which
 * writes them in order. The relay is paused while more than {@link #HIGH_WATER} bytes wait for that thread, so a
 * fast stream never outruns its recording. A write that fails ends the session ({@code onFailure}).
 *
 * <p>With a masker factory, stdout and stderr each pass their own {@link TextMasker} before they are recorded (the raw
 * records and the cast's {@code o} events alike): a private key, token or password the command prints is kept as its
 * marker, while the user's live stream is left as it is. A masker holds back at most the start of a possible value;
 * what it holds is recorded at the latest when the session finishes. Stdin, resizes, the Status and port-forward
 * payloads are recorded unmasked.
 */
public final class SessionRecording implements SessionEvents {
    static final long HIGH_WATER = 4L * 1024 * 1024;
    private static final long LOW_WATER = 1024L * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the session is; fixed when it starts. */
    public record About(String id, String auditID, String cluster, String user, List<String> groups,
                        String namespace, String pod, String container, String subresource, List<String> command,
                        boolean tty, boolean stdin, String protocol, Instant started) {
    }

    /** What happens at the size limit: end the session, or keep only metadata from then on. */
    public enum LimitAction { END, METADATA }

    /** Called on the recording thread; the session hops back to its own context. */
    public interface Listener {
        void pressure(boolean paused);

        void failed(String reason);
    }

    private final About about;
    private final RecordingStore store;
    private final RecordingStore.Sink sink;
    private final Executor writer;
    private final long startNanos = System.nanoTime();
    private final long maxBytes;
    private final LimitAction limitAction;
    private final boolean forwardPayload;
    private final Listener listener;
    private final AtomicLong pending = new AtomicLong();
    private final List<Consumer<String>> watchers = new CopyOnWriteArrayList<>();
    private final CharsetDecoder outText = utf8();
    private final CharsetDecoder inText = utf8();
    private final TextMasker outMasker;
    private final TextMasker errMasker;
    private final Map<String, ForwardState> forwards = new LinkedHashMap<>();
    private volatile boolean paused;
    private volatile String failure;
    private String castHeader;
    private long width = 80;
    private long height = 24;
    private long recorded;
    private boolean capturing = true;
    private String capture = "full";
    private long stdinBytes;
    private long stdoutBytes;
    private long stderrBytes;
    private byte[] status;

    private static final class ForwardState {
        final String requestId;
        int port;
        long toPod;
        long fromPod;
        final String opened = AuditEvent.timestamp(Instant.now());
        String closed;
        String error;

        ForwardState(String requestId) {
            this.requestId = requestId;
        }
    }

    public SessionRecording(About about, RecordingStore store, Executor writer, long maxBytes,
                            LimitAction limitAction, boolean forwardPayload, Listener listener) throws IOException {
        this(about, store, writer, maxBytes, limitAction, forwardPayload, listener, () -> null);
    }

    /** @param maskers a new masker per recorded output stream, or null for none */
    public SessionRecording(About about, RecordingStore store, Executor writer, long maxBytes,
                            LimitAction limitAction, boolean forwardPayload, Listener listener,
                            java.util.function.Supplier<TextMasker> maskers) throws IOException {
        this.outMasker = maskers.get();
        this.errMasker = maskers.get();
        this.about = about;
        this.store = store;
        this.sink = store.create(about.id());
        this.writer = writer;
        this.maxBytes = maxBytes;
        this.limitAction = limitAction;
        this.forwardPayload = forwardPayload;
        this.listener = listener;
        submit(RecordingStore.Part.RAW, RawRecording.MAGIC);
    }

    public About about() {
        return about;
    }

    /** Follows the session live: the cast header, then each cast line as it is recorded; null once it ended. */
    public void watch(Consumer<String> watcher) {
        if (castHeader != null) {
            watcher.accept(castHeader);
        }
        watchers.add(watcher);
    }

    public void unwatch(Consumer<String> watcher) {
        watchers.remove(watcher);
    }

    /** True while the relay must not read more (the recording thread is behind). */
    public boolean paused() {
        return paused;
    }

    @Override
    public void stdin(byte[] data) {
        stdinBytes += data.length;
        payload(RawRecording.STDIN, data, "i", inText);
    }

    @Override
    public void stdout(byte[] data) {
        stdoutBytes += data.length;
        output(RawRecording.STDOUT, outMasker, data);
    }

    @Override
    public void stderr(byte[] data) {
        stderrBytes += data.length;
        output(RawRecording.STDERR, errMasker, data);
    }

    private void output(int stream, TextMasker masker, byte[] data) {
        if (masker == null) {
            payload(stream, data, "o", outText);
            return;
        }
        byte[] masked = masker.mask(data);
        if (masked.length > 0) {
            payload(stream, masked, "o", outText);
        }
    }

    /** Records what the maskers still hold (the session ended). */
    private void flushMaskers() {
        for (TextMasker masker : new TextMasker[] {outMasker, errMasker}) {
            byte[] rest = masker == null ? new byte[0] : masker.finish();
            if (rest.length > 0) {
                payload(masker == outMasker ? RawRecording.STDOUT : RawRecording.STDERR, rest, "o", outText);
            }
        }
    }

    @Override
    public void status(byte[] data) {
        status = data;
        raw(RawRecording.STATUS, data);
    }

    @Override
    public void resize(int width, int height) {
        if (castHeader == null) {
            this.width = width;
            this.height = height;
        }
        String size = width + "x" + height;
        raw(RawRecording.RESIZE, size.getBytes(StandardCharsets.US_ASCII));
        cast("r", size);
    }

    @Override
    public void forwardStream(String requestId, int port, String kind) {
        forwards.computeIfAbsent(requestId, ForwardState::new).port = port;
        note("port-forward " + requestId + " port " + port + " " + kind + " stream opened");
    }

    @Override
    public void forwardData(String requestId, boolean toPod, byte[] data) {
        ForwardState state = forwards.computeIfAbsent(requestId, ForwardState::new);
        if (toPod) {
            state.toPod += data.length;
        } else {
            state.fromPod += data.length;
        }
        if (forwardPayload) {
            raw(toPod ? RawRecording.FORWARD_TO_POD : RawRecording.FORWARD_FROM_POD, tagged(requestId, data));
        }
    }

    @Override
    public void forwardError(String requestId, byte[] data) {
        ForwardState state = forwards.computeIfAbsent(requestId, ForwardState::new);
        state.error = new String(data, StandardCharsets.UTF_8);
        raw(RawRecording.FORWARD_ERROR, tagged(requestId, data));
    }

    @Override
    public void forwardClosed(String requestId) {
        ForwardState state = forwards.get(requestId);
        if (state != null && state.closed == null) {
            state.closed = AuditEvent.timestamp(Instant.now());
            note("port-forward " + requestId + " closed: " + state.toPod + " bytes to the pod, " + state.fromPod
                    + " from it");
        }
    }

    /** A line of the gateway's own in the raw part (why the session ended, a limit reached). */
    public void note(String text) {
        raw(RawRecording.NOTE, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The exit code from the runtime's final Status, or null when none was sent or it carries none. */
    public Integer exitCode() {
        if (status == null) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(status);
            if ("Success".equals(node.path("status").asText())) {
                return 0;
            }
            for (JsonNode cause : node.path("details").path("causes")) {
                if ("ExitCode".equals(cause.path("reason").asText())) {
                    return Integer.valueOf(cause.path("message").asText());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return null;
        }
        return null;
    }

    /**
     * True once the recording cannot take more (a write failed, or the size limit was reached with
     * {@link LimitAction#END}): the session relays nothing further and ends.
     */
    public boolean stopped() {
        return failure != null || "ended-at-limit".equals(capture);
    }

    /** The first write failure, or null. */
    public String failure() {
        return failure;
    }

    /**
     * Seals the recording (forced to the device), reads back the files a {@code kubectl cp} moved, and writes the
     * summary. Completes on the recording thread.
     */
    public CompletableFuture<SessionSummary> finish(String endReason) {
        flushMaskers();
        note("session ended: " + endReason);
        watchers.forEach(w -> w.accept(null));
        watchers.clear();
        if (castHeader == null) {
            castHeader = header();
            submit(RecordingStore.Part.CAST, (castHeader + "\n").getBytes(StandardCharsets.UTF_8));
        }
        List<SessionSummary.Forward> forwarded = new ArrayList<>();
        for (ForwardState f : forwards.values()) {
            forwarded.add(new SessionSummary.Forward(f.requestId, f.port, f.toPod, f.fromPod, f.opened,
                    f.closed == null ? AuditEvent.timestamp(Instant.now()) : f.closed, f.error));
        }
        Integer exit = exitCode();
        String ended = AuditEvent.timestamp(Instant.now());
        CompletableFuture<SessionSummary> done = new CompletableFuture<>();
        writer.execute(() -> {
            try {
                if (failure != null) {
                    throw new IOException(failure);
                }
                RecordingStore.Sealed sealed = sink.seal();
                List<SessionSummary.CopiedFile> files = new ArrayList<>();
                if (about.subresource().equals("exec")) {
                    files.addAll(copiedFiles("to-pod", RawRecording.STDIN));
                    files.addAll(copiedFiles("from-pod", RawRecording.STDOUT));
                }
                SessionSummary summary = new SessionSummary(about.id(), about.auditID(), about.cluster(),
                        about.user(), about.groups(), about.namespace(), about.pod(), about.container(),
                        about.subresource(), about.command(), about.tty(), about.stdin(), about.protocol(),
                        AuditEvent.timestamp(about.started()), ended, exit, endReason, stdinBytes, stdoutBytes,
                        stderrBytes, capture, sealed, files, forwarded);
                store.writeSummary(summary);
                done.complete(summary);
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    private List<SessionSummary.CopiedFile> copiedFiles(String direction, int stream) throws IOException {
        try (InputStream bytes = RawRecording.stream(store.open(about.id(), RecordingStore.Part.RAW), stream)) {
            return CopiedFiles.read(bytes, direction);
        }
    }

    private void payload(int stream, byte[] data, String castType, CharsetDecoder text) {
        raw(stream, data);
        if (capturing) {
            String decoded = decode(text, data);
            if (!decoded.isEmpty()) {
                cast(castType, decoded);
            }
        }
    }

    private void raw(int stream, byte[] data) {
        if (!capturing && stream != RawRecording.NOTE && stream != RawRecording.STATUS) {
            return;
        }
        submit(RecordingStore.Part.RAW, RawRecording.encode(stream, micros(), data));
    }

    private void cast(String type, String data) {
        if (!capturing) {
            return;
        }
        if (castHeader == null) {
            castHeader = header();
            submit(RecordingStore.Part.CAST, (castHeader + "\n").getBytes(StandardCharsets.UTF_8));
            watchers.forEach(w -> w.accept(castHeader));
        }
        // [seconds, "type", "data"], escaped by Jackson's string encoder: the same JSON an ArrayNode writes, without
        // building a tree for every chunk on the event loop
        StringBuilder event = new StringBuilder(data.length() + 32).append('[').append(micros() / 1_000_000.0)
                .append(",\"").append(type).append("\",\"");
        JsonStringEncoder.getInstance().quoteAsString(data, event);
        String line = event.append("\"]").toString();
        submit(RecordingStore.Part.CAST, (line + "\n").getBytes(StandardCharsets.UTF_8));
        if (!watchers.isEmpty()) {
            watchers.forEach(w -> w.accept(line));
        }
    }

    private String header() {
        ObjectNode header = JSON.createObjectNode();
        header.put("version", 2).put("width", width).put("height", height)
                .put("timestamp", about.started().getEpochSecond())
                .put("title", about.user() + " " + about.subresource() + " " + about.namespace() + "/" + about.pod()
                        + (about.command().isEmpty() ? "" : " -- " + String.join(" ", about.command())));
        header.putObject("env").put("TERM", "xterm-256color").put("SHELL", "/bin/sh");
        return header.toString();
    }

    private void submit(RecordingStore.Part part, byte[] bytes) {
        recorded += bytes.length;
        if (capturing && recorded > maxBytes) {
            // The chunk that crosses the limit is not captured; from here on only metadata (notes, the Status).
            capturing = false;
            capture = limitAction == LimitAction.END ? "ended-at-limit" : "metadata";
            String why = "payload capture stopped at the recording limit of " + maxBytes + " bytes";
            enqueue(RecordingStore.Part.RAW, RawRecording.encode(RawRecording.NOTE, micros(),
                    why.getBytes(StandardCharsets.UTF_8)));
            if (limitAction == LimitAction.END) {
                listener.failed("the session's recording reached its limit of " + maxBytes + " bytes");
            }
            return;
        }
        enqueue(part, bytes);
    }

    private void enqueue(RecordingStore.Part part, byte[] bytes) {
        long waiting = pending.addAndGet(bytes.length);
        if (waiting > HIGH_WATER && !paused) {
            paused = true;
            listener.pressure(true);
        }
        writer.execute(() -> {
            if (failure == null) {
                try {
                    sink.write(part, bytes);
                } catch (IOException | RuntimeException e) {
                    failure = "the session's recording cannot be written: " + e.getMessage();
                    listener.failed(failure);
                }
            }
            if (pending.addAndGet(-bytes.length) < LOW_WATER && paused) {
                paused = false;
                listener.pressure(false);
            }
        });
    }

    private long micros() {
        return (System.nanoTime() - startNanos) / 1_000;
    }

    private static byte[] tagged(String requestId, byte[] data) {
        byte[] id = requestId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(id.length + 1 + data.length).put(id).put((byte) 0).put(data).array();
    }

    private static CharsetDecoder utf8() {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
    }

    /** Decodes UTF-8 across chunks: an incomplete sequence at the end waits for the next chunk. */
    private final Map<CharsetDecoder, byte[]> carry = new java.util.IdentityHashMap<>();

    private String decode(CharsetDecoder decoder, byte[] data) {
        byte[] left = carry.getOrDefault(decoder, new byte[0]);
        ByteBuffer in = ByteBuffer.allocate(left.length + data.length).put(left).put(data).flip();
        CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
        decoder.decode(in, out, false);
        byte[] rest = new byte[in.remaining()];
        in.get(rest);
        carry.put(decoder, rest);
        return out.flip().toString();
    }
}
