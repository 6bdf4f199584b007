package dev.castle.load;

/**
 * One problem with the user's input: where it is, which field (as a JSON pointer), what is wrong
 * and what is allowed. Every stage that reads user input reports problems as diagnostics.
 */
public record Diagnostic(Position position, String pointer, String problem, String allowed) {

    public Diagnostic {
        pointer = pointer == null || pointer.isEmpty() ? "/" : pointer;
        allowed = allowed == null ? "" : allowed;
    }

    /** The one-line form printed to the user: {@code file:line:col: /pointer: problem (allowed: ...)}. */
    public String format() {
        StringBuilder text = new StringBuilder()
                .append(position).append(": ").append(pointer).append(": ").append(problem);
        if (!allowed.isEmpty()) {
            text.append(" (").append(allowed).append(')');
        }
        return text.toString();
    }
}
