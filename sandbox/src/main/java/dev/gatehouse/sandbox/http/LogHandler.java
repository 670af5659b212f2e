package dev.gatehouse.sandbox.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;

import dev.gatehouse.sandbox.resource.ApiException;
import dev.gatehouse.sandbox.resource.ResourceType;
import dev.gatehouse.sandbox.store.ObjectStore;

/**
 * {@code pods/log}: deterministic fake log lines, {@code <pod>/<container> line N: ...}, one every five seconds of
 * the container's life so far (the first {@value #HISTORY} of them), honouring {@code container}, {@code tailLines},
 * {@code timestamps} and {@code limitBytes}. With {@code follow=true} a new line is streamed every
 * {@code followInterval} until the client goes away, the pod is deleted, or {@value #MAX_FOLLOWED} lines were sent.
 * A pod annotated {@value #PRINTS} prints that annotation's lines after its history, so a test can make a pod log a
 * given line (a planted key, say).
 */
final class LogHandler {
    static final int HISTORY = 10;
    /** The annotation whose lines a pod prints after its history. */
    static final String PRINTS = "sandbox.gatehouse.dev/prints";
    static final int MAX_FOLLOWED = 3000;
    private static final DateTimeFormatter NANOS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final Vertx vertx;
    private final ObjectStore store;
    private final long followIntervalMillis;

    LogHandler(Vertx vertx, ObjectStore store, long followIntervalMillis) {
        this.vertx = vertx;
        this.store = store;
        this.followIntervalMillis = followIntervalMillis;
    }

    void handle(Exchange ex, RequestInfo info, ResourceType pods) {
        ObjectNode pod = store.require(pods, info.namespace(), info.name());
        String container = Containers.resolve(pod, ex.param("container"));
        boolean timestamps = QueryFlags.flag(ex.request(), "timestamps");
        if (QueryFlags.flag(ex.request(), "previous")) {
            throw ApiException.badRequest("previous terminated container \"" + container + "\" in pod \""
                    + info.name() + "\" not found");
        }
        Instant started = startedAt(pod, container);
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= HISTORY; i++) {
            lines.add(line(pod, container, i, started.plusSeconds(5L * i), timestamps));
        }
        for (String printed : pod.path("metadata").path("annotations").path(PRINTS).asText("").lines().toList()) {
            lines.add(timestamps ? NANOS.format(started.plusSeconds(5L * HISTORY)) + " " + printed + "\n"
                    : printed + "\n");
        }
        int tail = tailLines(ex.param("tailLines"));
        if (tail >= 0 && tail < lines.size()) {
            lines = lines.subList(lines.size() - tail, lines.size());
        }
        String text = String.join("", lines);
        String limit = ex.param("limitBytes");
        if (limit != null && !limit.isEmpty()) {
            text = text.substring(0, (int) Math.min(text.length(), Long.parseLong(limit)));
        }
        HttpServerResponse response = ex.response(200, "text/plain");
        if (!QueryFlags.flag(ex.request(), "follow")) {
            response.end(text);
            return;
        }
        response.setChunked(true);
        response.write(text);
        follow(response, pods, pod, container, timestamps);
    }

    private void follow(HttpServerResponse response, ResourceType pods, ObjectNode pod, String container,
                        boolean timestamps) {
        String ns = pod.path("metadata").path("namespace").asText();
        String name = pod.path("metadata").path("name").asText();
        String uid = pod.path("metadata").path("uid").asText();
        int[] next = {HISTORY + 1};
        long timer = vertx.setPeriodic(followIntervalMillis, id -> {
            boolean podGone = store.get(pods, ns, name)
                    .map(p -> !p.path("metadata").path("uid").asText().equals(uid)).orElse(true);
            if (podGone || next[0] > HISTORY + MAX_FOLLOWED) {
                vertx.cancelTimer(id);
                if (!response.ended()) {
                    response.end();
                }
                return;
            }
            response.write(line(pod, container, next[0]++, Instant.now(), timestamps));
        });
        response.closeHandler(v -> vertx.cancelTimer(timer));
        response.exceptionHandler(t -> vertx.cancelTimer(timer));
    }

    /** One log line, the same for the same pod, container and number. */
    static String line(ObjectNode pod, String container, int n, Instant time, boolean timestamps) {
        String pod1 = pod.path("metadata").path("name").asText();
        String text = pod1 + "/" + container + " line " + n + ": GET /api/items/" + (n % 17) + " 200 "
                + ((n * 37) % 90 + 3) + "ms\n";
        return timestamps ? NANOS.format(time) + " " + text : text;
    }

    private static Instant startedAt(ObjectNode pod, String container) {
        for (JsonNode cs : pod.path("status").path("containerStatuses")) {
            if (cs.path("name").asText().equals(container)) {
                String started = cs.path("state").path("running").path("startedAt").asText("");
                if (!started.isEmpty()) {
                    return Instant.parse(started);
                }
            }
        }
        String created = pod.path("metadata").path("creationTimestamp").asText("");
        return created.isEmpty() ? Instant.EPOCH : Instant.parse(created);
    }

    private static int tailLines(String value) {
        if (value == null || value.isEmpty()) {
            return -1;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("tailLines: " + value + " (expected: an integer)");
        }
    }
}
