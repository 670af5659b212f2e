package dev.gatehouse.policy;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;

/**
 * Compiles a rule's {@code when} with CEL, once, at load. The environment declares three variables:
 * {@code identity} (a map: user, uid, groups, issuer, method, actors, claims), {@code request} (a map of strings:
 * cluster, verb, apiGroup, apiVersion, resource, subresource, namespace, name, path) and {@code object} (the
 * request's body as JSON values, null when absent). The standard macros ({@code has}, {@code all}, {@code exists},
 * {@code map}, {@code filter}) are on; comprehensions are bounded by {@link #MAX_ITERATIONS}.
 */
final class ConditionCompiler {
    /** The longest condition accepted, in code points. */
    static final int MAX_LENGTH = 4096;
    /** The most loop iterations one evaluation may run. */
    static final int MAX_ITERATIONS = 10_000;
    static final String EXPECTED = "a CEL expression over identity, request, object";

    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setOptions(CelOptions.current().enableHeterogeneousNumericComparisons(true)
                    .comprehensionMaxIterations(MAX_ITERATIONS).maxExpressionCodePointSize(MAX_LENGTH)
                    .maxParseRecursionDepth(100).build())
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("identity", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("request", MapType.create(SimpleType.STRING, SimpleType.STRING))
            .addVar("object", SimpleType.DYN)
            .build();

    private ConditionCompiler() {
    }

    /**
     * The condition {@code expression} compiles to. A compile error, or a result that cannot be a boolean, throws an
     * {@link IllegalArgumentException} whose message says what is wrong and what was expected.
     */
    static Condition compile(String expression) {
        if (expression.codePointCount(0, expression.length()) > MAX_LENGTH) {
            throw new IllegalArgumentException("longer than " + MAX_LENGTH + " characters (expected: " + EXPECTED
                    + ")");
        }
        CelAbstractSyntaxTree ast;
        try {
            ast = CEL.compile(expression).getAst();
        } catch (CelValidationException e) {
            CelIssue first = e.getErrors().isEmpty() ? null : e.getErrors().get(0);
            String message = first == null ? e.getMessage() : first.getMessage().replace(" (in container '')", "");
            throw new IllegalArgumentException(PolicyYaml.printable(message) + " (expected: " + EXPECTED + ")");
        } catch (RuntimeException | StackOverflowError e) {
            throw new IllegalArgumentException("cannot be compiled (expected: " + EXPECTED + ")");
        }
        CelKind kind = ast.getResultType().kind();
        if (kind != CelKind.BOOL && kind != CelKind.DYN) {
            throw new IllegalArgumentException("evaluates to " + ast.getResultType().name()
                    + " (expected: a condition that evaluates to bool)");
        }
        boolean usesObject = ast.getReferenceMap().values().stream().anyMatch(r -> r.name().equals("object"));
        try {
            return new Condition(expression, CEL.createProgram(ast), usesObject);
        } catch (CelEvaluationException e) {
            throw new IllegalArgumentException(PolicyYaml.printable(e.getMessage()) + " (expected: " + EXPECTED + ")");
        }
    }

}
