package dev.gatehouse.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.identity.AuthenticationMethod;
import dev.gatehouse.identity.Identity;

/**
 * A rule's {@code match}: who and what it applies to. Every field is optional; values in a list are alternatives
 * (OR), fields must all hold (AND), {@code *} is any. Sets are built once at load; {@link #matches} allocates
 * nothing. A null set means "any".
 */
final class RuleMatch {
    static final String[] FIELDS = {"clusters", "users", "groups", "issuers", "methods", "actors", "claims", "verbs",
            "apiGroups", "resources", "namespaces", "names", "nonResourceURLs"};

    /** Which requests a rule can match by its fields. */
    enum Kind { ANY, RESOURCE, NON_RESOURCE }

    private Set<String> clusters;
    private Set<String> users;
    private Set<String> groups;
    private Set<String> issuers;
    private Set<String> methods;
    private Set<String> actors;
    private Map<String, Set<String>> claims;
    private Set<String> verbs;
    private Set<String> apiGroups;
    private ResourcePatterns resources;
    private Set<String> namespaces;
    private Set<String> names;
    private UrlPatterns urls;
    private Kind kind = Kind.ANY;

    private RuleMatch() {
    }

    /** Everything: the match of a rule without {@code match}. */
    static RuleMatch all() {
        return new RuleMatch();
    }

    static RuleMatch parse(PolicyNode m) {
        m.allow(FIELDS);
        RuleMatch r = new RuleMatch();
        r.clusters = set(m, "clusters", s -> !s.isEmpty(), "a cluster name");
        r.users = set(m, "users", s -> !s.isEmpty(), "a user name");
        r.groups = set(m, "groups", s -> !s.isEmpty(), "a group name");
        r.issuers = set(m, "issuers", s -> !s.isEmpty(), "an issuer");
        List<String> wire = java.util.Arrays.stream(AuthenticationMethod.values())
                .map(AuthenticationMethod::wireName).toList();
        r.methods = set(m, "methods", wire::contains, "one of " + wire);
        r.actors = set(m, "actors", s -> !s.isEmpty(), "an actor's subject");
        r.claims = claims(m);
        r.verbs = set(m, "verbs", PolicyNames::verb, "a lower-case verb such as get, list, delete or escalate");
        r.apiGroups = set(m, "apiGroups", PolicyNames::apiGroup,
                "an API group: \"\" (or core) for the core group, apps, rbac.authorization.k8s.io, ...");
        if (r.apiGroups != null && r.apiGroups.remove("core")) {
            r.apiGroups.add("");
        }
        Function<String, PolicyException> badResource = what -> m.error("resources", what);
        r.resources = m.has("resources") ? ResourcePatterns.of(m.strings("resources"), badResource) : null;
        r.namespaces = set(m, "namespaces", PolicyNames::namespace,
                "a namespace (a lower-case DNS label), or \"\" for cluster-scoped requests");
        r.names = set(m, "names", s -> !s.isEmpty(), "an object name");
        Function<String, PolicyException> badUrl = what -> m.error("nonResourceURLs", what);
        r.urls = m.has("nonResourceURLs") ? UrlPatterns.of(m.strings("nonResourceURLs"), badUrl) : null;
        boolean resourceFields = m.has("apiGroups") || m.has("resources") || m.has("namespaces") || m.has("names");
        if (resourceFields && m.has("nonResourceURLs")) {
            throw m.error("nonResourceURLs", "given with apiGroups/resources/namespaces/names (expected: either "
                    + "resource fields or nonResourceURLs, as in RBAC)");
        }
        r.kind = resourceFields ? Kind.RESOURCE : m.has("nonResourceURLs") ? Kind.NON_RESOURCE : Kind.ANY;
        return r;
    }

    private static Set<String> set(PolicyNode m, String key, Predicate<String> valid, String expected) {
        if (!m.has(key)) {
            return null;
        }
        List<String> values = m.strings(key);
        if (values.isEmpty()) {
            throw m.error(key, "an empty list (expected: at least one value, or leave the field out for any)");
        }
        Set<String> out = new HashSet<>();
        for (String v : values) {
            if (v.equals("*")) {
                return null;
            }
            if (!valid.test(v)) {
                throw m.error(key, "\"" + PolicyYaml.printable(v) + "\" (expected: " + expected + ")");
            }
            out.add(v);
        }
        return out;
    }

