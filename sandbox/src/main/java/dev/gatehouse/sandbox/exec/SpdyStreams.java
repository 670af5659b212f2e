package dev.gatehouse.sandbox.exec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.sandbox.resource.Json;
import dev.gatehouse.sandbox.spdy.SpdyConnection;

/**
 * Exec and attach streams over SPDY/3.1, as the kubelet serves them: the client opens one stream per kind, its
 * {@code streamtype} header one of {@code error}, {@code stdin}, {@code stdout}, {@code stderr}, {@code resize};
 * the session starts once every stream the query asked for is open (standard input sent before waits for it).
 * The final {@code Status} goes on the error stream as JSON ({@code v4.channel.k8s.io}) or, in the older
 * protocols, as the failure's message; then every stream is half-closed and the connection closed (by the client,
 * or by the owner once told {@code ended}). An unknown or repeated stream type ends the connection.
 */
public final class SpdyStreams implements RemoteStreams, SpdyConnection.Listener {
    /** The {@code X-Stream-Protocol-Version}s served, most preferred first (kubelet's order). */
    public static final List<String> PROTOCOLS = List.of("v4.channel.k8s.io", "v3.channel.k8s.io",
            "v2.channel.k8s.io", "channel.k8s.io");

    private static final Set<String> TYPES = Set.of("error", "stdin", "stdout", "stderr", "resize");

    private final SpdyConnection connection;
    private final String protocol;
    private final Set<String> expected;
    private final Consumer<SpdyStreams> ready;
    private final Runnable ended;
    private final Map<String, Integer> streams = new HashMap<>();
    private final List<byte[]> early = new ArrayList<>();
    private boolean earlyClose;
    private Input input;
    private boolean started;
    private boolean done;

    /**
     * @param protocol the negotiated {@code X-Stream-Protocol-Version}
     * @param options  the query's {@code stdin}, {@code stdout}, {@code stderr}, {@code tty} flags
     * @param ready    called once every expected stream is open
     * @param ended    called once the Status is written and the streams half-closed, e.g. to close the
     *                 connection if the client does not
     */
    public SpdyStreams(SpdyConnection connection, String protocol, Map<String, Boolean> options,
                       Consumer<SpdyStreams> ready, Runnable ended) {
        this.connection = connection;
        this.protocol = protocol;
        this.ready = ready;
        this.ended = ended;
        boolean tty = options.getOrDefault("tty", false);
        Set<String> wanted = new LinkedHashSet<>(List.of("error"));
        if (options.getOrDefault("stdin", false)) {
            wanted.add("stdin");
        }
        if (options.getOrDefault("stdout", false)) {
            wanted.add("stdout");
        }
        if (options.getOrDefault("stderr", false) && !tty) {
            wanted.add("stderr");
        }
        if (tty && !protocol.equals("channel.k8s.io") && !protocol.equals("v2.channel.k8s.io")) {
            wanted.add("resize");
        }
        this.expected = Set.copyOf(wanted);
        connection.listen(this);
    }

    @Override
    public void opened(int streamId, Map<String, String> headers) {
        String type = headers.getOrDefault("streamtype", "");
        if (!TYPES.contains(type) || streams.containsKey(type)) {
            connection.protocolError("stream " + streamId + " has " + (type.isEmpty() ? "no streamtype"
                    : streams.containsKey(type) ? "a second streamtype " + type : "unknown streamtype " + type));
            return;
        }
        streams.put(type, streamId);
        connection.reply(streamId, Map.of("streamtype", type));
        if (!started && streams.keySet().containsAll(expected)) {
            started = true;
            ready.accept(this);
        }
    }

    @Override
    public void data(int streamId, byte[] data) {
        if (!is("stdin", streamId)) {
            return;
        }
        if (input == null) {
            early.add(data);
        } else {
            input.stdin(data);
        }
    }

    @Override
    public void halfClosed(int streamId) {
        if (!is("stdin", streamId)) {
            return;
        }
        if (input == null) {
            earlyClose = true;
        } else {
            input.stdinClosed();
        }
    }

    @Override
    public void reset(int streamId) {
        halfClosed(streamId);
    }

    @Override
    public void closed() {
        done = true;
        if (input != null) {
            input.closed();
        }
    }

    private boolean is(String type, int streamId) {
        Integer id = streams.get(type);
        return id != null && id == streamId;
    }

    @Override
    public void input(Input input) {
        this.input = input;
        early.forEach(input::stdin);
        early.clear();
        if (earlyClose) {
            input.stdinClosed();
        }
    }

    @Override
    public void stdout(byte[] data) {
        send("stdout", data);
    }

    @Override
    public void stderr(byte[] data) {
        send("stderr", data);
    }

    @Override
    public void end(ObjectNode status) {
        if (done) {
            return;
        }
        if (protocol.equals("v4.channel.k8s.io") || protocol.equals("v5.channel.k8s.io")) {
            send("error", Json.bytes(status));
        } else if (ExitStatus.failed(status)) {
            send("error", status.path("message").asText().getBytes(StandardCharsets.UTF_8));
        }
        done = true;
        streams.values().forEach(connection::finish);
        ended.run();
    }

    private void send(String type, byte[] data) {
        Integer id = streams.get(type);
        if (!done && id != null) {
            connection.write(id, data);
        }
    }
}
