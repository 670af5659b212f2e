package dev.gatehouse.status;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A Kubernetes {@code meta.k8s.io/v1 Status} failure, the shape kubectl prints for every error
 * ({@code Error from server (Forbidden): ...}).
 *
 * @param code    the HTTP status code
 * @param reason  the machine-readable reason (Unauthorized, Forbidden, NotFound, BadRequest, ...)
 * @param message a sentence a person can act on; never contains a token or a Secret value
 */
public record KubeStatus(int code, String reason, String message) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The Status as JSON bytes. */
    public String toJson() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.put("metadata", Map.of());
        status.put("status", "Failure");
        status.put("message", message);
        status.put("reason", reason);
        status.put("code", code);
        try {
            return JSON.writeValueAsString(status);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KubeStatus of(int code, String message) {
        return new KubeStatus(code, reasonFor(code), message);
    }

    static String reasonFor(int code) {
        return switch (code) {
            case 400 -> "BadRequest";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 405 -> "MethodNotAllowed";
            case 409 -> "Conflict";
            case 413 -> "RequestEntityTooLarge";
            case 415 -> "UnsupportedMediaType";
            case 429 -> "TooManyRequests";
            case 501 -> "NotImplemented";
            case 502, 503 -> "ServiceUnavailable";
            case 504 -> "Timeout";
            default -> code >= 500 ? "InternalError" : "BadRequest";
        };
    }
}
