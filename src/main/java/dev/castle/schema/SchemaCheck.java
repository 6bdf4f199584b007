package dev.castle.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import dev.castle.load.Diagnostic;
import dev.castle.load.Node;
import dev.castle.load.SourceMap;
import dev.castle.load.Suggestions;

/**
 * The schema stage: checks the descriptor against {@code schemas/castle-v1alpha1.schema.json} and turns the
 * validator's findings into located diagnostics: one per problem, the most specific one when a
 * value fits none of the alternatives of a {@code oneOf}, with "did you mean" for unknown keys.
 */
public final class SchemaCheck {
    static final String SCHEMA_RESOURCE = "/schemas/castle-v1alpha1.schema.json";

    /** The schema read and compiled once per run (a tenth of a second of a cold JVM), on first use or ahead by {@link #prepare}. */
    private record Compiled(JsonNode document, JsonSchema schema) {
    }

    private static final FutureTask<Compiled> COMPILED = new FutureTask<>(SchemaCheck::compile);
    private static final AtomicBoolean PREPARING = new AtomicBoolean();

    private final JsonNode schemaDocument;
    private final JsonSchema schema;

    public SchemaCheck() {
        Compiled compiled = compiled();
        schemaDocument = compiled.document();
        schema = compiled.schema();
    }

