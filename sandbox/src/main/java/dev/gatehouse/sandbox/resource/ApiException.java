package dev.gatehouse.sandbox.resource;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A failed API request, carrying what goes back to the client as a Kubernetes {@code Status}: the HTTP code, the
 * machine-readable reason kubectl switches on, a message a person can act on, and the object it is about.
 */
public final class ApiException extends RuntimeException {
    private final int code;
    private final String reason;
    private final String name;
    private final String group;
    private final String kind;

    public ApiException(int code, String reason, String message, String name, String group, String kind) {
        super(message);
        this.code = code;
        this.reason = reason;
        this.name = name;
        this.group = group;
        this.kind = kind;
    }

    public static ApiException notFound(ResourceType type, String name) {
        return new ApiException(404, "NotFound", type.qualifiedName() + " \"" + name + "\" not found", name,
                type.group(), type.plural());
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "NotFound", message, null, null, null);
    }

    public static ApiException alreadyExists(ResourceType type, String name) {
        return new ApiException(409, "AlreadyExists", type.qualifiedName() + " \"" + name + "\" already exists", name,
                type.group(), type.plural());
    }

    public static ApiException conflict(ResourceType type, String name) {
        return new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + type.qualifiedName() + " \""
                + name + "\": the object has been modified; please apply your changes to the latest version and try"
                + " again", name, type.group(), type.plural());
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "BadRequest", message, null, null, null);
    }

    public static ApiException invalid(ResourceType type, String name, String message) {
        return new ApiException(422, "Invalid", type.kind() + " \"" + (name == null ? "" : name) + "\" is invalid: "
                + message, name, type.group(), type.kind());
    }

    public static ApiException unsupportedMediaType(String contentType) {
        return new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                + "accepted media types include: application/json, application/yaml, "
                + "application/vnd.kubernetes.protobuf (got: " + contentType + ")", null, null, null);
    }

    public static ApiException methodNotAllowed(String verb, ResourceType type) {
        return new ApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested "
                + "resource (" + verb + " " + type.qualifiedName() + ")", null, type.group(), type.plural());
    }

    public static ApiException gone(String message) {
        return new ApiException(410, "Expired", message, null, null, null);
    }

    public static ApiException unauthorized() {
        return new ApiException(401, "Unauthorized", "Unauthorized", null, null, null);
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    /** The {@code Status} object sent to the client. */
    public ObjectNode toStatus() {
        ObjectNode status = Json.object();
        status.put("kind", "Status").put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure").put("message", getMessage()).put("reason", reason);
        if (name != null || kind != null) {
            ObjectNode details = status.putObject("details");
            if (name != null) {
                details.put("name", name);
            }
            if (group != null && !group.isEmpty()) {
                details.put("group", group);
            }
            if (kind != null) {
                details.put("kind", kind);
            }
        }
        status.put("code", code);
        return status;
    }
}
