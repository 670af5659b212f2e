package dev.gatehouse.mask;

import java.util.List;

import dev.gatehouse.classify.RequestInfo;

/**
 * Which responses are masked, decided by the request (its {@link RequestInfo}), never by a {@code kind} in the body:
 * list items carry no kind and field order is not guaranteed. Every masked resource is masked with the Secret shape
 * ({@link JsonMasker}): the values under {@code data} and {@code stringData} of the top-level object, of each
 * {@code items[*]}, of a watch event's {@code object}, of each Table {@code rows[*].object}, and of the object inside
 * the {@code kubectl.kubernetes.io/last-applied-configuration} annotation.
 *
 * @param resources the masked resources
 */
public record MaskRules(List<Resource> resources) {
    /** Core-group Secrets, the default. */
    public static final MaskRules SECRETS = new MaskRules(List.of(new Resource("", "secrets")));

    public MaskRules {
        resources = List.copyOf(resources);
    }

    /**
     * A masked resource.
     *
     * @param group    the API group, "" for the core group
     * @param resource the plural resource name
     */
    public record Resource(String group, String resource) {
        public Resource {
            if (resource == null || resource.isBlank()) {
                throw new IllegalArgumentException("masked resource: \"" + resource + "\" (expected: a resource name)");
            }
            group = group == null ? "" : group;
        }
    }

    /**
     * True when responses to this request must be masked. A request the gateway could not classify is masked too
     * (fail closed).
     */
    public boolean masks(RequestInfo info) {
        if (info == null) {
            return true;
        }
        if (!info.resourceRequest()) {
            return false;
        }
        for (Resource r : resources) {
            if (r.resource().equals(info.resource()) && r.group().equals(info.apiGroup())
                    && (r.group().isEmpty() ? info.apiPrefix().equals("api") : info.apiPrefix().equals("apis"))) {
                return true;
            }
        }
        return false;
    }
}