    private static Map<String, Set<String>> claims(PolicyNode m) {
        if (!m.has("claims")) {
            return null;
        }
        PolicyNode c = m.child("claims");
        Map<String, Set<String>> out = new HashMap<>();
        for (Map.Entry<String, NodeTuple> e : c.entries()) {
            Node v = e.getValue().getValueNode();
            if (e.getKey().isEmpty()) {
                throw c.error(v, "claims: an empty claim name");
            }
            Set<String> values = set(c, e.getKey(), s -> true, "a claim value");
            if (values == null && !c.has(e.getKey())) {
                throw c.error(v, c.key(e.getKey()) + ": nothing (expected: a list of values, or \"*\" for present)");
            }
            out.put(e.getKey(), values);
        }
        return out;
    }

    /** True when the request falls under this match; allocates nothing. */
    boolean matches(Identity id, RequestInfo req) {
        if (kind == Kind.RESOURCE && !req.resourceRequest() || kind == Kind.NON_RESOURCE && req.resourceRequest()) {
            return false;
        }
        return in(verbs, req.verb()) && in(clusters, req.cluster()) && requestMatches(req) && identityMatches(id);
    }

    private boolean requestMatches(RequestInfo req) {
        if (!req.resourceRequest()) {
            return urls == null || urls.matches(req.path());
        }
        return in(namespaces, req.namespace()) && in(apiGroups, req.apiGroup())
                && (resources == null || resources.matches(req.resource(), req.subresource())) && in(names, req.name());
    }

    private boolean identityMatches(Identity id) {
        if (!in(users, id.user()) || !in(issuers, id.issuer()) || !in(methods, id.method().wireName())) {
            return false;
        }
        if (groups != null && !anyIn(groups, id.groups())) {
            return false;
        }
        if (actors != null) {
            boolean found = false;
            for (int i = 0; i < id.actorChain().size() && !found; i++) {
                found = actors.contains(id.actorChain().get(i).subject());
            }
            if (!found) {
                return false;
            }
        }
        if (claims != null) {
            for (Map.Entry<String, Set<String>> c : claims.entrySet()) {
                String value = id.attributes().get(c.getKey());
                if (value == null || (c.getValue() != null && !c.getValue().contains(value))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean in(Set<String> set, String value) {
        return set == null || set.contains(value);
    }

    private static boolean anyIn(Set<String> set, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            if (set.contains(values.get(i))) {
                return true;
            }
        }
        return false;
    }

    /** True when this match could match a request with {@code verb}. */
    boolean allowsVerb(String verb) {
        return in(verbs, verb);
    }

    /** The verbs named, or null for any. */
    Set<String> verbs() {
        return verbs;
    }

    /** True when every request {@code later} matches, this matches too: {@code later} is shadowed. */
    boolean covers(RuleMatch later) {
        if (kind != Kind.ANY && kind != later.kind) {
            return false;
        }
        boolean sets = covers(clusters, later.clusters) && covers(users, later.users) && covers(groups, later.groups)
                && covers(issuers, later.issuers) && covers(methods, later.methods) && covers(actors, later.actors)
                && covers(verbs, later.verbs) && covers(apiGroups, later.apiGroups)
                && covers(namespaces, later.namespaces) && covers(names, later.names);
        return sets && claimsCover(later) && (resources == null || later.resources != null
                && resources.covers(later.resources)) && (urls == null || later.urls != null && urls.covers(later.urls));
    }

    private boolean claimsCover(RuleMatch later) {
        if (claims == null) {
            return true;
        }
        if (later.claims == null) {
            return false;
        }
        for (Map.Entry<String, Set<String>> c : claims.entrySet()) {
            if (!later.claims.containsKey(c.getKey())) {
                return false;
            }
            Set<String> theirs = later.claims.get(c.getKey());
            if (c.getValue() != null && (theirs == null || !c.getValue().containsAll(theirs))) {
                return false;
            }
        }
        return true;
    }

    private static boolean covers(Set<String> mine, Set<String> theirs) {
        return mine == null || theirs != null && mine.containsAll(theirs);
    }

    /** For messages: the verbs, lower-cased and sorted, or "*". */
    String describeVerbs() {
        return verbs == null ? "*" : new ArrayList<>(new java.util.TreeSet<>(verbs)).toString()
                .toLowerCase(Locale.ROOT);
    }
}
