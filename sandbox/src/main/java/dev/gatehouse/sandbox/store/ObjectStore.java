package dev.gatehouse.sandbox.store;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.sandbox.resource.ApiException;
import dev.gatehouse.sandbox.resource.Json;
import dev.gatehouse.sandbox.resource.ResourceType;

/**
 * The sandbox's in-memory object store: objects by resource type, namespace and name, one global resource version
 * that every write (deletes included) advances, and a bounded history of changes so that a watch can start at the
 * resource version a list returned. All methods are atomic; objects go in and come out as copies.
 */
public final class ObjectStore {
    /** How many changes are kept for watches that start in the past. */
    public static final int HISTORY = 10_000;
    private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final String SUFFIX_CHARS = "bcdfghjklmnpqrstvwxz2456789";

    private final Clock clock;
    private final Admission admission;
    private final Map<ResourceType, TreeMap<String, ObjectNode>> objects = new HashMap<>();
    private final ArrayDeque<WatchEvent> history = new ArrayDeque<>();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final java.util.Random random = new java.util.Random();
    private long resourceVersion;

    public ObjectStore(Clock clock, Admission admission) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.admission = Objects.requireNonNull(admission, "admission");
    }

    /** The resource version of the latest write. */
    public synchronized long resourceVersion() {
        return resourceVersion;
    }

    /** Creates an object; the store assigns uid, resource version and creation time. */
    public ObjectNode create(ResourceType type, String namespace, ObjectNode object) {
        return create(type, namespace, object, false);
    }

    /**
     * Creates an object. With {@code keepCreationTimestamp} a creation time already in the object is kept (for
     * seeded objects that should look days old).
     */
    public ObjectNode create(ResourceType type, String namespace, ObjectNode object, boolean keepCreationTimestamp) {
        return create(type, namespace, object, keepCreationTimestamp, false);
    }

    /** Creates an object, or with {@code dryRun} only shows what would be created. */
    public synchronized ObjectNode create(ResourceType type, String namespace, ObjectNode object,
                                          boolean keepCreationTimestamp, boolean dryRun) {
        ObjectNode obj = object.deepCopy();
        ObjectNode meta = Json.child(obj, "metadata");
        String ns = scope(type, namespace, meta);
        String name = meta.path("name").asText("");
        if (name.isEmpty() && meta.hasNonNull("generateName")) {
            name = uniqueName(type, ns, meta.get("generateName").asText());
            meta.put("name", name);
        }
        validateName(type, name);
        if (type.namespaced() && !map(namespacesType()).containsKey(key("", ns))) {
            throw ApiException.notFound("namespaces \"" + ns + "\" not found");
        }
        if (map(type).containsKey(key(ns, name))) {
            throw ApiException.alreadyExists(type, name);
        }
        obj.put("apiVersion", type.apiVersion()).put("kind", type.kind());
        meta.put("uid", UUID.randomUUID().toString());
        if (!keepCreationTimestamp || !meta.hasNonNull("creationTimestamp")) {
            meta.put("creationTimestamp", now());
        }
        meta.remove(List.of("selfLink", "deletionTimestamp", "resourceVersion"));
        if (hasGeneration(type)) {
            meta.put("generation", 1);
        } else {
            meta.remove("generation");
        }
        admission.admit(type, obj, null);
        return dryRun ? obj : write(type, ns, name, obj, WatchEvent.ADDED);
    }

    /** The object, if it exists. */
    public synchronized Optional<ObjectNode> get(ResourceType type, String namespace, String name) {
        ObjectNode obj = map(type).get(key(type.namespaced() ? namespace : "", name));
        return Optional.ofNullable(obj).map(ObjectNode::deepCopy);
    }

    /** The object, or a NotFound error. */
    public ObjectNode require(ResourceType type, String namespace, String name) {
        return get(type, namespace, name).orElseThrow(() -> ApiException.notFound(type, name));
    }

    /** Objects of a type in one namespace ({@code null}: all namespaces) that match, sorted by namespace and name. */
    public synchronized List<ObjectNode> list(ResourceType type, String namespace, Predicate<ObjectNode> filter) {
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode obj : map(type).values()) {
            if (inNamespace(type, obj, namespace) && filter.test(obj)) {
                out.add(obj.deepCopy());
            }
        }
        return out;
    }

    /**
     * Replaces an object (PUT). A resource version in the new object must match the stored one; uid and creation
     * time are kept; the generation advances when the spec changes.
     */
    public ObjectNode update(ResourceType type, String namespace, String name, ObjectNode object) {
        return update(type, namespace, name, object, false);
    }

    /** Replaces an object, or with {@code dryRun} only shows the result. */
    public synchronized ObjectNode update(ResourceType type, String namespace, String name, ObjectNode object,
                                          boolean dryRun) {
        String ns = type.namespaced() ? namespace : "";
        ObjectNode existing = map(type).get(key(ns, name));
        if (existing == null) {
            throw ApiException.notFound(type, name);
        }
        ObjectNode obj = object.deepCopy();
        ObjectNode meta = Json.child(obj, "metadata");
        String bodyName = meta.path("name").asText("");
        if (!bodyName.isEmpty() && !bodyName.equals(name)) {
            throw ApiException.badRequest("the name of the object (" + bodyName
                    + ") does not match the name on the URL (" + name + ")");
        }
        scope(type, ns, meta);
        String expected = meta.path("resourceVersion").asText("");
        if (!expected.isEmpty() && !expected.equals(existing.path("metadata").path("resourceVersion").asText())) {
            throw ApiException.conflict(type, name);
        }
        ObjectNode oldMeta = (ObjectNode) existing.get("metadata");
        meta.put("name", name);
        meta.set("uid", oldMeta.get("uid"));
        meta.set("creationTimestamp", oldMeta.get("creationTimestamp"));
        if (hasGeneration(type)) {
            long generation = oldMeta.path("generation").asLong(1);
            boolean specChanged = !Objects.equals(existing.get("spec"), obj.get("spec"));
            meta.put("generation", specChanged ? generation + 1 : generation);
        }
        obj.put("apiVersion", type.apiVersion()).put("kind", type.kind());
        admission.admit(type, obj, existing.deepCopy());
        if (stripVersion(obj).equals(stripVersion(existing))) {
            return existing.deepCopy(); // no-op writes do not advance the resource version, as in the apiserver
        }
        if (dryRun) {
            meta.set("resourceVersion", oldMeta.get("resourceVersion"));
            return obj;
        }
        return write(type, ns, name, obj, WatchEvent.MODIFIED);
    }

    /** The object and whether the write created it. */
    public record Written(ObjectNode object, boolean created) {
    }

    /**
     * Reads, changes and writes an object atomically (patches). When the object is missing and
     * {@code createIfMissing}, {@code change} receives {@code null} and its result is created.
     */
    public Written modify(ResourceType type, String namespace, String name, UnaryOperator<ObjectNode> change,
                          boolean createIfMissing) {
        return modify(type, namespace, name, change, createIfMissing, false);
    }

    /** {@link #modify(ResourceType, String, String, UnaryOperator, boolean)}, or only its result with dryRun. */
    public synchronized Written modify(ResourceType type, String namespace, String name,
                                       UnaryOperator<ObjectNode> change, boolean createIfMissing, boolean dryRun) {
        Optional<ObjectNode> existing = get(type, namespace, name);
        if (existing.isEmpty()) {
            if (!createIfMissing) {
                throw ApiException.notFound(type, name);
            }
            ObjectNode created = change.apply(null);
            Json.child(created, "metadata").put("name", name);
            return new Written(create(type, namespace, created, false, dryRun), true);
        }
        ObjectNode changed = change.apply(existing.get());
        Json.child(changed, "metadata").put("resourceVersion",
                existing.get().path("metadata").path("resourceVersion").asText());
        return new Written(update(type, namespace, name, changed, dryRun), false);
    }

    /** Deletes an object and, like the garbage collector, every object it owns. Returns the deleted object. */
    public ObjectNode delete(ResourceType type, String namespace, String name) {
        return delete(type, namespace, name, false);
    }

    /** Deletes an object (and what it owns), or with {@code dryRun} only returns it. */
    public synchronized ObjectNode delete(ResourceType type, String namespace, String name, boolean dryRun) {
        String ns = type.namespaced() ? namespace : "";
        if (dryRun) {
            return require(type, ns, name);
        }
        ObjectNode removed = map(type).remove(key(ns, name));
        if (removed == null) {
            throw ApiException.notFound(type, name);
        }
        resourceVersion++;
        ObjectNode last = removed.deepCopy();
        ((ObjectNode) last.get("metadata")).put("resourceVersion", Long.toString(resourceVersion));
        publish(new WatchEvent(WatchEvent.DELETED, type, resourceVersion, last));
        collectGarbage(type, last);
        return last.deepCopy();
    }

    private void collectGarbage(ResourceType type, ObjectNode deleted) {
        String uid = deleted.path("metadata").path("uid").asText();
        String deletedName = deleted.path("metadata").path("name").asText();
        for (Map.Entry<ResourceType, TreeMap<String, ObjectNode>> entry : new ArrayList<>(objects.entrySet())) {
            for (ObjectNode obj : new ArrayList<>(entry.getValue().values())) {
                boolean inDeletedNamespace = type.equals(namespacesType()) && entry.getKey().namespaced()
                        && deletedName.equals(obj.path("metadata").path("namespace").asText());
                if (inDeletedNamespace || ownedBy(obj, uid)) {
                    JsonNode meta = obj.get("metadata");
                    delete(entry.getKey(), meta.path("namespace").asText(""), meta.path("name").asText());
                }
            }
        }
    }

    private static boolean ownedBy(ObjectNode obj, String uid) {
        for (JsonNode ref : obj.path("metadata").path("ownerReferences")) {
            if (uid.equals(ref.path("uid").asText())) {
                return true;
            }
        }
        return false;
    }

    /** A registered watch; {@link #cancel()} stops delivery. */
    public final class Subscription {
        private final ResourceType type;
        private final String namespace;
        private final Predicate<ObjectNode> filter;
        private final Consumer<WatchEvent> sink;

        private Subscription(ResourceType type, String namespace, Predicate<ObjectNode> filter,
                             Consumer<WatchEvent> sink) {
            this.type = type;
            this.namespace = namespace;
            this.filter = filter;
            this.sink = sink;
        }

        boolean matches(WatchEvent event) {
            return event.resource().equals(type) && inNamespace(type, event.object(), namespace)
                    && filter.test(event.object());
        }

        public void cancel() {
            subscriptions.remove(this);
        }
    }

    /**
     * Starts a watch. Without a resource version (or "0") it first delivers the current objects as ADDED; with one
     * it replays the changes after it, or fails with 410 Expired when they are no longer in the history. The sink is
     * called with the store locked and must only hand the event on (e.g. to an event loop).
     */
    public synchronized Subscription watch(ResourceType type, String namespace, Predicate<ObjectNode> filter,
                                           String fromResourceVersion, Consumer<WatchEvent> sink) {
        Subscription subscription = new Subscription(type, namespace, filter, sink);
        if (fromResourceVersion == null || fromResourceVersion.isEmpty() || fromResourceVersion.equals("0")) {
            for (ObjectNode obj : list(type, namespace, filter)) {
                long rv = obj.path("metadata").path("resourceVersion").asLong();
                sink.accept(new WatchEvent(WatchEvent.ADDED, type, rv, obj));
            }
        } else {
            long from = parseVersion(fromResourceVersion);
            long oldest = history.isEmpty() ? resourceVersion : history.peekFirst().resourceVersion();
            if (history.size() >= HISTORY && from < oldest - 1) {
                throw ApiException.gone("too old resource version: " + from + " (" + (oldest - 1) + ")");
            }
            for (WatchEvent event : history) {
                if (event.resourceVersion() > from && subscription.matches(event)) {
                    sink.accept(copy(event));
                }
            }
        }
        subscriptions.add(subscription);
        return subscription;
    }

    private static long parseVersion(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid resource version: " + value);
        }
    }

    private ObjectNode write(ResourceType type, String ns, String name, ObjectNode written, String eventType) {
        ObjectNode obj = Json.object().put("apiVersion", type.apiVersion()).put("kind", type.kind());
        written.properties().forEach(e -> {
            if (!e.getKey().equals("apiVersion") && !e.getKey().equals("kind")) {
                obj.set(e.getKey(), e.getValue());
            }
        });
        resourceVersion++;
        ((ObjectNode) obj.get("metadata")).put("resourceVersion", Long.toString(resourceVersion));
        map(type).put(key(ns, name), obj);
        publish(new WatchEvent(eventType, type, resourceVersion, obj.deepCopy()));
        return obj.deepCopy();
    }

    private void publish(WatchEvent event) {
        history.addLast(event);
        while (history.size() > HISTORY) {
            history.removeFirst();
        }
        for (Subscription s : subscriptions) {
            if (s.matches(event)) {
                s.sink.accept(copy(event));
            }
        }
    }

    private static WatchEvent copy(WatchEvent event) {
        return new WatchEvent(event.type(), event.resource(), event.resourceVersion(), event.object().deepCopy());
    }

    private String scope(ResourceType type, String namespace, ObjectNode meta) {
        if (!type.namespaced()) {
            meta.remove("namespace");
            return "";
        }
        String bodyNs = meta.path("namespace").asText("");
        if (!bodyNs.isEmpty() && namespace != null && !namespace.isEmpty() && !bodyNs.equals(namespace)) {
            throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent "
                    + "on the request");
        }
        String ns = namespace == null || namespace.isEmpty() ? bodyNs : namespace;
        if (ns.isEmpty()) {
            throw ApiException.badRequest("the server could not find the requested resource: a namespace is required "
                    + "for " + type.qualifiedName());
        }
        meta.put("namespace", ns);
        return ns;
    }

    private void validateName(ResourceType type, String name) {
        if (name.isEmpty()) {
            throw ApiException.invalid(type, name, "metadata.name: Required value: name or generateName is required");
        }
        boolean label = type.equals(namespacesType());
        boolean valid = label ? LABEL.matcher(name).matches() && name.length() <= 63
                : SUBDOMAIN.matcher(name).matches() && name.length() <= 253;
        if (!valid) {
            throw ApiException.invalid(type, name, "metadata.name: Invalid value: \"" + name + "\": a lowercase RFC "
                    + "1123 " + (label ? "label" : "subdomain") + " must consist of lower case alphanumeric "
                    + "characters, '-'" + (label ? "" : " or '.'") + ", and must start and end with an alphanumeric "
                    + "character");
        }
    }

    private String uniqueName(ResourceType type, String ns, String prefix) {
        while (true) {
            StringBuilder name = new StringBuilder(prefix);
            for (int i = 0; i < 5; i++) {
                name.append(SUFFIX_CHARS.charAt(random.nextInt(SUFFIX_CHARS.length())));
            }
            if (!map(type).containsKey(key(ns, name.toString()))) {
                return name.toString();
            }
        }
    }

    private static ObjectNode stripVersion(ObjectNode obj) {
        ObjectNode copy = obj.deepCopy();
        ((ObjectNode) copy.get("metadata")).remove("resourceVersion");
        return copy;
    }

    private static boolean hasGeneration(ResourceType type) {
        return type.group().equals("apps") || type.group().equals("batch");
    }

    private static boolean inNamespace(ResourceType type, ObjectNode obj, String namespace) {
        return !type.namespaced() || namespace == null || namespace.isEmpty()
                || namespace.equals(obj.path("metadata").path("namespace").asText());
    }

    private TreeMap<String, ObjectNode> map(ResourceType type) {
        return objects.computeIfAbsent(type, t -> new TreeMap<>());
    }

    private ResourceType namespacesType() {
        return NAMESPACES;
    }

    private static final ResourceType NAMESPACES = dev.gatehouse.sandbox.resource.ResourceCatalog.standard()
            .find("", "v1", "namespaces").orElseThrow();

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    private String now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
