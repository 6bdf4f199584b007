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
        List<Diagnostic> problems = schema.check(root);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        problems = new SemanticRules(root, baseDir).check();
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
    }

    /** The descriptor's JSON Schema, as {@code castle schema} prints it. */
    public String schemaText() {
        return schema.schemaText();
    }
}
