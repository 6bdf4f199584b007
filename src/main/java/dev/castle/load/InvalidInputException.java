package dev.castle.load;

import java.util.Comparator;
import java.util.List;

/** Thrown by any stage that found problems in the user's input; carries all of them, sorted by place. */
public final class InvalidInputException extends Exception {
    private final transient List<Diagnostic> diagnostics;

    public InvalidInputException(List<Diagnostic> diagnostics) {
        super(diagnostics.size() + " problem(s) in the descriptor");
        this.diagnostics = diagnostics.stream()
                .sorted(Comparator.comparing((Diagnostic d) -> d.position().file().toString())
                        .thenComparingInt(d -> d.position().line())
                        .thenComparingInt(d -> d.position().column())
                        .thenComparing(Diagnostic::pointer)
                        .thenComparing(Diagnostic::problem))
                .distinct()
                .toList();
    }

    public InvalidInputException(Diagnostic diagnostic) {
        this(List.of(diagnostic));
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
