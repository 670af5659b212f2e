package dev.gatehouse.policy;

import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Set;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads one policy file into a YAML node tree that keeps line numbers, refusing what a policy never needs and an
 * attacker could use: anchors and aliases (billion laughs), custom tags, more than one document, deep nesting,
 * files over {@link #MAX_FILE_BYTES}, bytes that are not UTF-8.
 */
final class PolicyYaml {
    /** The largest policy file read. */
    static final int MAX_FILE_BYTES = 1024 * 1024;
    private static final int MAX_DEPTH = 32;
    private static final int MAX_NODES = 200_000;
    private static final Set<Tag> CORE_TAGS = Set.of(Tag.STR, Tag.INT, Tag.BOOL, Tag.NULL, Tag.FLOAT, Tag.SEQ,
            Tag.MAP, Tag.TIMESTAMP);

    private PolicyYaml() {
    }

    /** The single document in {@code bytes}, named {@code source} in errors. */
    static Node read(String source, byte[] bytes) {
        if (bytes.length > MAX_FILE_BYTES) {
            throw PolicyException.at(source, 0, null, "larger than " + MAX_FILE_BYTES + " bytes (expected: a policy file of at most "
                    + MAX_FILE_BYTES / 1024 + " KiB)");
        }
        String text = utf8(source, bytes);
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(0);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(MAX_FILE_BYTES);
        options.setMergeOnCompose(false);
        Node root;
        try {
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw PolicyException.at(source, mark == null ? 0 : mark.getLine() + 1, null,
                    "not valid YAML: " + oneLine(e.getProblem() == null ? e.getMessage()
                    : e.getContext() == null ? e.getProblem() : e.getContext() + ", " + e.getProblem()));
        } catch (YAMLException | IllegalArgumentException | IllegalStateException e) {
            throw PolicyException.at(source, 0, null, "not valid YAML: " + oneLine(e.getMessage()));
        } catch (StackOverflowError e) {
            throw PolicyException.at(source, 0, null, "not valid YAML: nested too deeply");
        }
        if (root == null) {
            throw PolicyException.at(source, 0, null, "empty file (expected: a Policy document)");
        }
        check(source, root, 0, new int[1]);
        return root;
    }

    /** The 1-based line a node starts on. */
    static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    private static void check(String source, Node node, int depth, int[] count) {
        if (++count[0] > MAX_NODES) {
            throw PolicyException.at(source, line(node), null, "more than " + MAX_NODES + " YAML nodes");
        }
        if (depth > MAX_DEPTH) {
            throw PolicyException.at(source, line(node), null, "nested deeper than " + MAX_DEPTH + " levels");
        }
        if (node.getAnchor() != null) {
            throw PolicyException.at(source, line(node), null, "anchor &" + printable(node.getAnchor())
                    + " (expected: no anchors or aliases in a policy)");
        }
        if (!CORE_TAGS.contains(node.getTag())) {
            throw PolicyException.at(source, line(node), null, "tag " + printable(node.getTag().getValue())
                    + " (expected: plain YAML values, no tags)");
        }
        if (node instanceof MappingNode map) {
            for (NodeTuple t : map.getValue()) {
                check(source, t.getKeyNode(), depth + 1, count);
                check(source, t.getValueNode(), depth + 1, count);
            }
        } else if (node instanceof SequenceNode seq) {
            for (Node item : seq.getValue()) {
                check(source, item, depth + 1, count);
            }
        }
    }

    private static String utf8(String source, byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw PolicyException.at(source, 0, null, "not UTF-8 text");
        }
    }

    /** {@code s} with control characters escaped and cut at 120 characters, safe to put in a message. */
    static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            if (b.length() >= 120) {
                return b.append("...").toString();
            }
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }

    private static String oneLine(String s) {
        return printable(s == null ? "" : s.replaceAll("\\s+", " ").trim());
    }
}
