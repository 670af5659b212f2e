package dev.gatehouse.mask;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What to mask in the bodies of one resource, compiled from the Secret shape and the field rules that cover it: a
 * tree of field names from each object's root, walked as a lazily built automaton ({@link State}), so following a
 * body costs one map look-up per field name while some rule may still apply below, and nothing once none can.
 *
 * <p>Object roots are the body itself and, below a root, {@code items[*]}, {@code object} (a watch event) and
 * {@code rows[*]} (a Table; its {@code object} too). A path's end masks its value and everything below it. Arrays are
 * looked through. A rule with a label selector is decided per object root by {@code metadata.labels}.
 *
 * <p>Immutable and shared by every response of the resource (the automaton's cache is concurrent and bounded).
 */
final class MaskPlan {
    /** Kinds of mask, weakest first: where two rules meet, the stronger applies. */
    static final int NONE = 0;
    /** The last-applied annotation: its JSON masked by the same plan (a plain marker if not JSON). */
    static final int LAST_APPLIED = 1;
    /** Every scalar becomes a plain marker. */
    static final int PLAIN = 2;
    /** Every scalar is base64 and becomes a base64 marker (a Secret's {@code data}). */
    static final int BASE64 = 3;
    private static final int MAX_CACHED_FIELDS = 256;

    /** Core Secrets: {@code data} (base64), {@code stringData}, and the last-applied annotation. */
    static final MaskPlan SECRETS = new MaskPlan(true, List.of());
    /** Nothing but the last-applied annotation is followed (detectors only). */
    static final MaskPlan NOTHING = new MaskPlan(false, List.of());

    private final String[] termKeys;
    private final String[] termValues;
    /** Per selector rule: the bits of its terms. */
    private final long[] ruleTerms;
    private final State root;
    final State dead;
    private final boolean selectors;

    MaskPlan(boolean secrets, List<FieldRule> rules) {
        List<String> keys = new ArrayList<>();
        List<String> values = new ArrayList<>();
        long[] terms = new long[rules.size()];
        Node rootNode = new Node();
        rootNode.root = true;
        for (String list : List.of("items", "object", "rows")) {
            rootNode.fields.put(list, rootNode);
        }
        Node meta = new Node();
        meta.meta = true;
        rootNode.fields.put("metadata", meta);
        Node labels = new Node();
        labels.labels = true;
        meta.fields.put("labels", labels);
        Node annotations = new Node();
        meta.fields.put("annotations", annotations);
        annotations.fields.put(JsonMasker.LAST_APPLIED, terminal(LAST_APPLIED, -1));
        if (secrets) {
            rootNode.fields.put("data", terminal(BASE64, -1));
            rootNode.fields.put("stringdata", terminal(PLAIN, -1));
        }
        for (int r = 0; r < rules.size(); r++) {
            FieldRule rule = rules.get(r);
            for (Map.Entry<String, String> label : rule.selector().entrySet()) {
                if (keys.size() == 64) {
                    throw new IllegalArgumentException("masking.rules: more than 64 selector labels apply to one"
                            + " resource (expected: at most 64)");
                }
                terms[r] |= 1L << keys.size();
                keys.add(label.getKey());
                values.add(label.getValue());
            }
            int selector = rule.selector().isEmpty() ? -1 : r;
            for (FieldPath path : rule.paths()) {
                Node start = new Node();
                rootNode.eps.add(start);
                add(start, path.segments(), 0, selector);
            }
        }
        this.termKeys = keys.toArray(String[]::new);
        this.termValues = values.toArray(String[]::new);
        this.ruleTerms = terms;
        this.selectors = !keys.isEmpty();
        this.dead = new State(this, new Node[0]);
        this.root = state(Set.of(rootNode));
    }

    private static void add(Node at, List<String> segments, int i, int selector) {
        String segment = segments.get(i);
        Node next;
        if (segment.equals("**")) {
            next = new Node();
            next.deep = true;
            at.eps.add(next);
        } else if (segment.equals("*")) {
            next = at.any != null ? at.any : new Node();
            at.any = next;
        } else {
            next = at.fields.computeIfAbsent(segment, s -> new Node());
        }
        if (i == segments.size() - 1) {
            Node end = terminal(PLAIN, selector);
            next.eps.add(end);
            return;
        }
        add(next, segments, i + 1, selector);
    }

    private static Node terminal(int kind, int selector) {
        Node n = new Node();
        n.kind = kind;
        n.selector = selector;
        n.below = kind == LAST_APPLIED ? terminal(PLAIN, selector) : n;
        return n;
    }

    /**
     * A field name folded as Go's JSON decoder compares them (case-insensitively, with the long s and the Kelvin
     * sign matching s and k): upper case first, then lower.
     */
    static String fold(String name) {
        return name.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    /** The state of a body's root value. */
    State root() {
        return root;
    }

    /** True when some rule of this plan depends on labels. */
    boolean selectors() {
        return selectors;
    }

    /** The bits of the selector terms the label {@code key=value} satisfies. */
    long labelBits(String key, String value) {
        long bits = 0;
        for (int i = 0; i < termKeys.length; i++) {
            if (termKeys[i].equals(key) && termValues[i].equals(value)) {
                bits |= 1L << i;
            }
        }
        return bits;
    }

    /** True when the rule's selector is satisfied by the matched label bits. */
    boolean satisfied(int rule, long matched) {
        return (ruleTerms[rule] & matched) == ruleTerms[rule];
    }

    private State state(Set<Node> nodes) {
        Set<Node> closed = new LinkedHashSet<>();
        for (Node n : nodes) {
            close(n, closed);
        }
        return closed.isEmpty() ? dead : new State(this, closed.toArray(Node[]::new));
    }

    private static void close(Node n, Set<Node> into) {
        if (into.add(n)) {
            for (Node e : n.eps) {
                close(e, into);
            }
        }
    }

    /** One node of the tree of paths. */
    private static final class Node {
        final Map<String, Node> fields = new HashMap<>();
        final List<Node> eps = new ArrayList<>();
        Node any;
        /** A {@code **}: stays for any field. */
        boolean deep;
        int kind = NONE;
        int selector = -1;
        /** What a terminal becomes below it (itself; a plain terminal below the last-applied annotation). */
        Node below;
        boolean root;
        boolean meta;
        boolean labels;
    }

    /** A set of nodes: where the walker is, with its transitions by field name cached. */
    static final class State {
        private final MaskPlan plan;
        private final Node[] nodes;
        private final Map<String, State> next = new ConcurrentHashMap<>();
        /** The strongest unconditional mask of a scalar here. */
        final int kind;
        /** Terminals that depend on a selector: their rules and kinds. */
        final int[] selectorRules;
        final int[] selectorKinds;
        final boolean root;
        final boolean meta;
        final boolean labels;
        final boolean dead;

        private State(MaskPlan plan, Node[] nodes) {
            this.plan = plan;
            this.nodes = nodes;
            int k = NONE;
            List<int[]> conditional = new ArrayList<>();
            boolean r = false;
            boolean m = false;
            boolean l = false;
            for (Node n : nodes) {
                if (n.kind != NONE && n.selector < 0) {
                    k = Math.max(k, n.kind);
                } else if (n.kind != NONE) {
                    conditional.add(new int[] {n.selector, n.kind});
                }
                r |= n.root;
                m |= n.meta;
                l |= n.labels;
            }
            this.kind = k;
            this.selectorRules = conditional.stream().mapToInt(c -> c[0]).toArray();
            this.selectorKinds = conditional.stream().mapToInt(c -> c[1]).toArray();
            this.root = r;
            this.meta = m;
            this.labels = l;
            this.dead = nodes.length == 0;
        }

        /** True when a scalar here may be masked (by some rule, whatever the labels). */
        boolean masks() {
            return kind != NONE || selectorRules.length > 0;
        }

        /** The state of a field's value in an object in this state. */
        State field(String name) {
            if (dead) {
                return this;
            }
            State cached = next.get(name);
            if (cached != null) {
                return cached;
            }
            String lower = fold(name);
            Set<Node> to = new LinkedHashSet<>();
            for (Node n : nodes) {
                if (n.kind != NONE) {
                    to.add(n.below);
                    continue;
                }
                Node f = n.fields.get(lower);
                if (f == null && !lower.equals(name)) {
                    f = n.fields.get(name);
                }
                if (f != null) {
                    to.add(f);
                }
                if (n.any != null) {
                    to.add(n.any);
                }
                if (n.deep) {
                    to.add(n);
                }
            }
            State s = plan.state(to);
            if (next.size() < MAX_CACHED_FIELDS) {
                next.putIfAbsent(name, s);
            }
            return s;
        }
    }
}
