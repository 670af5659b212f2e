package dev.gatehouse.authn.oidc;

import java.net.URI;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * Fetches an issuer's keys the OIDC way, with the Vert.x HTTP client (never blocking an event loop): the
 * discovery document at {@code <issuer>/.well-known/openid-configuration}, whose {@code issuer} must equal
 * the configured one exactly, then its {@code jwks_uri}. Only public signing keys are kept. The jwks_uri is
 * remembered after the first successful discovery.
 */
public final class HttpJwksFetcher implements JwksFetcher {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 512 * 1024;
    private static final long TIMEOUT_MS = 10_000;

    private final HttpClientAgent client;
    private final String issuerUrl;
    private final String key;
    private volatile String jwksUri;

    /**
     * @param vertx     the Vert.x instance the client runs on
     * @param issuerUrl the exact issuer identifier
     * @param caFile    PEM CAs trusted for the IdP's TLS, or null for the JVM's default trust
     * @param key       the configuration key, for error messages (e.g. {@code authentication.oidc[0]})
     */
    public HttpJwksFetcher(Vertx vertx, String issuerUrl, Path caFile, String key) {
        this.issuerUrl = Objects.requireNonNull(issuerUrl, "issuerUrl");
        this.key = key;
        HttpClientOptions options = new HttpClientOptions()
                .setConnectTimeout((int) TIMEOUT_MS)
                .setVerifyHost(true);
        if (caFile != null) {
            options.setTrustOptions(new PemTrustOptions().addCertPath(caFile.toString()));
        }
        this.client = vertx.createHttpClient(options);
    }

    /** Builds the fetcher for one configured issuer. */
    public static HttpJwksFetcher of(Vertx vertx, OidcIssuerConfig config) {
        return new HttpJwksFetcher(vertx, config.issuerUrl(), config.caFile(), config.key());
    }

    @Override
    public Future<JWKSet> fetch() {
        Future<String> uri = jwksUri != null ? Future.succeededFuture(jwksUri) : discover();
        return uri.compose(this::get).map(this::parseKeys);
    }

    private Future<String> discover() {
        String base = issuerUrl.endsWith("/") ? issuerUrl.substring(0, issuerUrl.length() - 1) : issuerUrl;
        return get(base + "/.well-known/openid-configuration").map(body -> {
            JsonNode doc;
            try {
                doc = JSON.readTree(body.getBytes());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(key + ".issuerUrl: the discovery document is not JSON");
            }
            String issuer = doc.path("issuer").asText("");
            if (!issuer.equals(issuerUrl)) {
                throw new IllegalStateException(key + ".issuerUrl: the discovery document names issuer '" + issuer
                        + "' (expected: exactly " + issuerUrl + ")");
            }
            String uri = doc.path("jwks_uri").asText("");
            URI parsed = URI.create(uri);
            boolean ok = "https".equals(parsed.getScheme())
                    || ("http".equals(parsed.getScheme()) && OidcIssuerConfig.isLoopback(parsed.getHost()));
            if (!ok) {
                throw new IllegalStateException(key + ".issuerUrl: the discovery document's jwks_uri '" + uri
                        + "' is not an https URL");
            }
            jwksUri = uri;
            return uri;
        });
    }

    private Future<Buffer> get(String url) {
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
                .setIdleTimeout(TIMEOUT_MS).putHeader("Accept", "application/json");
        return client.request(request).compose(req -> req.send().compose(resp -> {
            if (resp.statusCode() != 200) {
                resp.end();
                return Future.failedFuture(new IllegalStateException(key + ": GET " + url + " answered "
                        + resp.statusCode()));
            }
            String length = resp.getHeader("Content-Length");
            if (length != null && Long.parseLong(length) > MAX_BODY) {
                return Future.failedFuture(new IllegalStateException(key + ": GET " + url + " is too large"));
            }
            return resp.body();
        }));
    }

    private JWKSet parseKeys(Buffer body) {
        if (body.length() > MAX_BODY) {
            throw new IllegalStateException(key + ": the JWKS is too large");
        }
        try {
            List<JWK> keys = JWKSet.parse(body.toString()).getKeys().stream()
                    .filter(k -> k.getKeyUse() == null || KeyUse.SIGNATURE.equals(k.getKeyUse()))
                    .map(JWK::toPublicJWK)
                    .filter(Objects::nonNull)
                    .toList();
            return new JWKSet(keys);
        } catch (ParseException e) {
            throw new IllegalStateException(key + ": the JWKS cannot be parsed: " + e.getMessage());
        }
    }

    /** Closes the HTTP client. */
    public Future<Void> close() {
        return client.close();
    }
}
