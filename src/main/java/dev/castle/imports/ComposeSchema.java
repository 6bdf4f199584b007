package dev.castle.imports;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import dev.castle.load.Diagnostic;
import dev.castle.load.Position;

/**
 * The Compose Specification's JSON Schema ({@code compose-spec.json}, copied into the jar; see
 * {@code COMPOSE-SPEC-SOURCE.md} beside it), applied to each Compose file before anything is
 * converted, with every finding placed at its line and column.
 */
final class ComposeSchema {
    static final String RESOURCE = "/dev/castle/imports/compose-spec.json";
    private static volatile JsonSchema schema;

    private ComposeSchema() {
    }

    private static JsonSchema schema() {
        if (schema == null) {
            synchronized (ComposeSchema.class) {
                if (schema == null) {
                    try (InputStream in = ComposeSchema.class.getResourceAsStream(RESOURCE)) {
                        if (in == null) {
                            throw new IllegalStateException("the Compose schema is missing from the classpath: " + RESOURCE);
                        }
                        JsonNode document = new ObjectMapper().readTree(in);
                        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build();
                        // the schema's own $id is relative ("compose_spec.json"): give it a base to resolve against
                        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(
                                com.networknt.schema.SchemaLocation.of("https://castle.dev/imports/compose-spec.json"), document, config);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
        return schema;
    }

    /** The problems of one Compose file, each at its place, in file order. */
    static List<Diagnostic> check(SourceNode root) {
        JsonNode json = new ObjectMapper().valueToTree(SourceNode.plain(root));
        Set<ValidationMessage> messages = schema().validate(json);
        List<ValidationMessage> all = new ArrayList<>(messages);
        List<Diagnostic> problems = new ArrayList<>();
        for (ValidationMessage message : all) {
            String at = message.getInstanceLocation().toString();
            boolean branch = "oneOf".equals(message.getType()) || "anyOf".equals(message.getType());
            // a value that fits no branch of a oneOf: keep the more specific findings inside it, if any
            if (branch && all.stream().anyMatch(o -> o != message && !"oneOf".equals(o.getType()) && !"anyOf".equals(o.getType())
                    && o.getInstanceLocation().toString().startsWith(at) && !o.getInstanceLocation().toString().equals(at))) {
                continue;
            }
            String pointer = at.isEmpty() ? "/" : at;
            Position position = positionOf(root, pointer, message);
            String property = message.getProperty();
            if ("additionalProperties".equals(message.getType()) && property != null) {
                pointer = (pointer.equals("/") ? "" : pointer) + "/" + SourceNode.escape(property);
            }
            problems.add(new Diagnostic(position, pointer, message.getMessage().replaceFirst("^\\S+: ", ""),
                    "the Compose Specification"));
        }
        problems.sort(Comparator.comparingInt((Diagnostic d) -> d.position().line()).thenComparingInt(d -> d.position().column()));
        return problems;
    }

    private static Position positionOf(SourceNode root, String pointer, ValidationMessage message) {
        SourceNode node = find(root, pointer);
        if ("additionalProperties".equals(message.getType()) && message.getProperty() != null
                && node instanceof SourceNode.Map map) {
            return map.keyPosition(message.getProperty());
        }
        return node.position();
    }

    /** The node at a JSON pointer, or the deepest one on the way there. */
    static SourceNode find(SourceNode root, String pointer) {
        SourceNode node = root;
        if (pointer.equals("/") || pointer.isEmpty()) {
            return node;
        }
        for (String raw : pointer.substring(1).split("/", -1)) {
            String token = raw.replace("~1", "/").replace("~0", "~");
            if (node instanceof SourceNode.Map map && map.get(token).isPresent()) {
                node = map.get(token).get();
            } else if (node instanceof SourceNode.Seq seq && token.matches("\\d+") && Integer.parseInt(token) < seq.items().size()) {
                node = seq.items().get(Integer.parseInt(token));
            } else {
                return node;
            }
        }
        return node;
    }
}
