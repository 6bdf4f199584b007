package dev.castle.load;

import java.util.Optional;

/**
 * One finding about the user's input: how serious it is, where it is, which field (as a JSON
 * pointer), what is wrong, what is allowed, and a suggestion (the closest known name) when there is
 * one. Every stage that reads user input reports its findings as diagnostics.
 */
public record Diagnostic(Severity severity, Position position, String pointer, String problem, String allowed,
                         Optional<String> suggestion) {

    /** Errors stop the run; warnings are printed and allowed (errors with {@code --strict}). */
    public enum Severity { error, warning }

    public Diagnostic {
        pointer = pointer == null || pointer.isEmpty() ? "/" : pointer;
        allowed = allowed == null ? "" : allowed;
        suggestion = suggestion == null ? Optional.empty() : suggestion;
    }

    /** An error without a suggestion. */
    public Diagnostic(Position position, String pointer, String problem, String allowed) {
        this(Severity.error, position, pointer, problem, allowed, Optional.empty());
    }

    public boolean isError() {
        return severity == Severity.error;
    }

    public Diagnostic asError() {
        return new Diagnostic(Severity.error, position, pointer, problem, allowed, suggestion);
    }

    /** The one-line form printed to the user: {@code file:line:col: /pointer: problem (did you mean 'x'? allowed)}. */
    public String format() {
        StringBuilder text = new StringBuilder().append(position).append(": ");
        if (severity == Severity.warning) {
            text.append("warning: ");
        }
        text.append(pointer).append(": ").append(problem);
        String hint = suggestion.map(s -> "did you mean '" + s + "'? ").orElse("") + allowed;
        if (!hint.isEmpty()) {
            text.append(" (").append(hint.strip()).append(')');
        }
        return text.toString();
    }
}
