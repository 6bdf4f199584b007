package dev.castle.imports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.castle.load.Diagnostic;
import dev.castle.load.InvalidInputException;

/**
 * Compose's variable interpolation in values (never in keys): {@code $$} is a dollar sign,
 * {@code $VAR} and {@code ${VAR}} the variable, {@code ${VAR:-default}} / {@code ${VAR-default}} a
 * default when unset or empty / unset, {@code ${VAR:?message}} / {@code ${VAR?message}} an error,
 * {@code ${VAR:+other}} / {@code ${VAR+other}} a replacement when set. Variables come from the
 * environment given (the process environment over the project's {@code .env} file, as in
 * {@code docker compose}); an unset variable without a default becomes empty, and is reported.
 */
final class Interpolation {
    private final Map<String, String> variables;
    /** Variables that were used, and those that were unset without a default. */
    final Set<String> used = new TreeSet<>();
    final Set<String> unset = new TreeSet<>();
    private final List<Diagnostic> errors = new ArrayList<>();

    Interpolation(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    SourceNode apply(SourceNode node) throws InvalidInputException {
        SourceNode result = walk(node);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return result;
    }

    private SourceNode walk(SourceNode node) {
        if (node instanceof SourceNode.Map map) {
            Map<String, SourceNode.Entry> entries = new LinkedHashMap<>();
            map.entries().forEach((k, e) -> entries.put(k, new SourceNode.Entry(e.keyPosition(), walk(e.value()))));
            return new SourceNode.Map(map.position(), map.pointer(), entries);
        }
        if (node instanceof SourceNode.Seq seq) {
            return new SourceNode.Seq(seq.position(), seq.pointer(), seq.items().stream().map(this::walk).toList());
        }
        SourceNode.Scalar scalar = (SourceNode.Scalar) node;
        if (scalar.type() != SourceNode.Type.STRING || !scalar.text().contains("$")) {
            return scalar;
        }
        try {
            return new SourceNode.Scalar(scalar.position(), scalar.pointer(), expand(scalar.text()), SourceNode.Type.STRING);
        } catch (IllegalArgumentException e) {
            errors.add(new Diagnostic(scalar.position(), scalar.pointer(), e.getMessage(),
                    "$$ for a dollar sign, $VAR, ${VAR}, ${VAR:-default}, ${VAR:?error}, ${VAR:+other}"));
            return scalar;
        }
    }

    String expand(String text) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '$') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 < text.length() && text.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
                continue;
            }
            if (i + 1 < text.length() && text.charAt(i + 1) == '{') {
                int end = closingBrace(text, i + 2);
                out.append(braced(text.substring(i + 2, end)));
                i = end + 1;
                continue;
            }
            int j = i + 1;
            while (j < text.length() && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_')
                    && (j > i + 1 || !Character.isDigit(text.charAt(j)))) {
                j++;
            }
            if (j == i + 1) {
                out.append('$');
                i++;
                continue;
            }
            out.append(value(text.substring(i + 1, j), true).orElse(""));
            i = j;
        }
        return out.toString();
    }

    private static int closingBrace(String text, int from) {
        int depth = 1;
        for (int i = from; i < text.length(); i++) {
            if (text.charAt(i) == '{') {
                depth++;
            } else if (text.charAt(i) == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("'${' without its closing '}' in \"" + text + "\"");
    }

    private String braced(String inner) {
        int op = 0;
        while (op < inner.length() && (Character.isLetterOrDigit(inner.charAt(op)) || inner.charAt(op) == '_')) {
            op++;
        }
        String name = inner.substring(0, op);
        if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
            throw new IllegalArgumentException("invalid variable name in \"${" + inner + "}\"");
        }
        String rest = inner.substring(op);
        if (rest.isEmpty()) {
            return value(name, true).orElse("");
        }
        boolean colon = rest.startsWith(":");
        String operator = colon ? rest.substring(0, Math.min(2, rest.length())) : rest.substring(0, 1);
        String argument = rest.substring(operator.length());
        java.util.Optional<String> value = value(name, false);
        boolean set = colon ? value.filter(v -> !v.isEmpty()).isPresent() : value.isPresent();
        switch (operator.replace(":", "")) {
            case "-" -> {
                return set ? value.get() : expand(argument);
            }
            case "?" -> {
                if (!set) {
                    throw new IllegalArgumentException("required variable " + name + " is not set: " + expand(argument));
                }
                return value.get();
            }
            case "+" -> {
                return set ? expand(argument) : "";
            }
            default -> throw new IllegalArgumentException("invalid interpolation \"${" + inner + "}\"");
        }
    }

    private java.util.Optional<String> value(String name, boolean reportUnset) {
        String value = variables.get(name);
        if (value == null) {
            if (reportUnset) {
                unset.add(name);
            }
            return java.util.Optional.empty();
        }
        used.add(name);
        return java.util.Optional.of(value);
    }
}
