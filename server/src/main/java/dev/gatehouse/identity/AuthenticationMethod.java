package dev.gatehouse.identity;

/** How an identity was verified; the wire name appears in the audit log. */
public enum AuthenticationMethod {
    /** A static bearer token from the token file: the break-glass and bootstrap method. */
    STATIC_TOKEN("static-token", true),
    /** An OIDC ID or access token from a configured issuer (people, CI pipelines). */
    OIDC("oidc", false),
    /** A Kubernetes service-account token verified with the TokenReview API. */
    SERVICE_ACCOUNT("service-account", false),
    /** A Gatehouse-issued delegated token carrying an actor chain (RFC 8693 token exchange). */
    DELEGATED("delegated", false);

    private final String wireName;
    private final boolean breakGlass;

    AuthenticationMethod(String wireName, boolean breakGlass) {
        this.wireName = wireName;
        this.breakGlass = breakGlass;
    }

    public String wireName() {
        return wireName;
    }

    /** True for methods that exist for emergencies and bootstrap; audit events mark them. */
    public boolean breakGlass() {
        return breakGlass;
    }
}
