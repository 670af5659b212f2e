package dev.gatehouse.sandbox.resource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.gatehouse.sandbox.resource.ResourceType.Subresource;

/**
 * The resource types the sandbox serves, in discovery order. The list follows a real 1.32 apiserver for the
 * types it names (scope, verbs, short names, categories, subresources); everything else is absent on purpose.
 */
public final class ResourceCatalog {
    private static final List<String> CREATE_ONLY = List.of("create");
    private static final List<String> NO_COLLECTION_DELETE =
            List.of("create", "delete", "get", "list", "patch", "update", "watch");
    private static final List<String> STATUS_VERBS = List.of("get", "patch", "update");

    private final List<ResourceType> types;

    private ResourceCatalog(List<ResourceType> types) {
        this.types = List.copyOf(types);
    }

    /** The built-in catalog. */
    public static ResourceCatalog standard() {
        List<ResourceType> t = new ArrayList<>();
        // core/v1
        t.add(stored("", "v1", "configmaps", "ConfigMap", true, List.of("cm"), List.of()));
        t.add(stored("", "v1", "endpoints", "Endpoints", true, List.of("ep"), List.of()));
        t.add(stored("", "v1", "events", "Event", true, List.of("ev"), List.of()));
        t.add(new ResourceType("", "v1", "namespaces", "Namespace", false, NO_COLLECTION_DELETE, List.of("ns"),
                List.of(), List.of(status("Namespace"), new Subresource("finalize", "Namespace", List.of("update"))),
                true));
        t.add(new ResourceType("", "v1", "nodes", "Node", false, ResourceType.CRUD, List.of("no"), List.of(),
                List.of(status("Node")), true));
        t.add(new ResourceType("", "v1", "pods", "Pod", true, ResourceType.CRUD, List.of("po"), List.of("all"),
                List.of(new Subresource("attach", "PodAttachOptions", List.of("create", "get")),
                        new Subresource("exec", "PodExecOptions", List.of("create", "get")),
                        new Subresource("log", "Pod", List.of("get")),
                        new Subresource("portforward", "PodPortForwardOptions", List.of("create", "get")),
                        status("Pod")),
                true));
        t.add(stored("", "v1", "secrets", "Secret", true, List.of(), List.of()));
        t.add(new ResourceType("", "v1", "serviceaccounts", "ServiceAccount", true, ResourceType.CRUD, List.of("sa"),
                List.of(), List.of(new Subresource("token", "TokenRequest", CREATE_ONLY)), true));
        t.add(new ResourceType("", "v1", "services", "Service", true, ResourceType.CRUD, List.of("svc"),
                List.of("all"), List.of(status("Service")), true));
        // apps/v1
        t.add(scalable("apps", "v1", "daemonsets", "DaemonSet", List.of("ds"), false));
        t.add(scalable("apps", "v1", "deployments", "Deployment", List.of("deploy"), true));
        t.add(scalable("apps", "v1", "replicasets", "ReplicaSet", List.of("rs"), true));
        t.add(scalable("apps", "v1", "statefulsets", "StatefulSet", List.of("sts"), true));
        // batch/v1
        t.add(new ResourceType("batch", "v1", "cronjobs", "CronJob", true, ResourceType.CRUD, List.of("cj"),
                List.of("all"), List.of(status("CronJob")), true));
        t.add(new ResourceType("batch", "v1", "jobs", "Job", true, ResourceType.CRUD, List.of(), List.of("all"),
                List.of(status("Job")), true));
        // authentication.k8s.io/v1, authorization.k8s.io/v1: reviews are created, never stored
        t.add(review("authentication.k8s.io", "selfsubjectreviews", "SelfSubjectReview", false));
        t.add(review("authentication.k8s.io", "tokenreviews", "TokenReview", false));
        t.add(review("authorization.k8s.io", "localsubjectaccessreviews", "LocalSubjectAccessReview", true));
        t.add(review("authorization.k8s.io", "selfsubjectaccessreviews", "SelfSubjectAccessReview", false));
        t.add(review("authorization.k8s.io", "selfsubjectrulesreviews", "SelfSubjectRulesReview", false));
        t.add(review("authorization.k8s.io", "subjectaccessreviews", "SubjectAccessReview", false));
        // rbac.authorization.k8s.io/v1
        String rbac = "rbac.authorization.k8s.io";
        t.add(new ResourceType(rbac, "v1", "clusterrolebindings", "ClusterRoleBinding", false, ResourceType.CRUD,
                List.of(), List.of(), List.of(), true));
        t.add(new ResourceType(rbac, "v1", "clusterroles", "ClusterRole", false, ResourceType.CRUD,
                List.of(), List.of(), List.of(), true));
        t.add(stored(rbac, "v1", "rolebindings", "RoleBinding", true, List.of(), List.of()));
        t.add(stored(rbac, "v1", "roles", "Role", true, List.of(), List.of()));
        return new ResourceCatalog(t);
    }

    private static ResourceType stored(String group, String version, String plural, String kind, boolean namespaced,
                                       List<String> shortNames, List<String> categories) {
        return new ResourceType(group, version, plural, kind, namespaced, ResourceType.CRUD, shortNames, categories,
                List.of(), true);
    }

    private static ResourceType scalable(String group, String version, String plural, String kind,
                                         List<String> shortNames, boolean scale) {
        List<Subresource> subs = scale
                ? List.of(new Subresource("scale", "Scale", STATUS_VERBS), status(kind))
                : List.of(status(kind));
        return new ResourceType(group, version, plural, kind, true, ResourceType.CRUD, shortNames, List.of("all"),
                subs, true);
    }

    private static ResourceType review(String group, String plural, String kind, boolean namespaced) {
        return new ResourceType(group, "v1", plural, kind, namespaced, CREATE_ONLY, List.of(), List.of(), List.of(),
                false);
    }

    private static Subresource status(String kind) {
        return new Subresource("status", kind, STATUS_VERBS);
    }

    /** All types, in discovery order. */
    public List<ResourceType> all() {
        return types;
    }

    /** The type served at {@code group/version/plural}. */
    public Optional<ResourceType> find(String group, String version, String plural) {
        return types.stream()
                .filter(t -> t.group().equals(group) && t.version().equals(version) && t.plural().equals(plural))
                .findFirst();
    }

    /** The type of objects with this {@code apiVersion} and {@code kind}. */
    public Optional<ResourceType> byKind(String apiVersion, String kind) {
        return types.stream().filter(t -> t.apiVersion().equals(apiVersion) && t.kind().equals(kind)).findFirst();
    }

    /** Group name to its versions, in discovery order; the core group is left out. */
    public Map<String, Set<String>> groups() {
        Map<String, Set<String>> groups = new LinkedHashMap<>();
        for (ResourceType t : types) {
            if (!t.group().isEmpty()) {
                groups.computeIfAbsent(t.group(), g -> new LinkedHashSet<>()).add(t.version());
            }
        }
        return groups;
    }

    /** The types of one group version. */
    public List<ResourceType> inGroupVersion(String group, String version) {
        return types.stream().filter(t -> t.group().equals(group) && t.version().equals(version)).toList();
    }
}
