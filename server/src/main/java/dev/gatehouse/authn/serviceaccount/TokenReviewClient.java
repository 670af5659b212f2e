package dev.gatehouse.authn.serviceaccount;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * Posts {@code authentication.k8s.io/v1} TokenReviews to one cluster with the gateway's credential, using the
 * Vert.x HTTP client (never blocking). The gateway's token file is read asynchronously and re-read every
 * minute. Fails the future when the review cannot be done (network, 401/403 for the gateway, 5xx); a token
 * the cluster refuses is an answer, not a failure.
 */
public final class TokenReviewClient {
    static final String PATH = "/apis/authentication.k8s.io/v1/tokenreviews";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_MS = 10_000;
    private static final long TOKEN_REREAD_NANOS = Duration.ofMinutes(1).toNanos();

    private final Vertx vertx;
    private final ServiceAccountConfig config;
    private final HttpClientAgent client;
    private volatile String gatewayToken;
    private volatile long tokenReadAt;

    public TokenReviewClient(Vertx vertx, ServiceAccountConfig config) {
        this.vertx = vertx;
        this.config = config;
        HttpClientOptions options = new HttpClientOptions().setConnectTimeout((int) TIMEOUT_MS).setVerifyHost(true);
        if (config.caFile() != null) {
            options.setTrustOptions(new PemTrustOptions().addCertPath(config.caFile().toString()));
        }
        if (config.clientCertFile() != null) {
            options.setKeyCertOptions(new PemKeyCertOptions().addCertPath(config.clientCertFile().toString())
                    .addKeyPath(config.clientKeyFile().toString()));
        }
        this.client = vertx.createHttpClient(options);
    }

    /** Asks the cluster about a token. */
    public Future<TokenReviewStatus> review(String token) {
        ObjectNode body = JSON.createObjectNode();
        body.put("apiVersion", "authentication.k8s.io/v1").put("kind", "TokenReview");
        ObjectNode spec = body.putObject("spec");
        spec.put("token", token);
        if (!config.audiences().isEmpty()) {
            config.audiences().forEach(spec.putArray("audiences")::add);
        }
        Buffer payload = Buffer.buffer(body.toString());
        return gatewayToken().compose(credential -> {
            RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST)
                    .setAbsoluteURI(base() + PATH).setIdleTimeout(TIMEOUT_MS)
                    .putHeader("Content-Type", "application/json").putHeader("Accept", "application/json");
            if (credential != null) {
                request.putHeader("Authorization", "Bearer " + credential);
            }
            return client.request(request).compose(req -> req.send(payload)).compose(resp -> {
                if (resp.statusCode() != 200 && resp.statusCode() != 201) {
                    int code = resp.statusCode();
                    resp.end();
                    String why = code == 401 || code == 403
                            ? "the gateway's credential may not create TokenReviews (" + code + ")"
                            : "the API server answered " + code;
                    return Future.failedFuture(new IllegalStateException(config.key() + ": " + why));
                }
                return resp.body().map(TokenReviewClient::parse);
            });
        });
    }

    /** Closes the HTTP client. */
    public Future<Void> close() {
        return client.close();
    }

    private String base() {
        String url = config.apiServerUrl();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private Future<String> gatewayToken() {
        if (config.tokenFile() == null) {
            return Future.succeededFuture(null);
        }
        String cached = gatewayToken;
        if (cached != null && System.nanoTime() - tokenReadAt < TOKEN_REREAD_NANOS) {
            return Future.succeededFuture(cached);
        }
        return vertx.fileSystem().readFile(config.tokenFile().toString()).map(b -> {
            String t = b.toString().strip();
            gatewayToken = t;
            tokenReadAt = System.nanoTime();
            return t;
        });
    }

    static TokenReviewStatus parse(Buffer body) {
        JsonNode status;
        try {
            status = JSON.readTree(body.getBytes()).path("status");
        } catch (IOException e) {
            throw new IllegalStateException("the TokenReview answer is not JSON");
        }
        JsonNode user = status.path("user");
        Map<String, List<String>> extra = new LinkedHashMap<>();
        user.path("extra").properties().forEach(e -> extra.put(e.getKey(), strings(e.getValue())));
        return new TokenReviewStatus(status.path("authenticated").asBoolean(false), user.path("username").asText(""),
                user.path("uid").asText(""), strings(user.path("groups")), extra, strings(status.path("audiences")),
                status.path("error").asText(""));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
