package dev.gatehouse.session;

import java.util.function.Consumer;

import io.vertx.core.buffer.Buffer;

/**
 * A SPDY/3.1 session (exec, attach, port-forward) waiting for review: the gateway answers each stream the client
 * opens ({@link SpdyReplies}) and its pings, and writes the notice on the stderr stream once the client opened it
 * (stdout for a terminal, which has no stderr; nothing for port-forward). Its Status goes on the exec error stream.
 */
final class PendingSpdy implements PendingProtocol {
    private static final int SYN_STREAM = 1;
    private static final int PING = 6;
    private static final int GOAWAY = 7;

    private final SpdyFrames frames;
    private final SpdyStreams streams;
    private final SpdyReplies replies = new SpdyReplies();
    private final byte[] notice;
    private final String noticeStream;
    private boolean noticed;

    PendingSpdy(boolean portForward, byte[] notice, boolean tty, int maxFrameBytes) {
        this.frames = new SpdyFrames(maxFrameBytes);
        this.streams = new SpdyStreams(portForward, IGNORED);
        this.notice = notice;
        this.noticeStream = portForward ? null : tty ? "stdout" : "stderr";
    }

    @Override
    public boolean fromClient(Buffer bytes, Consumer<Buffer> toClient) {
        boolean[] closing = {false};
        frames.feed(bytes, frame -> {
            streams.feed(true, frame);
            if ((frame.getUnsignedByte(0) & 0x80) == 0) {
                return;
            }
            switch (frame.getUnsignedShort(2)) {
                case SYN_STREAM -> opened(frame.getInt(8) & 0x7FFFFFFF, toClient);
                case PING -> {
                    if ((frame.getInt(8) & 1) == 1) { // the client's own ping: answered as the kubelet would
                        toClient.accept(frame.copy());
                    }
                }
                case GOAWAY -> closing[0] = true;
                default -> { }
            }
        });
        return closing[0];
    }

    private void opened(int streamId, Consumer<Buffer> toClient) {
        toClient.accept(replies.reply(streamId, false));
        if (!noticed && noticeStream != null && noticeStream.equals(streams.streamType(streamId))) {
            noticed = true;
            toClient.accept(SpdyFrames.dataFrame(streamId, notice, false));
        }
    }

    @Override
    public Buffer notice() {
        return Buffer.buffer();
    }

    @Override
    public Buffer goodbye(byte[] statusJson) {
        int error = streams.errorStreamId();
        return error < 0 ? Buffer.buffer() : SpdyFrames.dataFrame(error, statusJson, true);
    }

    @Override
    public Framing spliced(Framing framing) {
        return replies.rewriting(framing);
    }

    SpdyReplies replies() {
        return replies;
    }

    @Override
    public void close() {
        streams.close();
    }
}
