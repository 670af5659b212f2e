package dev.gatehouse.review;

import java.util.Objects;

/**
 * The exact request a review is about. The fingerprint binds an approval to these bytes: a retry is released
 * only when its fingerprint is equal (same requester, cluster, method, path and query, content type and body).
 *
 * @param auditId     the audit id of the request that opened the review
 * @param cluster     the gateway's cluster name
 * @param method      the HTTP method
 * @param uri         the path and query as the cluster would see them
 * @param verb        the Kubernetes verb
 * @param apiGroup    "" for the core group
 * @param resource    e.g. namespaces
 * @param subresource e.g. exec
 * @param namespace   "" for cluster-scoped
 * @param name        "" for collections
 * @param bodySha256  hex SHA-256 of the body ("" when there is none)
 * @param bodyBytes   the body's length
 * @param fingerprint {@link RequestFingerprint} of all of the above and the requester
 */
public record HeldRequest(String auditId, String cluster, String method, String uri, String verb, String apiGroup,
                          String resource, String subresource, String namespace, String name, String bodySha256,
                          long bodyBytes, String fingerprint) {
    public HeldRequest {
        Objects.requireNonNull(auditId, "auditId");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(verb, "verb");
        apiGroup = apiGroup == null ? "" : apiGroup;
        resource = resource == null ? "" : resource;
        subresource = subresource == null ? "" : subresource;
        namespace = namespace == null ? "" : namespace;
        name = name == null ? "" : name;
        bodySha256 = bodySha256 == null ? "" : bodySha256;
        Objects.requireNonNull(fingerprint, "fingerprint");
    }

    /** kubectl-like words for people: "delete namespaces/prod", "create pods/exec web-1 -n prod". */
    public String describe() {
        String what = resource.isEmpty() ? uri : resource + (subresource.isEmpty() ? "" : "/" + subresource)
                + (name.isEmpty() ? "" : " " + name);
        boolean aNamespace = resource.equals("namespaces") && subresource.isEmpty(); // its namespace is itself
        return verb + " " + what + (namespace.isEmpty() || aNamespace ? "" : " -n " + namespace)
                + (cluster.isEmpty() ? "" : " on " + cluster);
    }
}
