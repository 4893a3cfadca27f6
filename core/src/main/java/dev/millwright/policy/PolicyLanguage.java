package dev.millwright.policy;

import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CEL as policies use it: the standard functions and macros ({@code all}, {@code exists}, {@code filter},
 * {@code map}) and the strings extension ({@code join}, {@code lowerAscii}), each subject's variables declared,
 * and a cap on comprehension steps so no expression runs long. Compiled programs are kept by text: policies are
 * evaluated on every write and every placement, and rarely change.
 */
final class PolicyLanguage {
    /** Loops over inputs far larger than any stack or fleet view stop here instead of running on. */
    static final int MAX_ITERATIONS = 100_000;

    private static final CelOptions OPTIONS = CelOptions.current().comprehensionMaxIterations(MAX_ITERATIONS).build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .setOptions(OPTIONS).addLibraries(CelExtensions.strings()).build();
    private static final Map<Subject, CelCompiler> BOOL = compilers(SimpleType.BOOL);
    private static final Map<Subject, CelCompiler> STRING = compilers(SimpleType.STRING);
    private static final Map<String, CelRuntime.Program> PROGRAMS = new ConcurrentHashMap<>();
    private static final int MAX_CACHED = 10_000;

    private PolicyLanguage() {
    }

    /** What an expression must evaluate to. */
    enum Result { BOOL, STRING }

    /** An expression that does not compile, with CEL's report: each error's line, column and a caret under it. */
    static final class InvalidExpressionException extends Exception {
        InvalidExpressionException(String report) {
            super(report);
        }
    }

    /**
     * Compiles an expression for a subject; {@code field} names it in the report ("spec.rule:1:16: undeclared
     * reference to 'foo'").
     */
    static CelRuntime.Program compile(Subject subject, Result result, String field, String expression) throws InvalidExpressionException {
        String key = subject + "|" + result + "|" + expression;
        CelRuntime.Program cached = PROGRAMS.get(key);
        if (cached != null) return cached;
        CelValidationResult compiled = (result == Result.BOOL ? BOOL : STRING).get(subject).compile(expression, field);
        if (compiled.hasError()) throw new InvalidExpressionException(compiled.getErrorString().replace(" (in container '')", ""));
        try {
            CelRuntime.Program program = RUNTIME.createProgram(compiled.getAst());
            if (PROGRAMS.size() < MAX_CACHED) PROGRAMS.put(key, program);
            return program;
        } catch (CelEvaluationException | dev.cel.common.CelValidationException | RuntimeException e) {
            throw new InvalidExpressionException(field + ": " + e.getMessage());
        }
    }

    /** Evaluates a compiled program over the subject's variables. */
    static Object eval(CelRuntime.Program program, Map<String, Object> input) throws CelEvaluationException {
        return program.eval(input);
    }

    private static Map<Subject, CelCompiler> compilers(CelType result) {
        Map<Subject, CelCompiler> out = new EnumMap<>(Subject.class);
        for (Subject s : Subject.values()) {
            var builder = CelCompilerFactory.standardCelCompilerBuilder()
                    .setOptions(OPTIONS)
                    .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                    .addLibraries(CelExtensions.strings())
                    .setResultType(result);
            for (String v : s.variables()) builder.addVar(v, v.equals("findings") ? ListType.create(SimpleType.DYN) : SimpleType.DYN);
            out.put(s, builder.build());
        }
        return out;
    }
}
