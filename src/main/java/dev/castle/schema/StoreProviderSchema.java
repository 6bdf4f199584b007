package dev.castle.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import dev.castle.load.Node;
import dev.castle.load.Suggestions;

/**
 * The shape the External Secrets Operator's SecretStore CRD gives {@code spec.provider}: castle
 * writes {@code secretStore.provider} there as written, so what the API server would refuse is
 * refused on the descriptor, at its place. The schema is derived from the CRD catalog by
 * {@code scripts/derive-k8s-schemas.py} (without the CEL rules, which no JSON Schema validator runs).
 */
public final class StoreProviderSchema {
    static final String RESOURCE = "/dev/castle/schema/secretstore-provider.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile StoreProviderSchema instance;

    private final JsonNode document;
    private final JsonSchema schema;

    /** A problem of the provider: its pointer relative to {@code provider} ("" for the provider itself). */
    public record Problem(String pointer, boolean atKey, String problem, String allowed, Optional<String> suggestion) {
    }

    private StoreProviderSchema() {
        try (InputStream in = StoreProviderSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("SecretStore provider schema missing from the classpath: " + RESOURCE);
            }
            document = JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build();
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(document, config);
    }

    private static StoreProviderSchema get() {
        if (instance == null) {
            instance = new StoreProviderSchema();
        }
        return instance;
    }

    /** The providers the operator knows. */
    public static Set<String> providers() {
        Set<String> names = new TreeSet<>();
        get().document.path("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Every place where the provider does not fit the CRD's schema, sorted by place. */
    public static List<Problem> check(Map<String, Object> provider) {
        StoreProviderSchema self = get();
        Set<ValidationMessage> messages = self.schema.validate(JSON.valueToTree(provider));
        List<Problem> problems = new ArrayList<>();
        for (ValidationMessage message : messages) {
            problems.add(self.problem(message));
        }
        problems.sort(Comparator.comparing(Problem::pointer).thenComparing(Problem::problem));
        return problems;
    }

    private Problem problem(ValidationMessage message) {
        String pointer = message.getInstanceLocation().toString();
        pointer = pointer.equals("/") ? "" : pointer;
        JsonNode schemaNode = at(message.getSchemaLocation().getFragment().toString());
        JsonNode parent = at(parentOf(message.getSchemaLocation().getFragment().toString()));
        String detail = message.getMessage().replaceFirst("^\\S+: ", "");
        return switch (message.getType()) {
            case "additionalProperties" -> {
                String key = message.getProperty();
                Set<String> allowed = new TreeSet<>();
                if (parent != null) {
                    parent.path("properties").fieldNames().forEachRemaining(allowed::add);
                }
                String at = pointer + "/" + Node.escapePointerToken(key);
                if (pointer.isEmpty()) {
                    allowed.remove("fake"); // its data are secret values, which castle never writes (SecretRules)
                }
                yield pointer.isEmpty()
                        ? new Problem(at, true, "'" + key + "' is not a provider of the External Secrets Operator",
                                "one of: " + String.join(", ", allowed), Suggestions.closest(key, allowed))
                        : new Problem(at, true, "unknown key '" + key + "' (the SecretStore CRD has no such field)",
                                "allowed keys: " + String.join(", ", allowed), Suggestions.closest(key, allowed));
            }
            case "required" -> new Problem(pointer, false, "missing required key '" + message.getProperty() + "' (the SecretStore CRD needs it)",
                    "add '" + message.getProperty() + "'", Optional.empty());
            case "enum" -> new Problem(pointer, false, "value " + message.getInstanceNode() + " is not allowed by the SecretStore CRD",
                    "one of: " + join(schemaNode), Optional.empty());
            case "type" -> new Problem(pointer, false, "the SecretStore CRD wants " + (schemaNode == null ? "another type" : schemaNode.asText())
                    + " here, not " + type(message.getInstanceNode()), "a value of type " + (schemaNode == null ? "?" : schemaNode.asText()),
                    Optional.empty());
            case "minProperties", "maxProperties" -> new Problem(pointer, false, pointer.isEmpty()
                    ? "the provider names " + (message.getInstanceNode() == null ? 0 : message.getInstanceNode().size()) + " providers"
                    : detail, pointer.isEmpty() ? "exactly one provider, such as vault: {...}" : "what the SecretStore CRD allows",
                    Optional.empty());
            default -> new Problem(pointer, false, "the SecretStore CRD refuses this value: " + detail, "what the SecretStore CRD allows",
                    Optional.empty());
        };
    }

    private JsonNode at(String fragment) {
        if (fragment == null || fragment.isEmpty() || fragment.equals("#")) {
            return document;
        }
        JsonNode node = document.at(fragment.startsWith("#") ? fragment.substring(1) : fragment);
        return node.isMissingNode() ? null : node;
    }

    private static String parentOf(String fragment) {
        int slash = fragment.lastIndexOf('/');
        return slash <= 1 ? "#" : fragment.substring(0, slash);
    }

    private static String join(JsonNode values) {
        List<String> out = new ArrayList<>();
        if (values != null) {
            values.forEach(v -> out.add(v.asText()));
        }
        return String.join(", ", out);
    }

    private static String type(JsonNode node) {
        if (node == null || node.isNull()) {
            return "null";
        }
        return node.isObject() ? "an object" : node.isArray() ? "a list" : node.isTextual() ? "a string"
                : node.isIntegralNumber() ? "an integer" : node.isNumber() ? "a number" : node.isBoolean() ? "a boolean" : node.getNodeType().name();
    }
}
