package dev.gatehouse.session;

import java.util.HashMap;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyHeadersFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.buffer.Buffer;

/**
 * Reads a SPDY/3.1 session's frames with Netty's SPDY codec (one decoder per direction: header blocks are
 * compressed with a per-direction zlib context) and tells {@link SessionEvents} what each stream carries.
 * The client opens every stream and names it with a {@code streamType} header: for exec and attach
 * {@code stdin}, {@code stdout}, {@code stderr}, {@code error}, {@code resize}; for port-forward {@code data} and
 * {@code error}, with {@code port} and {@code requestID}.
 */
public final class SpdyStreams {
    private record Stream(String type, String requestId, int port) {
    }

    private final EmbeddedChannel fromClient = decoder();
    private final EmbeddedChannel fromServer = decoder();
    private final Map<Integer, Stream> streams = new HashMap<>();
    private final boolean portForward;
    private final SessionEvents events;
    private int errorStreamId = -1;

    public SpdyStreams(boolean portForward, SessionEvents events) {
        this.portForward = portForward;
        this.events = events;
    }

    private static EmbeddedChannel decoder() {
        return new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1, 64 * 1024, 64 * 1024, 6, 15, 8));
    }

    /** Feeds bytes of one direction (whole frames or not) and reports the frames they complete. */
    public void feed(boolean client, Buffer bytes) {
        EmbeddedChannel channel = client ? fromClient : fromServer;
        ByteBuf buf = Unpooled.wrappedBuffer(bytes.getBytes());
        try {
            channel.writeInbound(buf);
            channel.checkException();
        } catch (Exception e) { // checkException rethrows the codec's checked SpdyProtocolException as it is
            throw new FrameException("a SPDY frame cannot be decoded: " + e.getMessage());
        }
        Object frame;
        while ((frame = channel.readInbound()) != null) {
            try {
                handle(client, frame);
            } finally {
                ReferenceCountUtil.release(frame);
            }
        }
    }

    /** The id of the exec error stream, where the gateway's own closing Status goes; -1 before it opened. */
    public int errorStreamId() {
        return errorStreamId;
    }

    /** The {@code streamType} the client gave stream {@code id} (lower case), or null when it was never opened. */
    public String streamType(int id) {
        Stream stream = streams.get(id);
        return stream == null ? null : stream.type();
    }

    public void close() {
        fromClient.finishAndReleaseAll();
        fromServer.finishAndReleaseAll();
    }

    private void handle(boolean client, Object frame) {
        if (frame instanceof SpdySynStreamFrame syn) {
            if (syn.isInvalid()) {
                throw new FrameException("an invalid SPDY SYN_STREAM frame");
            }
            if (!client) {
                throw new FrameException("the cluster opened a SPDY stream (server push is not relayed)");
            }
            String type = header(syn, "streamType");
            if (type == null) {
                throw new FrameException("a SPDY stream without a streamType header");
            }
            type = type.toLowerCase(java.util.Locale.ROOT);
            if (portForward) {
                String requestId = header(syn, "requestID");
                String port = header(syn, "port");
                int number;
                try {
                    number = Integer.parseInt(port == null ? "" : port);
                } catch (NumberFormatException e) {
                    throw new FrameException("a port-forward stream without a valid port header");
                }
                if (!type.equals("data") && !type.equals("error")) {
                    throw new FrameException("unknown port-forward streamType \"" + type + "\"");
                }
                String id = requestId == null ? "stream-" + syn.streamId() : requestId;
                streams.put(syn.streamId(), new Stream(type, id, number));
                events.forwardStream(id, number, type);
            } else {
                switch (type) {
                    case "stdin", "stdout", "stderr", "resize" -> { }
                    case "error" -> errorStreamId = syn.streamId();
                    default -> throw new FrameException("unknown exec streamType \"" + type + "\"");
                }
                streams.put(syn.streamId(), new Stream(type, "", 0));
            }
        } else if (frame instanceof SpdyDataFrame data) {
            Stream stream = streams.get(data.streamId());
            if (stream == null) {
                throw new FrameException("SPDY data on stream " + data.streamId() + ", which was never opened");
            }
            byte[] bytes = new byte[data.content().readableBytes()];
            data.content().getBytes(data.content().readerIndex(), bytes);
            if (bytes.length > 0) {
                data(client, stream, bytes);
            }
            if (data.isLast() && portForward && stream.type().equals("data")) {
                events.forwardClosed(stream.requestId());
            }
        } else if (frame instanceof SpdyRstStreamFrame rst) {
            Stream stream = streams.get(rst.streamId());
            if (stream != null && portForward && stream.type().equals("data")) {
                events.forwardClosed(stream.requestId());
            }
        } else if (frame instanceof SpdyHeadersFrame headers && headers.isInvalid()) {
            throw new FrameException("an invalid SPDY HEADERS frame");
        }
    }

    private void data(boolean client, Stream stream, byte[] bytes) {
        if (portForward) {
            if (stream.type().equals("data")) {
                events.forwardData(stream.requestId(), client, bytes);
            } else if (!client) {
                events.forwardError(stream.requestId(), bytes);
            }
            return;
        }
        switch (stream.type()) {
            case "stdin" -> {
                if (client) {
                    events.stdin(bytes);
                }
            }
            case "stdout" -> {
                if (!client) {
                    events.stdout(bytes);
                }
            }
            case "stderr" -> {
                if (!client) {
                    events.stderr(bytes);
                }
            }
            case "error" -> {
                if (!client) {
                    events.status(bytes);
                }
            }
            case "resize" -> {
                if (client) {
                    ChannelProtocol.resize(bytes, events);
                }
            }
            default -> { }
        }
    }

    private static String header(SpdyHeadersFrame frame, String name) {
        for (var entry : frame.headers()) {
            if (entry.getKey().toString().equalsIgnoreCase(name)) {
                return entry.getValue().toString();
            }
        }
        return null;
    }
}
