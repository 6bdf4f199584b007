package dev.castle.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.castle.load.Diagnostic.Severity;

/** What the rules found, by JSON pointer of the model's entry; positions are looked up afterwards. */
public final class Findings {
    /** One finding: at the value, or at its key ({@code atKey}) when the name itself is the problem. */
    public record Finding(Severity severity, String pointer, boolean atKey, String problem, String allowed,
                          Optional<String> suggestion) {
    }

    private final List<Finding> found = new ArrayList<>();

    public void error(String pointer, String problem, String allowed) {
        found.add(new Finding(Severity.error, pointer, false, problem, allowed, Optional.empty()));
    }

    /** An error about a name: located at the key. */
    public void errorAtKey(String pointer, String problem, String allowed) {
        found.add(new Finding(Severity.error, pointer, true, problem, allowed, Optional.empty()));
    }

    public void errorAtKey(String pointer, String problem, String allowed, Optional<String> suggestion) {
        found.add(new Finding(Severity.error, pointer, true, problem, allowed, suggestion));
    }

    public void error(String pointer, String problem, String allowed, Optional<String> suggestion) {
        found.add(new Finding(Severity.error, pointer, false, problem, allowed, suggestion));
    }

    public void warning(String pointer, String problem, String allowed) {
        found.add(new Finding(Severity.warning, pointer, false, problem, allowed, Optional.empty()));
    }

    /** "one of: a, b" for the allowed part of a message, or what to do when there is nothing to choose from. */
    static String oneOf(java.util.Collection<String> names, String whenNone) {
        return names.isEmpty() ? whenNone : "one of: " + String.join(", ", names);
    }

    public List<Finding> all() {
        return List.copyOf(found);
    }
}
