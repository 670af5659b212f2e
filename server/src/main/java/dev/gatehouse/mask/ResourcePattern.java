package dev.gatehouse.mask;

import java.util.Locale;

import dev.gatehouse.classify.RequestInfo;

/**
 * Which resources a masking rule covers: {@code resource} (core group), {@code group/resource}, with {@code *} for
 * any group or any resource, and the group word {@code custom} for every custom resource (a group with a dot that
 * does not end in {@code .k8s.io}: a CRD's group must hold a dot, and {@code *.k8s.io} is reserved for Kubernetes).
 * A pattern covers the resource and its subresources except {@code proxy} (whose bodies are not API objects).
 *
 * @param group    the API group, "" for core, {@code *} or {@code custom}
 * @param resource the plural resource name or {@code *}
 */
public record ResourcePattern(String group, String resource) {
    public static final String CUSTOM = "custom";

    public ResourcePattern {
        if (resource == null || resource.isBlank() || !resource.equals(resource.toLowerCase(Locale.ROOT))
                || resource.contains("/")) {
            throw new IllegalArgumentException("resource: \"" + resource + "\" (expected: a lower-case plural"
                    + " resource name or *)");
        }
        group = group == null ? "" : group;
        if (group.equals("core")) {
            group = "";
        }
        if (!group.equals(group.toLowerCase(Locale.ROOT)) || group.contains("/")) {
            throw new IllegalArgumentException("group: \"" + group + "\" (expected: a lower-case API group, * or custom)");
        }
    }

    /** Parses {@code resource} or {@code group/resource}. */
    public static ResourcePattern parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("\"" + text + "\" (expected: resource or group/resource)");
        }
        int slash = text.indexOf('/');
        if (slash != text.lastIndexOf('/')) {
            throw new IllegalArgumentException("\"" + text + "\" (expected: resource or group/resource)");
        }
        return slash < 0 ? new ResourcePattern("", text) : new ResourcePattern(text.substring(0, slash),
                text.substring(slash + 1));
    }

    /** True when the request reads (or writes) a resource this pattern covers. */
    public boolean covers(RequestInfo info) {
        if (info == null || !info.resourceRequest() || info.subresource().equals("proxy")) {
            return false;
        }
        String g = info.apiGroup();
        if (!(g.isEmpty() ? info.apiPrefix().equals("api") : info.apiPrefix().equals("apis"))) {
            return false;
        }
        boolean groupOk = switch (group) {
            case "*" -> true;
            case CUSTOM -> custom(g);
            default -> group.equals(g);
        };
        return groupOk && (resource.equals("*") || resource.equals(info.resource()));
    }

    static boolean custom(String group) {
        return group.indexOf('.') > 0 && !group.endsWith(".k8s.io") && !group.equals("k8s.io");
    }

    @Override
    public String toString() {
        return group.isEmpty() ? resource : group + "/" + resource;
    }
}
