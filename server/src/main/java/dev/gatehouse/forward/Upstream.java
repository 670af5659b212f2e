package dev.gatehouse.forward;

import java.net.URI;
import java.util.Objects;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * One cluster as the gateway reaches it: base URL, a pooled HTTP/2 client whose TLS trusts only the
 * cluster's CA (OpenSSL engine when available), and how identity is carried.
 */
public final class Upstream implements AutoCloseable {
    private final String name;
    private final String base;
    private final HttpClientAgent client;
    private final IdentityCarrier carrier;
    private final UpstreamCredential credential;

    private Upstream(String name, String base, HttpClientAgent client, IdentityCarrier carrier,
                     UpstreamCredential credential) {
        this.name = name;
        this.base = base;
        this.client = client;
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
        HttpClientAgent client = vertx.httpClientBuilder().with(options)
                .with(new PoolOptions().setHttp2MaxSize(2).setHttp1MaxSize(64)).build();
        String base = server.toString().replaceAll("/+$", "");
        return new Upstream(name, base, client, mode.apply(credential), credential);
    }

    public String name() {
        return name;
    }

    /** The absolute upstream URI for a checked path and raw query. */
    public String uri(String path, String rawQuery) {
        return base + path + (rawQuery.isEmpty() ? "" : "?" + rawQuery);
    }

    public HttpClientAgent client() {
        return client;
    }

    public IdentityCarrier carrier() {
        return carrier;
    }

    @Override
    public void close() {
        credential.close();
        client.close();
    }
}
