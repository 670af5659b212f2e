package dev.gatehouse.forward;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import dev.gatehouse.listen.FlushCoalescing;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * One cluster as the gateway reaches it: base URL, pooled HTTP/2 clients whose TLS trusts only the
 * cluster's CA (OpenSSL engine when available), and how identity is carried.
 * <p>
 * There is one client (and so one connection pool) per Vert.x context that forwards, which is one per event
 * loop: a request and its upstream connection then live on the same thread, so relaying a response never
 * crosses threads. A client shared by all loops lends a connection of one loop to a request of another, and
 * every read and write of that request then hops between the two (measured in docs/BENCHMARKS.md).
 */
public final class Upstream implements AutoCloseable {
    private final String name;
    private final String base;
    private final Vertx vertx;
    private final HttpClientOptions options;
    private final Map<EventExecutor, HttpClientAgent> clients = new ConcurrentHashMap<>();
    private final Map<EventExecutor, NetClient> upgradeClients = new ConcurrentHashMap<>();
    private final IdentityCarrier carrier;
    private final UpstreamCredential credential;
    private volatile boolean closed;

    private Upstream(String name, String base, Vertx vertx, HttpClientOptions options, IdentityCarrier carrier,
                     UpstreamCredential credential) {
        this.name = name;
        this.base = base;
        this.vertx = vertx;
        this.options = options;
        this.carrier = carrier;
        this.credential = credential;
    }

    /**
     * @param server        the cluster's https URL (may carry a path prefix)
     * @param caPem         the CA that signed the cluster's serving certificate
     * @param clientCertPem the gateway's client certificate, or null
     * @param clientKeyPem  its key, or null
     */
    public static Upstream create(Vertx vertx, String name, URI server, String caPem, String clientCertPem,
                                  String clientKeyPem, UpstreamCredential credential,
                                  java.util.function.Function<UpstreamCredential, IdentityCarrier> mode) {
        Objects.requireNonNull(caPem, "caPem");
        if (!"https".equals(server.getScheme())) {
            throw new IllegalArgumentException("clusters[" + name + "].server: " + server + " (expected: an https URL)");
        }
        HttpClientOptions options = new HttpClientOptions()
                .setSsl(true)
                .setUseAlpn(true)
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setVerifyHost(true)
                .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(caPem)))
                .setConnectTimeout(10_000)
                .setKeepAlive(true)
                .setDecompressionSupported(false)
                .setName("upstream-" + name);
        if (OpenSSLEngineOptions.isAvailable()) {
            options.setSslEngineOptions(new OpenSSLEngineOptions());
        }
        if (clientCertPem != null) {
            options.setKeyCertOptions(new PemKeyCertOptions().addCertValue(Buffer.buffer(clientCertPem))
                    .addKeyValue(Buffer.buffer(clientKeyPem)));
        }
        String base = server.toString().replaceAll("/+$", "");
        return new Upstream(name, base, vertx, options, mode.apply(credential), credential);
    }

    public String name() {
        return name;
    }

    /** The absolute upstream URI for a checked path and raw query. */
    public String uri(String path, String rawQuery) {
        return base + path + (rawQuery.isEmpty() ? "" : "?" + rawQuery);
    }

    /**
     * The client of the caller's event loop, created on first use. Keyed by the loop, not the context: Vert.x
     * gives every server request a context of its own (a duplicate of its connection's).
     */
    public HttpClientAgent client() {
        return clients.computeIfAbsent(loop(), loop -> vertx.httpClientBuilder().with(options)
                .with(new PoolOptions().setHttp2MaxSize(1).setHttp1MaxSize(64))
                .withConnectHandler(FlushCoalescing::install).build());
    }

    /**
     * A TCP client for protocol upgrades, with exactly the TLS of the pooled clients (the cluster's CA, host name
     * verified, the gateway's client certificate): an upgraded connection is the session's alone, and Vert.x's HTTP
     * client upgrades only GET requests while SPDY upgrades are POSTs. See {@code session.UpgradeClient}.
     */
    public NetClient upgradeClient() {
        EventExecutor loop = loop();
        return upgradeClients.computeIfAbsent(loop, l -> vertx.createNetClient(new NetClientOptions()
                .setSsl(true).setHostnameVerificationAlgorithm("HTTPS").setTrustOptions(options.getTrustOptions())
                .setKeyCertOptions(options.getKeyCertOptions()).setSslEngineOptions(options.getSslEngineOptions())
                .setApplicationLayerProtocols(java.util.List.of("http/1.1")).setUseAlpn(true)
                .setConnectTimeout(options.getConnectTimeout())));
    }

    /** The cluster's base URI (scheme, host, port and any path prefix). */
    public URI baseUri() {
        return URI.create(base);
    }

    private EventExecutor loop() {
        if (!(Vertx.currentContext() instanceof ContextInternal context)) {
            throw new IllegalStateException("Upstream clients are used on a Vert.x context");
        }
        if (closed) {
            throw new IllegalStateException("upstream " + name + " is closed");
        }
        return context.nettyEventLoop();
    }

    public IdentityCarrier carrier() {
        return carrier;
    }

    /** The gateway's own credential for the cluster (for the gateway's own requests, such as its version). */
    UpstreamCredential credential() {
        return credential;
    }

    @Override
    public void close() {
        closed = true;
        credential.close();
        clients.values().forEach(HttpClientAgent::close);
        clients.clear();
        upgradeClients.values().forEach(NetClient::close);
        upgradeClients.clear();
    }
}
