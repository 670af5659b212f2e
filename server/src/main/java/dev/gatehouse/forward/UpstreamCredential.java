package dev.gatehouse.forward;

/**
 * The gateway's own credential for a cluster. Bearer tokens are added per request (so a rotated token file
 * is picked up); client certificates are part of the upstream TLS configuration instead.
 */
public interface UpstreamCredential {
    /** The bearer token to send, or null when the credential is a client certificate. */
    String bearerToken();

    /** Stops any background refresh. */
    default void close() {
    }

    /** A fixed token (from a kubeconfig's {@code token}). */
    static UpstreamCredential token(String token) {
        return () -> token;
    }

    /** No bearer token: the gateway authenticates with a TLS client certificate. */
    static UpstreamCredential clientCertificate() {
        return () -> null;
    }
}
