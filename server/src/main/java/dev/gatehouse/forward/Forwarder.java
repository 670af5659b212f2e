package dev.gatehouse.forward;

import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.chain.Evidence;
import dev.gatehouse.chain.Exchange;
import dev.gatehouse.mask.MaskingChoice;
import dev.gatehouse.mask.RequestBodies;
import dev.gatehouse.status.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;

/**
 * The last stage: sends the request to its cluster and streams the answer back with backpressure, never
 * buffering a body whole. The client's own credentials and identity headers never go upstream. The end of
 * every response is held until its audit event is durable; if that fails the response is reset, so a client
 * is never told a request completed without evidence.
 */
public final class Forwarder {
    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);
    /** Client headers never forwarded: hop-by-hop, credentials, and anything claiming an identity or origin. */
    private static final Set<String> DROPPED = Set.of("host", "connection", "keep-alive", "te", "trailer",
            "transfer-encoding", "upgrade", "authorization", "proxy-authorization", "cookie", "forwarded",
            "x-real-ip", "audit-id", "expect", "http2-settings");
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "te", "trailer",
            "transfer-encoding", "upgrade", "proxy-authenticate", "audit-id");

    private final Vertx vertx;
    private final Map<String, Upstream> upstreams;
    private final Evidence evidence;
    private final BodyTransform.Choice transforms;
    private final Duration maxStreamDuration;
    private final Duration upstreamTimeout;

    /**
     * @param maxStreamDuration the longest a watch or followed log may stay open
     * @param upstreamTimeout   how long a cluster may stay silent on an ordinary request before it is 504
     */
    public Forwarder(Vertx vertx, Map<String, Upstream> upstreams, Evidence evidence, Duration maxStreamDuration,
                     Duration upstreamTimeout) {
        this(vertx, upstreams, evidence, maxStreamDuration, upstreamTimeout, BodyTransform.Choice.NONE);
    }

    /** @param transforms what each response's body passes through on its way to the client */
    public Forwarder(Vertx vertx, Map<String, Upstream> upstreams, Evidence evidence, Duration maxStreamDuration,
                     Duration upstreamTimeout, BodyTransform.Choice transforms) {
        this.vertx = vertx;
        this.upstreams = Map.copyOf(upstreams);
        this.evidence = evidence;
        this.transforms = transforms;
        this.maxStreamDuration = maxStreamDuration;
        this.upstreamTimeout = upstreamTimeout;
    }

    /** How responses are transformed (the masking choice, or {@link BodyTransform.Choice#NONE}). */
    public BodyTransform.Choice transforms() {
        return transforms;
    }

    /**
     * Forwards the exchange. The future fails with a {@link GatewayException} only when the cluster could not
     * be asked (unreachable 503, TLS failure 502, timeout 504); once the cluster answers, this class relays and
     * records the rest itself.
     */
    public Future<Void> forward(Exchange exchange, HttpServerRequest request) {
        Upstream upstream = upstreams.get(exchange.cluster());
        boolean longRunning = exchange.info().longRunning(exchange.query().flag("follow"));
        MultiMap headers = upstreamHeaders(exchange, upstream);
        if (transforms instanceof MaskingChoice masking) {
            masking.requestHeaders(exchange, headers); // JSON on every path it masks, not only Secrets
        }
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.valueOf(exchange.head().method()))
                .setAbsoluteURI(upstream.uri(exchange.upstreamPath(), exchange.head().rawQuery()))
                .setHeaders(headers)
                .setIdleTimeout(longRunning ? 0 : upstreamTimeout.toMillis());
        Flight flight = new Flight(exchange, request, longRunning);
        Promise<HttpClientResponse> answered = Promise.promise();
        long deadline = vertx.setTimer(upstreamTimeout.toMillis(), id -> {
            if (answered.tryFail(GatewayException.timeout("cluster \"" + exchange.cluster() + "\" did not answer within "
                    + upstreamTimeout.toSeconds() + "s")) && flight.upstreamRequest != null) {
                flight.upstreamRequest.reset();
            }
        });
        upstream.client().request(options)
                .compose(upstreamRequest -> {
                    flight.upstreamRequest = upstreamRequest;
                    // a body read ahead (to decide or to hold) goes on exactly as read; otherwise it streams (a
                    // write's copied for the record as it passes)
                    return exchange.body() != null ? upstreamRequest.send(exchange.body())
                            : upstreamRequest.send(RequestBodies.tap(exchange, request));
                })
                .onComplete(ar -> {
                    vertx.cancelTimer(deadline);
                    if (ar.succeeded() && !answered.tryComplete(ar.result())) {
                        ar.result().request().reset();
                    } else if (ar.failed()) {
                        answered.tryFail(asStatus(exchange.cluster(), ar.cause()));
                    }
                });
        return answered.future().map(response -> {
            flight.relay(response);
            return null;
        });
    }

    /** The cluster named by the exchange. */
    public Upstream upstream(Exchange exchange) {
        return upstreams.get(exchange.cluster());
    }

    /**
     * The headers a request carries to its cluster: the client's, less hop-by-hop headers, credentials and anything
     * claiming an identity or origin; plus the gateway's credential and the identity it carries, {@code Audit-ID}
     * and {@code X-Forwarded-For}.
     */
    public static MultiMap upstreamHeaders(Exchange exchange, Upstream upstream) {
        MultiMap headers = HttpHeaders.headers();
        for (Map.Entry<String, String> header : exchange.head().headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!DROPPED.contains(name) && !name.startsWith("x-forwarded-") && !name.startsWith("proxy-")) {
                headers.add(header.getKey(), header.getValue());
            }
        }
        MaskingChoice.upstreamAccept(exchange, headers);
        upstream.carrier().carry(exchange, headers);
        headers.set("Audit-ID", exchange.id());
        if (!exchange.head().remoteIp().isEmpty()) {
            headers.set("X-Forwarded-For", exchange.head().remoteIp());
        }
        return headers;
    }

    /** The upstream deadline for the first byte of an answer. */
    public Duration upstreamTimeout() {
        return upstreamTimeout;
    }

    /** The longest a stream or session may stay open. */
    public Duration maxStreamDuration() {
        return maxStreamDuration;
    }

    public static GatewayException asStatus(String cluster, Throwable error) {
        if (error instanceof GatewayException ge) {
            return ge;
        }
        if (error instanceof TimeoutException
                || error.getClass().getSimpleName().contains("Timeout")) {
            return GatewayException.timeout("cluster \"" + cluster + "\" did not answer in time");
        }
        if (error instanceof SSLException || error.getCause() instanceof SSLException) {
            return GatewayException.badGateway("TLS to cluster \"" + cluster + "\" failed: " + error.getMessage());
        }
        if (error instanceof ConnectException || error.getCause() instanceof ConnectException) {
            return GatewayException.unavailable("cluster \"" + cluster + "\" is unreachable: " + error.getMessage());
        }
        return GatewayException.badGateway("cluster \"" + cluster + "\" failed: " + error.getMessage());
    }

    /** One request in flight, from the cluster's answer to the recorded end. */
    private final class Flight {
        private final Exchange exchange;
        private final HttpServerRequest request;
        private final HttpServerResponse response;
        private final boolean longRunning;
        private HttpClientRequest upstreamRequest;
        private int code;
        private long bytesOut;
        private long timerId = -1;
        private boolean finished;
        /** The latest chunk of an ordinary response, not yet written (see {@link #pipe}). */
        private Buffer held;
        private BodyTransform transform = BodyTransform.IDENTITY;

        Flight(Exchange exchange, HttpServerRequest request, boolean longRunning) {
            this.exchange = exchange;
            this.request = request;
            this.response = request.response();
            this.longRunning = longRunning;
        }

        /**
         * Relays the cluster's answer. Throws a {@link GatewayException} before anything is sent when the transform
         * choice refuses the response (a Secret in a media type that cannot be masked); the chain then answers with
         * that Status and records the refusal.
         */
        void relay(HttpClientResponse upstreamResponse) {
            code = upstreamResponse.statusCode();
            MultiMap headers = HttpHeaders.headers();
            for (Map.Entry<String, String> header : upstreamResponse.headers()) {
                if (!HOP_BY_HOP.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                    headers.add(header.getKey(), header.getValue());
                }
            }
            try {
                transform = transforms.of(exchange, code, headers);
            } catch (GatewayException refused) {
                upstreamResponse.request().reset();
                throw refused;
            }
            response.setStatusCode(code);
            boolean http2 = exchange.head().http2();
            if (!http2 && upstreamResponse.statusMessage() != null) {
                response.setStatusMessage(upstreamResponse.statusMessage());
            }
            response.headers().addAll(headers);
            boolean bodyless = exchange.head().method().equals("HEAD") || code == 204 || code == 304;
            if (!http2 && !bodyless) {
                // HTTP/1.1 clients learn a response ended from its last chunk, which waits for the evidence.
                response.headers().remove(HttpHeaders.CONTENT_LENGTH);
                response.setChunked(true);
            }
            response.closeHandler(v -> clientGone(upstreamResponse));
            response.exceptionHandler(e -> clientGone(upstreamResponse));
            if (longRunning) {
                upstreamResponse.pause();
                evidence.started(exchange, null).onComplete(ar -> {
                    if (ar.failed()) {
                        LOG.error("{} cannot record stream start, closing: {}", exchange.id(), ar.cause().getMessage());
                        upstreamRequest.reset();
                        response.reset();
                        return;
                    }
                    limitStream();
                    pipe(upstreamResponse);
                    upstreamResponse.resume();
                });
            } else {
                pipe(upstreamResponse);
            }
        }

        /**
         * Relays the body. A watch or followed log is written as it comes. Any other response keeps its latest
         * chunk back until the next one arrives or the evidence is durable: the held chunk then goes out with the
         * response's end in one write (for most API responses the whole answer is one chunk, so one write instead
         * of two), and the client still cannot see the end before the evidence. At most one chunk is held.
         */
        private void pipe(HttpClientResponse upstreamResponse) {
            upstreamResponse.handler(received -> {
                if (finished) {
                    return;
                }
                Buffer chunk;
                try {
                    chunk = transform.chunk(received);
                } catch (RuntimeException e) {
                    transformFailed(e);
                    return;
                }
                if (chunk.length() == 0) {
                    return;
                }
                bytesOut += chunk.length();
                Buffer out = chunk;
                if (!longRunning) {
                    out = held;
                    held = chunk;
                    if (out == null) {
                        return;
                    }
                }
                response.write(out);
                if (response.writeQueueFull()) {
                    upstreamResponse.pause();
                    response.drainHandler(v -> upstreamResponse.resume());
                }
            });
            upstreamResponse.exceptionHandler(e -> finish("the cluster's response failed: " + e.getMessage(), true));
            upstreamResponse.endHandler(v -> finish(null, false));
        }

        /** The transform cannot vouch for the body (it is not what it can mask): nothing more goes out. */
        private void transformFailed(RuntimeException e) {
            LOG.warn("{} the response body could not be masked, resetting it: {}", exchange.id(), e.getMessage());
            upstreamRequest.reset();
            held = null;
            finish("masking failed: " + e.getMessage(), true);
        }

        /** Ends a stream when the credential that opened it expires, or at the configured maximum. */
        private void limitStream() {
            Instant now = Instant.now();
            Duration limit = maxStreamDuration;
            String why = "the stream reached the gateway's maximum duration";
            Instant expires = exchange.identity().expiresAt();
            if (expires != null && Duration.between(now, expires).compareTo(limit) < 0) {
                limit = Duration.between(now, expires);
                why = "the credential that opened the stream expired";
            }
            String reason = why;
            timerId = vertx.setTimer(Math.max(1, limit.toMillis()), id -> {
                upstreamRequest.reset();
                finish(reason, false);
            });
        }

        private void clientGone(HttpClientResponse upstreamResponse) {
            if (!finished) {
                upstreamRequest.reset();
                finish("the client closed the connection", true);
            }
        }

        private void finish(String note, boolean aborted) {
            if (finished) {
                return;
            }
            finished = true;
            if (timerId >= 0) {
                vertx.cancelTimer(timerId);
            }
            Buffer rest = Buffer.buffer();
            if (!aborted) {
                try {
                    rest = transform.end();
                } catch (RuntimeException e) {
                    LOG.warn("{} the response body could not be masked, resetting it: {}", exchange.id(),
                            e.getMessage());
                    held = null;
                    record("masking failed: " + e.getMessage(), true);
                    return;
                }
            }
            if (rest.length() > 0) {
                held = held == null ? rest : held.appendBuffer(rest);
                bytesOut += rest.length();
            }
            record(note, aborted);
        }

        /** Records the end, then ends the response (or resets it when aborted or when the record failed). */
        private void record(String note, boolean aborted) {
            evidence.completed(exchange, code, request.bytesRead(), bytesOut, note, null).onComplete(ar -> {
                if (ar.failed()) {
                    LOG.error("{} cannot record the response; resetting it so the client does not see success: {}",
                            exchange.id(), ar.cause().getMessage());
                    response.reset();
                } else if (aborted) {
                    response.reset();
                } else if (!response.ended()) {
                    Buffer last = held;
                    held = null;
                    if (last != null) {
                        response.end(last);
                    } else {
                        response.end();
                    }
                }
            });
        }
    }
}
