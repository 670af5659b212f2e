package dev.gatehouse.session;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatehouse.classify.Upgrade;

/**
 * The Kubernetes channel protocols carried in WebSocket messages ({@code channel.k8s.io}, {@code v4.channel.k8s.io},
 * {@code v5.channel.k8s.io} and their {@code base64} variants): each message starts with a channel number — 0
 * stdin, 1 stdout, 2 stderr, 3 error (a {@code Status}), 4 resize (JSON {@code {"Width":…,"Height":…}}); in v5,
 * the two bytes {@code 255 <channel>} close a channel. The base64 variants send text messages whose first
 * character is the channel's digit and whose rest is base64.
 */
public final class ChannelProtocol {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean base64;
    private final boolean v5;

    public ChannelProtocol(String subprotocol) {
        if (!Upgrade.CHANNEL_PROTOCOLS.contains(subprotocol)) {
            throw new FrameException("unknown exec subprotocol \"" + subprotocol + "\"");
        }
        this.base64 = subprotocol.contains("base64");
        this.v5 = subprotocol.startsWith("v5.");
    }

    /** Decodes one whole message (already reassembled) and tells {@code events} what it carried. */
    public void message(boolean fromClient, int opcode, byte[] payload, SessionEvents events) {
        if (payload.length == 0) {
            return;
        }
        int channel;
        byte[] data;
        if (base64) {
            if (opcode != WebSocketFrames.TEXT) {
                throw new FrameException("a binary message on a base64 channel protocol");
            }
            channel = payload[0] - '0';
            try {
                data = Base64.getDecoder().decode(java.util.Arrays.copyOfRange(payload, 1, payload.length));
            } catch (IllegalArgumentException e) {
                throw new FrameException("a base64 channel message is not base64");
            }
        } else {
            if (opcode != WebSocketFrames.BINARY) {
                throw new FrameException("a text message on a binary channel protocol");
            }
            channel = payload[0] & 0xFF;
            data = java.util.Arrays.copyOfRange(payload, 1, payload.length);
        }
        if (v5 && channel == 255) {
            return; // close-stream: the relay passes it on; nothing to record
        }
        switch (channel) {
            case 0 -> {
                if (!fromClient) {
                    throw new FrameException("the cluster wrote on the stdin channel");
                }
                events.stdin(data);
            }
            case 1 -> serverOnly(fromClient, "stdout", () -> events.stdout(data));
            case 2 -> serverOnly(fromClient, "stderr", () -> events.stderr(data));
            case 3 -> serverOnly(fromClient, "error", () -> events.status(data));
            case 4 -> {
                if (!fromClient) {
                    throw new FrameException("the cluster wrote on the resize channel");
                }
                resize(data, events);
            }
            default -> throw new FrameException("unknown channel " + channel + " in an exec message");
        }
    }

    /** The message that tells a client why the gateway ended its session: a Status on the error channel. */
    public byte[] errorMessage(byte[] statusJson) {
        return message(3, statusJson);
    }

    /** A message of the gateway's own on {@code channel} (0-9), to be sent with {@link #errorOpcode()}. */
    public byte[] message(int channel, byte[] data) {
        if (base64) {
            String text = (char) ('0' + channel) + Base64.getEncoder().encodeToString(data);
            return text.getBytes(StandardCharsets.US_ASCII);
        }
        byte[] message = new byte[data.length + 1];
        message[0] = (byte) channel;
        System.arraycopy(data, 0, message, 1, data.length);
        return message;
    }

    public int errorOpcode() {
        return base64 ? WebSocketFrames.TEXT : WebSocketFrames.BINARY;
    }

    static void resize(byte[] data, SessionEvents events) {
        // A resize stream may carry several JSON objects back to back.
        try (var parser = JSON.getFactory().createParser(data)) {
            var objects = JSON.readValues(parser, JsonNode.class);
            while (objects.hasNext()) {
                JsonNode size = objects.next();
                events.resize(size.path("Width").asInt(), size.path("Height").asInt());
            }
        } catch (java.io.IOException | RuntimeException e) {
            throw new FrameException("a resize message is not JSON");
        }
    }

    private static void serverOnly(boolean fromClient, String name, Runnable record) {
        if (fromClient) {
            throw new FrameException("the client wrote on the " + name + " channel");
        }
        record.run();
    }
}
