package dev.gatehouse.sandbox.http;

import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import dev.gatehouse.sandbox.resource.ApiException;
import dev.gatehouse.sandbox.resource.Json;

/** One request being served: the request, its whole body, who it acts as, and how to answer it. */
final class Exchange {
    static final String JSON = "application/json";

    private final HttpServerRequest request;
    private final byte[] body;
    private final String auditId = UUID.randomUUID().toString();
    private Identity identity;

    Exchange(HttpServerRequest request, byte[] body) {
        this.request = request;
        this.body = body;
    }

    HttpServerRequest request() {
        return request;
    }

    byte[] body() {
        return body;
    }

    Identity identity() {
        return identity;
    }

    void identity(Identity identity) {
        this.identity = identity;
    }

    /** A query parameter, or {@code null}. */
    String param(String name) {
        return request.getParam(name);
    }

    String header(String name) {
        return request.getHeader(name);
    }

    /** The response with the headers every apiserver response carries. */
    HttpServerResponse response(int status, String contentType) {
        HttpServerResponse response = request.response();
        response.setStatusCode(status);
        response.putHeader("Content-Type", contentType);
        response.putHeader("Cache-Control", "no-cache, private");
        response.putHeader("Audit-Id", auditId);
        return response;
    }

    void respond(int status, JsonNode body) {
        if (request.response().ended()) {
            return;
        }
        response(status, JSON).end(Buffer.buffer(Json.bytes(body)));
    }

    void fail(ApiException e) {
        if (request.response().headWritten()) {
            request.response().reset();
            return;
        }
        respond(e.code(), e.toStatus());
    }
}
