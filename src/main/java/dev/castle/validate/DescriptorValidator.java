package dev.castle.validate;

import java.nio.file.Path;
import java.util.List;

import dev.castle.load.Diagnostic;
import dev.castle.load.InvalidInputException;
import dev.castle.load.Node;

/** Second stage: the JSON Schema, then the semantic rules; all problems reported at once. */
public final class DescriptorValidator {
    private final SchemaCheck schema = new SchemaCheck();

    public void validate(Node root, Path baseDir) throws InvalidInputException {
        List<Diagnostic> problems = new java.util.ArrayList<>(schema.check(root));
        if (problems.isEmpty()) {
            problems.addAll(new SemanticRules(root, baseDir).check());
            if (problems.isEmpty()) {
                problems.addAll(new EnvironmentRules((Node.MapNode) root, baseDir).check());
            }
        } else if (root instanceof Node.MapNode) {
            // The rules also run on the services and components the schema found nothing wrong with,
            // so that one run reports every problem it can locate.
            problems.addAll(new SemanticRules(root, baseDir).checkEntriesWithout(problems));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
    }

    /** The descriptor's JSON Schema, as {@code castle schema} prints it. */
    public String schemaText() {
        return schema.schemaText();
    }
}
