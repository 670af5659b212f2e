package dev.gatehouse.sandbox.resource;

import java.util.List;
import java.util.Objects;

/**
 * One kind of object the sandbox serves, as discovery describes it: group, version, plural resource name,
 * kind, scope, verbs and the aliases kubectl resolves ({@code po}, {@code deploy}).
 *
 * @param group        API group, {@code ""} for the core group
 * @param version      API version, e.g. {@code v1}
 * @param plural       resource name in URLs, e.g. {@code pods}
 * @param kind         object kind, e.g. {@code Pod}
 * @param namespaced   whether objects live in a namespace
 * @param verbs        verbs discovery lists
 * @param shortNames   aliases, e.g. {@code po}
 * @param categories   categories, e.g. {@code all}
 * @param subresources subresources discovery lists, e.g. {@code log}
 * @param stored       whether objects are kept in the store (false for review-style resources that are only created)
 */
public record ResourceType(String group, String version, String plural, String kind, boolean namespaced,
                           List<String> verbs, List<String> shortNames, List<String> categories,
                           List<Subresource> subresources, boolean stored) {

    /** The verbs of an ordinary stored collection. */
    public static final List<String> CRUD =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    public ResourceType {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(plural, "plural");
        Objects.requireNonNull(kind, "kind");
        verbs = List.copyOf(verbs);
        shortNames = List.copyOf(shortNames);
        categories = List.copyOf(categories);
        subresources = List.copyOf(subresources);
    }

    /** A subresource such as {@code pods/log}: its name, the kind it reads or writes and its verbs. */
    public record Subresource(String name, String kind, List<String> verbs) {
        public Subresource {
            verbs = List.copyOf(verbs);
        }
    }

    /** {@code v1} or {@code apps/v1}, as in an object's {@code apiVersion}. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** The lower-case singular name, e.g. {@code pod}. */
    public String singular() {
        return kind.toLowerCase(java.util.Locale.ROOT);
    }

    /** {@code plural} or {@code plural.group}, as in error messages ({@code deployments.apps "web" not found}). */
    public String qualifiedName() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    /** The collection path prefix: {@code /api/v1} or {@code /apis/apps/v1}. */
    public String groupVersionPath() {
        return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    }

    /** Whether discovery lists the named subresource. */
    public boolean hasSubresource(String name) {
        return subresources.stream().anyMatch(s -> s.name().equals(name));
    }

    /** Whether this type supports the given verb. */
    public boolean supports(String verb) {
        return verbs.contains(verb);
    }
}
