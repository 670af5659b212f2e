package dev.gatehouse.api;

import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.gatehouse.audit.AuditEventJson;
import dev.gatehouse.status.KubeStatus;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/** How the control APIs answer: JSON bodies, and refusals as Kubernetes {@code Status}. */
final class Replies {
    private Replies() {
    }

    /** Ends the request with {@code status} as a {@code Status} document, unless it has already ended. */
    static void end(HttpServerRequest request, KubeStatus status) {
        HttpServerResponse response = request.response();
        if (!response.ended() && !response.closed()) {
            response.setStatusCode(status.code()).putHeader("Content-Type", "application/json").end(status.toJson());
        }
    }

    /** Ends the request with {@code code} and {@code value} as JSON, unless it has already ended. */
    static void json(HttpServerRequest request, int code, Object value) {
        HttpServerResponse response = request.response();
        if (!response.ended() && !response.closed()) {
            response.setStatusCode(code).putHeader("Content-Type", "application/json").end(json(value));
        }
    }

    /** {@code value} as JSON text (instants as RFC 3339). */
    static String json(Object value) {
        try {
            return AuditEventJson.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code text} cut to 40 characters, for echoing a caller's input in a message. */
    static String shorten(String text) {
        if (text == null) {
            return "";
        }
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
