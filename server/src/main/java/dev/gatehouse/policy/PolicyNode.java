package dev.gatehouse.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML mapping of a policy file with where it is: every error names the file, the line of the offending value,
 * the rule it belongs to and the key ({@code policy.yaml:14: rule "exec-prod": match.verbs: ...}).
 */
final class PolicyNode {
    private final String source;
    private final String rule;
    private final String at;
    private final Node node;
    private final Map<String, NodeTuple> fields = new LinkedHashMap<>();

    PolicyNode(String source, String rule, String at, Node node) {
        this.source = source;
        this.rule = rule;
        this.at = at;
        this.node = node;
        if (!(node instanceof MappingNode map)) {
            throw error(node, (at.isEmpty() ? "document" : name(at)) + ": " + describe(node)
                    + " (expected: a mapping)");
        }
        for (NodeTuple t : map.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode key)) {
                throw error(t.getKeyNode(), at + "?: a key that is not a plain string");
            }
            if (fields.put(key.getValue(), t) != null) {
                throw error(key, at + PolicyYaml.printable(key.getValue()) + ": duplicate key");
            }
        }
    }

    String source() {
        return source;
    }

    int line() {
        return PolicyYaml.line(node);
    }

    /** The same mapping, its errors naming {@code ruleName}. */
    PolicyNode inRule(String ruleName) {
        return new PolicyNode(source, ruleName, at, node);
    }

    /** Refuses keys not in {@code allowed}. */
    PolicyNode allow(String... allowed) {
        List<String> ok = List.of(allowed);
        for (Map.Entry<String, NodeTuple> e : fields.entrySet()) {
            if (!ok.contains(e.getKey())) {
                throw error(e.getValue().getKeyNode(), at + PolicyYaml.printable(e.getKey())
                        + ": unknown field (expected one of " + ok + ")");
            }
        }
        return this;
    }

    boolean has(String key) {
        NodeTuple t = fields.get(key);
        return t != null && !isNull(t.getValueNode());
    }

    /** The value node of {@code key}, or null. */
    Node value(String key) {
        NodeTuple t = fields.get(key);
        return t == null || isNull(t.getValueNode()) ? null : t.getValueNode();
    }

    Iterable<Map.Entry<String, NodeTuple>> entries() {
        return fields.entrySet();
    }

    PolicyNode child(String key) {
        return new PolicyNode(source, rule, at + key + ".", value(key));
    }

    PolicyNode child(String key, Node value) {
        return new PolicyNode(source, rule, at + key + ".", value);
    }

    List<Node> list(String key) {
        Node v = value(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof SequenceNode seq)) {
            throw error(v, at + key + ": " + describe(v) + " (expected: a list)");
        }
        return seq.getValue();
    }

    String text(String key, String fallback) {
        Node v = value(key);
        if (v == null) {
            return fallback;
        }
        return scalar(v, at + key, "a string");
    }

    String requiredText(String key, String expected) {
        String v = text(key, null);
        if (v == null || v.isBlank()) {
            throw error(node, at + key + ": missing (expected: " + expected + ")");
        }
        return v;
    }

    /** A string, or a list of strings. */
    List<String> strings(String key) {
        Node v = value(key);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (v instanceof ScalarNode) {
            out.add(scalar(v, at + key, "a list of strings"));
            return out;
        }
        for (Node item : list(key)) {
            out.add(scalar(item, at + key, "a list of strings"));
        }
        return out;
    }

    boolean bool(String key, boolean fallback) {
        Node v = value(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof ScalarNode s) || !Tag.BOOL.equals(v.getTag())) {
            throw error(v, at + key + ": " + describe(v) + " (expected: true or false)");
        }
        return Boolean.parseBoolean(s.getValue().toLowerCase(java.util.Locale.ROOT))
                || s.getValue().equalsIgnoreCase("yes") || s.getValue().equalsIgnoreCase("on");
    }

    int integer(String key, int fallback, int min, int max) {
        Node v = value(key);
        if (v == null) {
            return fallback;
        }
        String expected = "a whole number from " + min + " to " + max;
        if (!(v instanceof ScalarNode s) || !Tag.INT.equals(v.getTag())) {
            throw error(v, at + key + ": " + describe(v) + " (expected: " + expected + ")");
        }
        int n;
        try {
            n = Integer.parseInt(s.getValue().replace("_", ""));
        } catch (NumberFormatException e) {
            throw error(v, at + key + ": " + describe(v) + " (expected: " + expected + ")");
        }
        if (n < min || n > max) {
            throw error(v, at + key + ": " + n + " (expected: " + expected + ")");
        }
        return n;
    }

    /** The text of a scalar; anything else fails naming {@code where} and what was expected. */
    String scalar(Node v, String where, String expected) {
        if (!(v instanceof ScalarNode s) || isNull(v)) {
            throw error(v, name(where) + ": " + describe(v) + " (expected: " + expected + ")");
        }
        return s.getValue();
    }

    String key(String key) {
        return at + key;
    }

    PolicyException error(Node where, String message) {
        return PolicyException.at(source, where == null ? line() : PolicyYaml.line(where), rule, message);
    }

    PolicyException error(String key, String message) {
        Node v = value(key);
        return error(v != null ? v : node, at + key + ": " + message);
    }

    static String describe(Node v) {
        if (v == null || isNull(v)) {
            return "nothing";
        }
        if (v instanceof MappingNode) {
            return "a mapping";
        }
        if (v instanceof SequenceNode) {
            return "a list";
        }
        return "\"" + PolicyYaml.printable(((ScalarNode) v).getValue()) + "\"";
    }

    private static boolean isNull(Node v) {
        return v == null || Tag.NULL.equals(v.getTag());
    }

    private static String name(String at) {
        return at.endsWith(".") ? at.substring(0, at.length() - 1) : at;
    }
}
