package dev.gatehouse.mask;

import java.util.Arrays;

/**
 * Where the parser is in a body of the Secret shape, and so what the next value is: one role per open object or
 * array (a stack), and the role of the value the last field name announced. Roles are ints, not objects, so that
 * following the shape costs next to nothing per token.
 */
final class SecretShape {
    /** An object that may be a Secret, a list of them, a watch event or a Table (and arrays of them). */
    static final int SECRET = 0;
    /** Under {@code data}: every scalar is base64, masked with a base64 marker. */
    static final int DATA = 1;
    /** Under {@code stringData}: every scalar masked with a plain marker. */
    static final int STRING_DATA = 2;
    static final int METADATA = 3;
    static final int ANNOTATIONS = 4;
    /** The last-applied annotation: JSON of the whole object. */
    static final int LAST_APPLIED = 5;
    /** Nothing below is masked. */
    static final int PASS = 6;

    private int[] stack = new int[32];
    private boolean[] arrays = new boolean[32];
    private int depth;
    private int valueRole = SECRET;

    /** The role of the next value. */
    int valueRole() {
        return valueRole;
    }

    /** True while the next value (or a token being read) may have to be replaced, so its bytes must wait. */
    boolean holding() {
        return valueRole == DATA || valueRole == STRING_DATA || valueRole == LAST_APPLIED;
    }

    boolean atRoot() {
        return depth == 0;
    }

    void open(boolean array) {
        int role = switch (valueRole) {
            case LAST_APPLIED -> STRING_DATA;
            case METADATA, ANNOTATIONS -> array ? PASS : valueRole;
            default -> valueRole;
        };
        if (depth == stack.length) {
            stack = Arrays.copyOf(stack, depth * 2);
            arrays = Arrays.copyOf(arrays, depth * 2);
        }
        arrays[depth] = array;
        stack[depth++] = role;
        valueRole = array ? role : PASS;
    }

    void close() {
        depth--;
        valueDone();
    }

    void field(String name) {
        valueRole = switch (stack[depth - 1]) {
            case SECRET -> secretField(name);
            case METADATA -> name.equalsIgnoreCase("annotations") ? ANNOTATIONS : PASS;
            case ANNOTATIONS -> name.equals(JsonMasker.LAST_APPLIED) ? LAST_APPLIED : PASS;
            case DATA, STRING_DATA -> stack[depth - 1];
            default -> PASS;
        };
    }

    /** A value (scalar or container) ended: what comes next. */
    void valueDone() {
        if (depth == 0) {
            valueRole = SECRET;
        } else if (!isArray()) {
            valueRole = PASS;
        } else {
            valueRole = stack[depth - 1];
        }
    }

    private boolean isArray() {
        return arrays[depth - 1];
    }

    private static int secretField(String name) {
        if (name.equalsIgnoreCase("data")) {
            return DATA;
        }
        if (name.equalsIgnoreCase("stringData")) {
            return STRING_DATA;
        }
        if (name.equalsIgnoreCase("metadata")) {
            return METADATA;
        }
        if (name.equalsIgnoreCase("items") || name.equalsIgnoreCase("object") || name.equalsIgnoreCase("rows")) {
            return SECRET;
        }
        return PASS;
    }
}
