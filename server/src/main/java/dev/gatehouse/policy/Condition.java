package dev.gatehouse.policy;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;

/**
 * A rule's compiled {@code when}. Evaluation never compiles; it either answers true or false, or fails with a
 * {@link ConditionError} (a missing key, a wrong type, a result that is not a boolean, the iteration budget spent),
 * which the engine turns into a denial: conditions fail closed.
 */
final class Condition {
    private final String expression;
    private final CelRuntime.Program program;
    private final boolean usesObject;

    Condition(String expression, CelRuntime.Program program, boolean usesObject) {
        this.expression = expression;
        this.program = program;
        this.usesObject = usesObject;
    }

    String expression() {
        return expression;
    }

    /** True when the expression refers to {@code object}, so the body must be read for it. */
    boolean usesObject() {
        return usesObject;
    }

    boolean test(ConditionInputs inputs) {
        Object result;
        try {
            result = program.eval(inputs);
        } catch (CelEvaluationException e) {
            throw new ConditionError(PolicyYaml.printable(e.getMessage()));
        } catch (RuntimeException | StackOverflowError e) {
            throw new ConditionError("evaluation failed (" + e.getClass().getSimpleName() + ")");
        }
        if (result instanceof Boolean b) {
            return b;
        }
        throw new ConditionError("the condition evaluated to " + (result == null ? "null"
                : result.getClass().getSimpleName()) + " (expected: bool)");
    }

    /** A condition that could not be evaluated for one request. */
    static final class ConditionError extends RuntimeException {
        ConditionError(String message) {
            super(message, null, false, false);
        }
    }
}
