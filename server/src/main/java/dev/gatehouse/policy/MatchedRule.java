package dev.gatehouse.policy;

import java.util.Objects;

/**
 * The rule a decision came from.
 *
 * @param name   the rule's name, unique within a policy
 * @param source the file it was read from ("" for the built-in default)
 * @param line   its line in that file (1-based; 0 when not from a file)
 */
public record MatchedRule(String name, String source, int line) {
    /** No rule matched: the policy's configured default decided. */
    public static final MatchedRule DEFAULT = new MatchedRule("(default)", "", 0);

    public MatchedRule {
        Objects.requireNonNull(name, "name");
        source = source == null ? "" : source;
    }

    @Override
    public String toString() {
        return line > 0 ? name + " (" + source + ":" + line + ")" : name;
    }
}
