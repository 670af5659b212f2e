package dev.gatehouse.authn.oidc;

import java.util.Map;

/**
 * What an issuer vouches for, which sets defaults for claim mapping. CI flavours map their well-known claims
 * to the same attribute names ({@code ci.repository}, {@code ci.ref}, …) so policy reads one vocabulary.
 */
public enum OidcIssuerKind {
    /** People, from a company IdP: username from {@code sub} (or as configured), groups from {@code groups}. */
    PEOPLE("sub", "groups", Map.of()),
    /** GitHub Actions ({@code https://token.actions.githubusercontent.com}): no groups. */
    GITHUB_ACTIONS("sub", null, Map.of(
            "ci.repository", "repository",
            "ci.ref", "ref",
            "ci.sha", "sha",
            "ci.workflow", "workflow",
            "ci.workflow-ref", "job_workflow_ref",
            "ci.actor", "actor",
            "ci.event", "event_name",
            "ci.environment", "environment",
            "ci.run-id", "run_id")),
    /** GitLab CI ({@code https://gitlab.com} or a self-managed instance): no groups. */
    GITLAB_CI("sub", null, Map.of(
            "ci.repository", "project_path",
            "ci.ref", "ref",
            "ci.ref-type", "ref_type",
            "ci.sha", "sha",
            "ci.actor", "user_login",
            "ci.event", "pipeline_source",
            "ci.environment", "environment",
            "ci.pipeline-id", "pipeline_id",
            "ci.job-id", "job_id"));

    private final String defaultUsernameClaim;
    private final String defaultGroupsClaim;
    private final Map<String, String> defaultAttributeClaims;

    OidcIssuerKind(String usernameClaim, String groupsClaim, Map<String, String> attributeClaims) {
        this.defaultUsernameClaim = usernameClaim;
        this.defaultGroupsClaim = groupsClaim;
        this.defaultAttributeClaims = attributeClaims;
    }

    public String defaultUsernameClaim() {
        return defaultUsernameClaim;
    }

    /** The default groups claim, or null when this kind of issuer has no groups. */
    public String defaultGroupsClaim() {
        return defaultGroupsClaim;
    }

    /** Attribute name → claim name. */
    public Map<String, String> defaultAttributeClaims() {
        return defaultAttributeClaims;
    }
}
