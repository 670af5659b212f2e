package dev.gatehouse.status;

/**
 * Ends a request with a Kubernetes {@link KubeStatus}. Stages fail their future with it; the chain turns
 * it into the response and the audit event. Has no stack trace: it is an answer, not a bug.
 */
public final class GatewayException extends RuntimeException {
    private final KubeStatus status;

    public GatewayException(KubeStatus status) {
        super(status.message(), null, false, false);
        this.status = status;
    }

    public KubeStatus status() {
        return status;
    }

    public static GatewayException badRequest(String message) {
        return new GatewayException(KubeStatus.of(400, message));
    }

    public static GatewayException unauthorized(String message) {
        return new GatewayException(KubeStatus.of(401, message));
    }

    public static GatewayException forbidden(String message) {
        return new GatewayException(KubeStatus.of(403, message));
    }

    public static GatewayException notFound(String message) {
        return new GatewayException(KubeStatus.of(404, message));
    }

    public static GatewayException methodNotAllowed(String method) {
        return new GatewayException(KubeStatus.of(405, "method " + method + " is not supported"));
    }

    public static GatewayException unavailable(String message) {
        return new GatewayException(KubeStatus.of(503, message));
    }

    public static GatewayException badGateway(String message) {
        return new GatewayException(new KubeStatus(502, "ServiceUnavailable", message));
    }

    public static GatewayException timeout(String message) {
        return new GatewayException(KubeStatus.of(504, message));
    }
}
