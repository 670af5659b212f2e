package dev.gatehouse.review;

import java.time.Duration;
import java.util.List;

import dev.gatehouse.classify.RequestInfo;

/**
 * Which requests a grant's scope covers, and which scopes may be asked for. A request is covered when its cluster
 * is the scope's; its namespace is listed (a scope without namespaces covers only cluster-scoped requests;
 * {@code "*"} covers every namespace, but still no cluster-scoped request); its verb is listed or {@code "*"}; and
 * its resource — {@code resource} or {@code resource/subresource} — is listed, or {@code "*"}, or
 * {@code resource/*} for a subresource. A grant for {@code pods} does not cover {@code pods/exec}. Non-resource
 * requests ({@code /version}) are never covered.
 */
final class GrantScopes {
    private GrantScopes() {
    }

    static boolean covers(Grant.Scope scope, RequestInfo request) {
        return request.resourceRequest()
                && scope.cluster().equals(request.cluster())
                && namespaceCovered(scope.namespaces(), request.namespace())
                && (scope.verbs().contains("*") || scope.verbs().contains(request.verb()))
                && resourceCovered(scope.resources(), request.resource(), request.subresource());
    }

    private static boolean namespaceCovered(List<String> namespaces, String namespace) {
        if (namespace.isEmpty()) {
            return namespaces.isEmpty();
        }
        return namespaces.contains(namespace) || namespaces.contains("*");
    }

    private static boolean resourceCovered(List<String> resources, String resource, String subresource) {
        if (resource.isEmpty()) {
            return false;
        }
        if (resources.contains("*")) {
            return true;
        }
        if (subresource.isEmpty()) {
            return resources.contains(resource);
        }
        return resources.contains(resource + "/" + subresource) || resources.contains(resource + "/*");
    }

    /** @throws ReviewException 400 naming what is wrong with the scope or the duration */
    static void validate(Grant.Scope scope, Duration duration, Duration max) {
        if (scope == null || scope.cluster().isBlank()) {
            throw bad("scope.cluster: " + (scope == null ? null : "\"" + scope.cluster() + "\"")
                    + " (expected: a cluster name)");
        }
        nonEmpty("scope.verbs", scope.verbs());
        nonEmpty("scope.resources", scope.resources());
        if (scope.namespaces().stream().anyMatch(String::isBlank)) {
            throw bad("scope.namespaces: " + scope.namespaces() + " (expected: no blank names)");
        }
        if (duration == null || duration.isNegative() || duration.isZero() || duration.compareTo(max) > 0) {
            throw bad("duration: " + duration + " (expected: > 0 and <= " + max + ")");
        }
    }

    private static void nonEmpty(String name, List<String> values) {
        if (values.isEmpty() || values.stream().anyMatch(String::isBlank)) {
            throw bad(name + ": " + values + " (expected: at least one non-blank entry, \"*\" for any)");
        }
    }

    private static ReviewException bad(String message) {
        return new ReviewException(400, message);
    }
}