    /**
     * Starts reading and compiling the schema on a background thread, for a command that is about to
     * load a descriptor: the JVM then loads and runs the validator on the second core meanwhile.
     */
    public static void prepare() {
        if (PREPARING.compareAndSet(false, true)) {
            Thread thread = new Thread(COMPILED, "castle-schema");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private static Compiled compiled() {
        COMPILED.run(); // does nothing when it ran or runs already
        try {
            return COMPILED.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while compiling the descriptor schema", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static Compiled compile() {
        JsonNode document;
        try (InputStream in = SchemaCheck.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("descriptor schema missing from the classpath: " + SCHEMA_RESOURCE);
            }
            document = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_POINTER)
                .formatAssertionsEnabled(true)
                .build();
        return new Compiled(document, JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(document, config));
    }

    /**
     * A schema problem, and the pointer of the field it is about (for a missing key, the key that
     * is missing), so that later stages can leave that field alone.
     */
    public record Problem(Diagnostic diagnostic, String field) {
    }

    /** Every place where the tree does not fit the schema, located. */
    public List<Problem> check(Node root) {
        Set<ValidationMessage> messages = schema.validate(JsonTree.of(root));
        List<ValidationMessage> specific = mostSpecific(messages);
        List<Problem> problems = new ArrayList<>();
        SourceMap sources = new SourceMap(root);
        java.util.Map<String, List<ValidationMessage>> nulls = new java.util.LinkedHashMap<>();
        for (ValidationMessage message : specific) {
            if ("type".equals(message.getType()) && (message.getInstanceNode() == null || message.getInstanceNode().isNull())) {
                nulls.computeIfAbsent(message.getInstanceLocation().toString(), k -> new ArrayList<>()).add(message);
            }
        }
        for (ValidationMessage message : specific) {
            List<ValidationMessage> sameNull = nulls.get(message.getInstanceLocation().toString());
            if (sameNull != null && sameNull.contains(message)) {
                if (sameNull.get(0) == message) {
                    Diagnostic diagnostic = nullValue(sources, sameNull);
                    problems.add(new Problem(diagnostic, diagnostic.pointer()));
                }
                continue;
            }
            Diagnostic diagnostic = toDiagnostic(sources, message);
            String field = diagnostic.pointer();
            if ("required".equals(message.getType()) && message.getProperty() != null) {
                field = (field.equals("/") ? "" : field) + "/" + Node.escapePointerToken(message.getProperty());
            }
            problems.add(new Problem(diagnostic, field));
        }
        return problems;
    }

    /**
     * A value that fits none of a oneOf's branches yields an error per branch. Keep, per instance
     * location, the errors of the branch that got furthest (the deepest instance location, then
     * the branch whose type matched), so that a typo in a long form is not reported as "expected
     * a string".
     */
    private static List<ValidationMessage> mostSpecific(Set<ValidationMessage> messages) {
        List<ValidationMessage> all = new ArrayList<>(messages);
        List<ValidationMessage> kept = new ArrayList<>();
        for (ValidationMessage message : all) {
            if ("oneOf".equals(message.getType()) || "anyOf".equals(message.getType())) {
                String at = message.getInstanceLocation().toString();
                boolean explained = all.stream().anyMatch(other -> other != message
                        && !"oneOf".equals(other.getType()) && !"anyOf".equals(other.getType())
                        && isWithin(other.getInstanceLocation().toString(), at));
                if (explained) {
                    continue;
                }
            }
            if (isBranchMismatch(message, all)) {
                continue;
            }
            kept.add(message);
        }
        kept.sort(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString())
                .thenComparing(ValidationMessage::getMessage));
        return kept;
    }

    /** A "type" or "const" error of a oneOf branch when another branch at the same place got further. */
    private static boolean isBranchMismatch(ValidationMessage message, List<ValidationMessage> all) {
        String type = message.getType();
        if (!"type".equals(type) && !"const".equals(type) && !"required".equals(type)) {
            return false;
        }
        String evaluation = message.getEvaluationPath().toString();
        int branch = evaluation.lastIndexOf("/oneOf/");
        if (branch < 0) {
            return false;
        }
        String oneOf = evaluation.substring(0, branch + "/oneOf/".length());
        String at = message.getInstanceLocation().toString();
        return all.stream().anyMatch(other -> other != message
                && other.getEvaluationPath().toString().startsWith(oneOf)
                && !sameBranch(other.getEvaluationPath().toString(), evaluation, oneOf.length())
                && isWithin(other.getInstanceLocation().toString(), at)
                && rank(other) > rank(message));
    }

    private static int rank(ValidationMessage message) {
        return switch (message.getType()) {
            case "type", "const" -> 0;
            case "required" -> 1;
            default -> 2;
        } + message.getInstanceLocation().getNameCount() * 10;
    }

    private static boolean sameBranch(String a, String b, int prefix) {
        int endA = a.indexOf('/', prefix);
        int endB = b.indexOf('/', prefix);
        String branchA = endA < 0 ? a.substring(prefix) : a.substring(prefix, endA);
        String branchB = endB < 0 ? b.substring(prefix) : b.substring(prefix, endB);
        return branchA.equals(branchB);
    }

    private static boolean isWithin(String location, String ancestor) {
        return location.equals(ancestor) || location.startsWith(ancestor.endsWith("/") ? ancestor : ancestor + "/");
    }

    private Diagnostic toDiagnostic(SourceMap root, ValidationMessage message) {
        String pointer = message.getInstanceLocation().toString();
        if (pointer.isEmpty()) {
            pointer = "/";
        }
        JsonNode schemaNode = schemaAt(message.getSchemaLocation().getFragment().toString());
        JsonNode parentSchema = schemaAt(parentOf(message.getSchemaLocation().getFragment().toString()));
        String type = message.getType();
        String detail = stripLocation(message.getMessage());
        switch (type) {
            case "additionalProperties" -> {
                String key = message.getProperty();
                String at = pointer.equals("/") ? "/" + Node.escapePointerToken(key) : pointer + "/" + Node.escapePointerToken(key);
                Set<String> allowed = new TreeSet<>();
                JsonNode properties = parentSchema == null ? null : parentSchema.get("properties");
                if (properties != null) {
                    properties.fieldNames().forEachRemaining(allowed::add);
                }
                return new Diagnostic(Diagnostic.Severity.error, root.keyPosition(at), at, "unknown key '" + key + "'",
                        "allowed keys: " + String.join(", ", allowed), Suggestions.closest(key, allowed));
            }
            case "required" -> {
                String key = message.getProperty();
                String description = describe(parentSchema == null ? null : parentSchema.path("properties").path(key));
                return new Diagnostic(root.position(pointer), pointer, "missing required key '" + key + "'",
                        description.isEmpty() ? "add '" + key + "'" : "add '" + key + "': " + description);
            }
            case "enum" -> {
                return new Diagnostic(root.position(pointer), pointer,
                        "value " + shown(message.getInstanceNode()) + " is not allowed",
                        "one of: " + join(schemaNode));
            }
            case "const" -> {
                return new Diagnostic(root.position(pointer), pointer,
                        "value " + shown(message.getInstanceNode()) + " is not allowed",
                        "exactly " + schemaNode);
            }
            case "type" -> {
                String expected = schemaNode == null ? "" : schemaNode.isArray() ? join(schemaNode) : schemaNode.asText();
                String got = jsonType(message.getInstanceNode());
                String hint = "string".equals(expected) && !"object".equals(got) && !"array".equals(got)
                        ? "; quote the value to make it a string" : "";
                return new Diagnostic(root.position(pointer), pointer,
                        "expected " + article(expected) + ", got " + article(got) + " " + shown(message.getInstanceNode()),
                        describe(parentSchema) + hint);
            }
            case "pattern", "maxLength", "minLength", "minimum", "maximum", "minItems", "minProperties", "uniqueItems" -> {
                String what = describe(parentSchema);
                return new Diagnostic(root.position(pointer), pointer,
                        shown(message.getInstanceNode()) + ": " + detail,
                        what);
            }
            case "propertyNames" -> {
                // a key the map does not allow: located at the key, with what the map's keys are
                java.util.regex.Matcher named = java.util.regex.Pattern.compile("property '(.*)' name is not valid: (.*)").matcher(detail);
                String key = message.getProperty() != null ? message.getProperty() : named.find() ? named.group(1) : "";
                String why = named.find(0) && !named.group(2).contains("regex") ? ": " + named.group(2) : "";
                String at = (pointer.equals("/") ? "" : pointer) + "/" + Node.escapePointerToken(key);
                String what = describe(schemaNode).isEmpty() ? describe(parentSchema) : describe(schemaNode);
                return new Diagnostic(Diagnostic.Severity.error, root.keyPosition(at), at, "'" + key + "' is not a valid key here" + why,
                        what, Optional.empty());
            }
            case "oneOf", "anyOf" -> {
                return new Diagnostic(root.position(pointer), pointer,
                        "value " + shown(message.getInstanceNode()) + " fits none of the allowed forms",
                        describe(parentSchema));
            }
            default -> {
                return new Diagnostic(root.position(pointer), pointer, detail, describe(parentSchema));
            }
        }
    }

    /** A null where the schema wants a value: one problem, whatever number of forms the value may take. */
    private Diagnostic nullValue(SourceMap root, List<ValidationMessage> messages) {
        String pointer = messages.get(0).getInstanceLocation().toString();
        pointer = pointer.isEmpty() ? "/" : pointer;
        java.util.Set<String> expected = new java.util.LinkedHashSet<>();
        String description = "";
        for (ValidationMessage message : messages) {
            JsonNode schemaNode = schemaAt(message.getSchemaLocation().getFragment().toString());
            if (schemaNode != null && schemaNode.isArray()) {
                schemaNode.forEach(t -> expected.add(t.asText()));
            } else if (schemaNode != null) {
                expected.add(schemaNode.asText());
            }
            if (description.isEmpty()) {
                String at = parentOf(message.getSchemaLocation().getFragment().toString());
                while (at.matches(".*/(oneOf|anyOf)/\\d+")) {
                    at = parentOf(parentOf(at));
                }
                description = describe(schemaAt(at));
            }
        }
        expected.remove("null");
        String forms = String.join(" or ", expected.stream().map(SchemaCheck::article).toList());
        return new Diagnostic(root.position(pointer), pointer, "the value is empty (null)",
                "write " + forms + ", or remove the key" + (description.isEmpty() ? "" : "; " + description));
    }

    private static String article(String type) {
        if (type.isEmpty()) {
            return "a value";
        }
        return (type.matches("^[aeiou].*") ? "an " : "a ") + type;
    }

    private static String jsonType(JsonNode node) {
        if (node == null || node.isNull()) {
            return "null";
        }
        if (node.isIntegralNumber()) {
            return "integer";
        }
        if (node.isNumber()) {
            return "number";
        }
        if (node.isBoolean()) {
            return "boolean";
        }
        if (node.isObject()) {
            return "object";
        }
        if (node.isArray()) {
            return "array";
        }
        return "string";
    }

    private static String shown(JsonNode node) {
        if (node == null || node.isNull()) {
            return "";
        }
        if (node.isContainerNode()) {
            return node.isArray() ? "(a list)" : "(a mapping)";
        }
        String text = node.isIntegralNumber() && node.toString().length() > 20
                ? new java.math.BigDecimal(node.bigIntegerValue()).round(new java.math.MathContext(6)).stripTrailingZeros().toString()
                : node.toString();
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }

    private static String join(JsonNode array) {
        if (array == null) {
            return "";
        }
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.isTextual() ? v.asText() : v.toString()));
        return String.join(", ", values);
    }

    private String describe(JsonNode schemaNode) {
        if (schemaNode == null || schemaNode.isMissingNode()) {
            return "";
        }
        JsonNode description = schemaNode.get("description");
        if (description == null && schemaNode.has("$ref")) {
            JsonNode target = schemaAt(schemaNode.get("$ref").asText());
            description = target == null ? null : target.get("description");
        }
        return description == null ? "" : description.asText();
    }

    private JsonNode schemaAt(String fragment) {
        if (fragment == null || fragment.isEmpty() || fragment.equals("#")) {
            return schemaDocument;
        }
        String pointer = fragment.startsWith("#") ? fragment.substring(1) : fragment;
        JsonNode node = schemaDocument.at(pointer);
        return node.isMissingNode() ? null : node;
    }

    private static String parentOf(String fragment) {
        int slash = fragment.lastIndexOf('/');
        return slash <= 0 ? "" : fragment.substring(0, slash);
    }

    private static String stripLocation(String message) {
        int colon = message.indexOf(": ");
        return colon >= 0 && (message.startsWith("/") || message.startsWith("$") || colon == 0)
                ? message.substring(colon + 2) : message;
    }

    /** Exposed for {@code castle schema}. */
    public String schemaText() {
        try {
            return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(schemaDocument);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
