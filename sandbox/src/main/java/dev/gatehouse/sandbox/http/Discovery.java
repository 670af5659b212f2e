package dev.gatehouse.sandbox.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.sandbox.resource.Json;
import dev.gatehouse.sandbox.resource.ResourceCatalog;
import dev.gatehouse.sandbox.resource.ResourceType;

/**
 * The discovery documents: {@code /version}, {@code /api}, {@code /apis}, {@code /apis/<group>} and the resource
 * lists {@code /api/v1} and {@code /apis/<group>/<version>}. Only the unaggregated forms are served, with content
 * type {@code application/json}, from which kubectl falls back from aggregated discovery by itself.
 */
final class Discovery {
    /** The Kubernetes version the sandbox claims to be. */
    static final String GIT_VERSION = "v1.32.0";
    /** The version it claims when it refuses WebSocket sessions, as a node of that version does. */
    static final String SPDY_ONLY_GIT_VERSION = "v1.20.2";

    private final ResourceCatalog catalog;
    private final String serverAddress;
    private final boolean webSocketStreams;

    /** @param webSocketStreams whether sessions are served over WebSocket (1.32), else SPDY only (claims 1.20) */
    Discovery(ResourceCatalog catalog, String serverAddress, boolean webSocketStreams) {
        this.catalog = catalog;
        this.serverAddress = serverAddress;
        this.webSocketStreams = webSocketStreams;
    }

    /** The document at a non-resource path, if it is a discovery path. */
    Optional<ObjectNode> document(String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        if (p.equals("/version")) {
            return Optional.of(webSocketStreams ? version("32", GIT_VERSION) : version("20", SPDY_ONLY_GIT_VERSION));
        }
        if (p.equals("/api")) {
            return Optional.of(apiVersions());
        }
        if (p.equals("/apis")) {
            return Optional.of(groupList());
        }
        if (p.equals("/api/v1")) {
            return Optional.of(resourceList("", "v1"));
        }
        String[] parts = p.split("/");
        if (parts.length == 3 && parts[1].equals("apis") && catalog.groups().containsKey(parts[2])) {
            return Optional.of(group(parts[2], catalog.groups().get(parts[2])));
        }
        if (parts.length == 4 && parts[1].equals("apis") && catalog.groups().containsKey(parts[2])
                && catalog.groups().get(parts[2]).contains(parts[3])) {
            return Optional.of(resourceList(parts[2], parts[3]));
        }
        return Optional.empty();
    }

    private static ObjectNode version(String minor, String gitVersion) {
        return Json.object().put("major", "1").put("minor", minor).put("gitVersion", gitVersion)
                .put("gitCommit", "70d3cc986aa8221cd1dfb1121852688902d3bf53").put("gitTreeState", "clean")
                .put("buildDate", "2024-12-11T17:59:15Z").put("goVersion", "go1.23.3").put("compiler", "gc")
                .put("platform", "linux/amd64");
    }

    private ObjectNode apiVersions() {
        ObjectNode doc = Json.object().put("kind", "APIVersions");
        doc.putArray("versions").add("v1");
        doc.putArray("serverAddressByClientCIDRs").addObject().put("clientCIDR", "0.0.0.0/0")
                .put("serverAddress", serverAddress);
        return doc;
    }

    private ObjectNode groupList() {
        ObjectNode doc = Json.object().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = doc.putArray("groups");
        catalog.groups().forEach((name, versions) -> groups.add(groupBody(name, versions)));
        return doc;
    }

    private ObjectNode group(String name, Set<String> versions) {
        ObjectNode doc = Json.object().put("kind", "APIGroup").put("apiVersion", "v1");
        doc.setAll(groupBody(name, versions));
        return doc;
    }

    private static ObjectNode groupBody(String name, Set<String> versions) {
        ObjectNode group = Json.object().put("name", name);
        ArrayNode list = group.putArray("versions");
        for (String v : versions) {
            list.addObject().put("groupVersion", name + "/" + v).put("version", v);
        }
        String preferred = versions.iterator().next();
        group.putObject("preferredVersion").put("groupVersion", name + "/" + preferred).put("version", preferred);
        return group;
    }

    private ObjectNode resourceList(String group, String version) {
        ObjectNode doc = Json.object().put("kind", "APIResourceList").put("apiVersion", "v1")
                .put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode resources = doc.putArray("resources");
        for (ResourceType t : catalog.inGroupVersion(group, version)) {
            ObjectNode r = resources.addObject().put("name", t.plural()).put("singularName", t.singular())
                    .put("namespaced", t.namespaced()).put("kind", t.kind());
            strings(r, "verbs", t.verbs());
            if (!t.shortNames().isEmpty()) {
                strings(r, "shortNames", t.shortNames());
            }
            if (!t.categories().isEmpty()) {
                strings(r, "categories", t.categories());
            }
            for (ResourceType.Subresource s : t.subresources()) {
                ObjectNode sub = resources.addObject().put("name", t.plural() + "/" + s.name()).put("singularName", "")
                        .put("namespaced", t.namespaced()).put("kind", s.kind());
                if (s.kind().equals("Scale")) {
                    sub.put("group", "autoscaling").put("version", "v1");
                }
                strings(sub, "verbs", s.verbs());
            }
        }
        return doc;
    }

    private static void strings(ObjectNode node, String field, List<String> values) {
        ArrayNode array = node.putArray(field);
        values.forEach(array::add);
    }

}
