package dev.gatehouse.e2e;

import java.net.http.HttpResponse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A raw answer from the gateway: status, body, and the {@code Audit-ID} it returned (null: none). */
public record GatewayAnswer(int status, String body, String auditId) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The answer {@code response} carries. */
    public static GatewayAnswer of(HttpResponse<String> response) {
        return new GatewayAnswer(response.statusCode(), response.body(),
                response.headers().firstValue("Audit-ID").orElse(null));
    }

    /** The body as JSON; fails showing the status and body when it is not JSON. */
    public JsonNode json() {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not JSON (" + status + "): " + body, e);
        }
    }
}
