package dev.gatehouse.classify;

import java.util.Objects;

/**
 * What a request asks of a cluster, classified by the same rules as the apiserver's
 * {@code RequestInfoFactory}. Empty strings, never null, for absent parts.
 *
 * @param cluster         the gateway's name of the target cluster
 * @param path            the path as the cluster will see it (after {@code /clusters/<name>})
 * @param resourceRequest true for {@code /api} and {@code /apis} resource paths, false for non-resource URLs
 * @param verb            get, list, watch, create, update, patch, delete, deletecollection; for
 *                        non-resource URLs the lower-cased HTTP method
 * @param apiPrefix       "api" or "apis" for resource requests
 */
public record RequestInfo(String cluster, String path, boolean resourceRequest, String verb, String apiPrefix,
                          String apiGroup, String apiVersion, String namespace, String resource, String subresource,
                          String name) {

    public RequestInfo {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(verb, "verb");
        apiPrefix = nz(apiPrefix);
        apiGroup = nz(apiGroup);
        apiVersion = nz(apiVersion);
        namespace = nz(namespace);
        resource = nz(resource);
        subresource = nz(subresource);
        name = nz(name);
    }

    /** A request to a non-resource URL such as {@code /version} or {@code /openapi/v3}. */
    public static RequestInfo nonResource(String cluster, String path, String verb) {
        return new RequestInfo(cluster, path, false, verb, "", "", "", "", "", "", "");
    }

    /** True for verbs that change state in the cluster. */
    public boolean mutating() {
        return switch (verb) {
            case "create", "update", "patch", "delete", "deletecollection" -> true;
            default -> !resourceRequest && !verb.equals("get") && !verb.equals("head") && !verb.equals("options");
        };
    }

    /** True for requests that stay open: watches, followed logs, and protocol upgrades. */
    public boolean longRunning(boolean follow) {
        return verb.equals("watch")
                || (subresource.equals("log") && follow)
                || subresource.equals("exec") || subresource.equals("attach") || subresource.equals("portforward")
                || subresource.equals("proxy");
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
