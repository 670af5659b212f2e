package dev.gatehouse.bench.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;

/**
 * One user's HTTP/2 client of one endpoint (the gateway, or the sandbox directly), as client-go talks: TLS with ALPN
 * {@code h2}, a bearer token, up to {@code connections} connections of at most 100 streams each. Answers carry the
 * {@link System#nanoTime()} at which their body was complete, taken on the client's event loop.
 */
final class ApiClient implements AutoCloseable {
    /** An answer: its status, its body, and when it had arrived whole. */
    record Answer(int status, String body, long doneNanos) {
    }

    private final HttpClient client;
    private final int port;
    private final String token;

    ApiClient(Vertx vertx, Path caFile, int port, String token, int connections) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setUseAlpn(true)
                        .setProtocolVersion(HttpVersion.HTTP_2)
                        .setTrustOptions(new PemTrustOptions().addCertPath(caFile.toString()))
                        .setHttp2MultiplexingLimit(ReviewBenchOptions.STREAMS_PER_CONNECTION)
                        .setConnectTimeout(60_000).setIdleTimeout(0),
                new PoolOptions().setHttp2MaxSize(connections).setHttp1MaxSize(connections)
                        .setMaxWaitQueueSize(-1));
        this.port = port;
        this.token = token;
    }

    /** {@code method path} with this client's token and {@code body} (JSON) when not null. */
    Future<Answer> send(HttpMethod method, String path, String body) {
        RequestOptions request = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port)
                .setURI(path).putHeader("Authorization", "Bearer " + token).putHeader("Accept", "application/json")
                .setTimeout(600_000);
        return client.request(request).compose(r -> {
            if (body != null) {
                r.putHeader("Content-Type", "application/json");
            }
            return (body == null ? r.send() : r.send(body)).compose(resp -> resp.body()
                    .map(b -> new Answer(resp.statusCode(), b.toString(), System.nanoTime())));
        });
    }

    Future<Answer> get(String path) {
        return send(HttpMethod.GET, path, null);
    }

    /** Pending reviews this caller may see, newest first, at most {@code limit} (the API caps it at 500). */
    Future<List<JsonObject>> pendingReviews(int limit) {
        return get("/gatehouse/v1/reviews?state=pending&limit=" + limit).map(a -> {
            if (a.status() != 200) {
                throw new IllegalStateException("GET /gatehouse/v1/reviews answered " + a.status() + ": " + a.body());
            }
            JsonArray items = new JsonObject(a.body()).getJsonArray("items", new JsonArray());
            List<JsonObject> list = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                list.add(items.getJsonObject(i));
            }
            return list;
        });
    }

    /** Approves review {@code id} as this client's user (an empty body: no reason). */
    Future<Answer> approve(String id) {
        return send(HttpMethod.POST, "/gatehouse/v1/reviews/" + id + "/approve", null);
    }

    @Override
    public void close() {
        client.close();
    }
}
