package dev.gatehouse.session;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.NetUtil;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.NetSocket;

import dev.gatehouse.forward.Upstream;

/**
 * Sends one upgrade request to a cluster on a TLS connection of its own and reads the answer with Netty's HTTP/1.1
 * response decoder. Vert.x's HTTP client switches protocols only for GET, while kubectl's SPDY upgrades are POSTs;
 * and an upgraded connection is never pooled or reused, so a plain connection is the honest model. Redirects are never
 * followed (an answer is an answer). A {@code 101} hands over the socket with any bytes that came right behind its
 * head; any other status is read whole (bounded) so the bridge can relay it as an ordinary response.
 */
final class UpgradeClient {
    private static final int MAX_HEAD = 64 * 1024;
    private static final int MAX_BODY = 1024 * 1024;

    /** The cluster's answer: a switched connection ({@code socket}, paused, with {@code first} bytes), or a response. */
    record Answer(int status, MultiMap headers, Buffer body, NetSocket socket, Buffer first) {
    }

    private UpgradeClient() {
    }

    /** Opens the connection and sends the request head; the future fails when the cluster cannot be asked. */
    static Future<Answer> send(Upstream upstream, String method, String pathAndQuery, MultiMap headers) {
        URI base = upstream.baseUri();
        String host = base.getHost();
        int port = base.getPort() < 0 ? 443 : base.getPort();
        String prefix = base.getRawPath() == null ? "" : base.getRawPath();
        boolean ip = NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host);
        Future<NetSocket> connected = ip ? upstream.upgradeClient().connect(port, host)
                : upstream.upgradeClient().connect(port, host, host);
        return connected.compose(socket -> {
            StringBuilder head = new StringBuilder(method).append(' ').append(prefix).append(pathAndQuery)
                    .append(" HTTP/1.1\r\nHost: ").append(host.contains(":") ? "[" + host + "]" : host)
                    .append(base.getPort() < 0 ? "" : ":" + port).append("\r\n");
            for (Map.Entry<String, String> header : headers) {
                if (!header.getKey().equalsIgnoreCase("Host")) {
                    head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
                }
            }
            head.append("\r\n");
            Promise<Answer> answer = Promise.promise();
            Reader reader = new Reader(socket, answer);
            socket.handler(reader::read);
            socket.closeHandler(v -> reader.closed());
            socket.exceptionHandler(e -> answer.tryFail(e));
            socket.write(Buffer.buffer(head.toString().getBytes(StandardCharsets.ISO_8859_1)));
            return answer.future().onFailure(e -> socket.close());
        });
    }

    /** Decodes the answer's head (and body, when it is not a 101) as it arrives. */
    private static final class Reader {
        private final NetSocket socket;
        private final Promise<Answer> answer;
        private final EmbeddedChannel decoder = new EmbeddedChannel(new HttpResponseDecoder(8192, MAX_HEAD, 8192));
        private HttpResponse response;
        private final Buffer body = Buffer.buffer();
        private final Buffer first = Buffer.buffer();

        Reader(NetSocket socket, Promise<Answer> answer) {
            this.socket = socket;
            this.answer = answer;
        }

        void read(Buffer bytes) {
            if (answer.future().isComplete()) {
                return;
            }
            try {
                decoder.writeInbound(Unpooled.wrappedBuffer(bytes.getBytes()));
                takeDecoded();
            } catch (RuntimeException e) {
                fail("the cluster's answer is not HTTP/1.1: " + e.getMessage());
                return;
            }
            if (response != null && response.status().code() == 101) {
                socket.pause();
                socket.handler(null);
                socket.closeHandler(null);
                socket.exceptionHandler(null);
                decoder.finishAndReleaseAll();
                answer.tryComplete(new Answer(101, headers(response), Buffer.buffer(), socket, first));
            }
        }

        /** Takes every message the decoder has produced so far. */
        private void takeDecoded() {
            Object message;
            while ((message = decoder.readInbound()) != null) {
                try {
                    take(message);
                } finally {
                    ReferenceCountUtil.release(message);
                }
            }
        }

        private void take(Object message) {
            if (message instanceof HttpResponse head) {
                if (head.decoderResult().isFailure()) {
                    throw new IllegalStateException(String.valueOf(head.decoderResult().cause()));
                }
                response = head;
            }
            if (message instanceof HttpContent content) {
                if (content.decoderResult().isFailure()) {
                    throw new IllegalStateException(String.valueOf(content.decoderResult().cause()));
                }
                if (body.length() + content.content().readableBytes() > MAX_BODY) {
                    throw new IllegalStateException("an answer larger than " + MAX_BODY + " bytes");
                }
                body.appendBytes(bytes(content.content()));
                if (message instanceof LastHttpContent && response != null && response.status().code() != 101) {
                    socket.close();
                    decoder.finishAndReleaseAll();
                    answer.tryComplete(new Answer(response.status().code(), headers(response), body, null, null));
                }
            } else if (message instanceof ByteBuf upgraded) {
                first.appendBytes(bytes(upgraded)); // the decoder passes bytes behind a 101 through as they are
            }
        }

        /**
         * The cluster closed the connection: an answer whose body runs to the close (no length, not chunked, as the
         * apiserver relays a kubelet's refusal) is complete now; one without a head never came.
         */
        void closed() {
            if (answer.future().isComplete()) {
                return;
            }
            if (response == null || response.status().code() == 101) {
                fail("the cluster closed the connection before it answered");
                return;
            }
            try {
                decoder.finish(); // channelInactive: the decoder ends a close-delimited body
                takeDecoded();
            } catch (RuntimeException e) {
                fail("the cluster's answer is not HTTP/1.1: " + e.getMessage());
                return;
            }
            if (!answer.future().isComplete()) {
                decoder.finishAndReleaseAll();
                answer.tryComplete(new Answer(response.status().code(), headers(response), body, null, null));
            }
        }

        private void fail(String why) {
            socket.close();
            decoder.finishAndReleaseAll();
            answer.tryFail(why);
        }

        private static byte[] bytes(ByteBuf buf) {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.getBytes(buf.readerIndex(), bytes);
            return bytes;
        }

        private static MultiMap headers(HttpResponse response) {
            MultiMap headers = HttpHeaders.headers();
            response.headers().forEach(h -> headers.add(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
            return headers;
        }
    }
}
