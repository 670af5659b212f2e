package dev.gatehouse.session;

import java.util.function.Consumer;

import io.vertx.core.buffer.Buffer;

/**
 * A WebSocket session (exec and attach over a channel protocol, or the port-forward tunnel) waiting for review:
 * the client's frames are checked by the same framing the session will use, its pings answered (kubectl's
 * WebSocket client gives up on a connection that stays silent for a minute), and the notice goes on stderr
 * (channel 2), or stdout (channel 1) for a terminal, which has no stderr. A port-forward tunnel has nowhere to
 * print: it only waits, answering the SPDY streams kubectl opens in it as {@link PendingSpdy} does.
 */
final class PendingWebSocket implements PendingProtocol {
    private final Framing check;
    private final WebSocketFrames frames;
    private final ChannelProtocol channels;
    private final byte[] notice;
    private final boolean tty;
    private final int maxFrameBytes;
    /** The SPDY session inside a port-forward tunnel; null for exec and attach. */
    private final PendingSpdy tunnel;

    /** @param channelProtocol the exec subprotocol, or null for the port-forward tunnel */
    PendingWebSocket(String channelProtocol, byte[] notice, boolean tty, int maxFrameBytes) {
        this.check = channelProtocol == null ? new WebSocketSpdyFraming(IGNORED, maxFrameBytes)
                : new WebSocketChannelFraming(channelProtocol, IGNORED, maxFrameBytes);
        this.channels = channelProtocol == null ? null : new ChannelProtocol(channelProtocol);
        this.frames = new WebSocketFrames(true, maxFrameBytes);
        this.notice = notice;
        this.tty = tty;
        this.maxFrameBytes = maxFrameBytes;
        this.tunnel = channelProtocol == null ? new PendingSpdy(true, notice, false, maxFrameBytes) : null;
    }

    @Override
    public boolean fromClient(Buffer bytes, Consumer<Buffer> toClient) {
        check.fromClient(bytes, frame -> { });
        boolean[] closing = {false};
        frames.feed(bytes, frame -> {
            if (frame.opcode() == WebSocketFrames.PING) {
                toClient.accept(WebSocketFrames.serverFrame(WebSocketFrames.PONG, frame.payload()));
            } else if (frame.opcode() == WebSocketFrames.CLOSE) {
                closing[0] = true;
            } else if (tunnel != null && !frame.control()) {
                closing[0] |= tunnel.fromClient(Buffer.buffer(frame.payload()), spdy ->
                        toClient.accept(WebSocketFrames.serverFrame(WebSocketFrames.BINARY, spdy.getBytes())));
            }
        });
        return closing[0];
    }

    @Override
    public Buffer notice() {
        if (channels == null) {
            return Buffer.buffer();
        }
        return WebSocketFrames.serverFrame(channels.errorOpcode(), channels.message(tty ? 1 : 2, notice));
    }

    @Override
    public Buffer goodbye(byte[] statusJson) {
        return check.goodbye(statusJson);
    }

    @Override
    public Framing spliced(Framing framing) {
        return tunnel == null ? framing : tunnel.replies().rewritingTunnel(framing, maxFrameBytes);
    }

    @Override
    public void close() {
        check.close();
        if (tunnel != null) {
            tunnel.close();
        }
    }
}
