package dev.gatehouse.policy;

/**
 * A policy that cannot be used: unreadable, malformed, or wrong. The message names the file, the line and the rule
 * where that is known, the value found and what was expected:
 * {@code policy.yaml:14: rule "exec-prod": when: undeclared reference to 'objet' (expected: a CEL expression over
 * identity, request, object)}.
 */
public final class PolicyException extends RuntimeException {
    public PolicyException(String message) {
        super(message, null, false, false);
    }

    /** An error at {@code line} of {@code source} (0: no line), in rule {@code rule} (null: not in a rule). */
    public static PolicyException at(String source, int line, String rule, String message) {
        StringBuilder b = new StringBuilder(source);
        if (line > 0) {
            b.append(':').append(line);
        }
        b.append(": ");
        if (rule != null) {
            b.append("rule \"").append(rule).append("\": ");
        }
        return new PolicyException(b.append(message).toString());
    }
}
