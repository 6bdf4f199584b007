package dev.castle.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.castle.testing.Tools;

/**
 * The descriptor's documentation stays complete: every property of the schema has a description
 * (its own, or the one of the definition its {@code $ref} names), and its name appears in README.md's
 * descriptor reference ("## The descriptor" up to "## The generated output"). A field added without
 * either fails here, named by its path ({@code services.<name>.autoscaling.metrics[].object.target.type}).
 * The schema is the classpath resource {@link SchemaCheck} validates with and {@code castle schema}
 * prints (CliTest compares the printed schema with the committed file), read directly: compiling
 * it would triple the test's time.
 */
class SchemaReferenceTest {
    private static final String REFERENCE_START = "## The descriptor";
    private static final String REFERENCE_END = "## The generated output";

    private static JsonNode schema;
    private static String reference;
    private static Set<String> words;
    private static Map<String, Property> properties;
    private static final Pattern ALPHANUMERIC = Pattern.compile("[A-Za-z0-9]+");

    /** A property at a path: its name, and whether each place that defines it describes it. */
    private record Property(String name, boolean described) {
    }

    @BeforeAll
    static void walkSchema() throws IOException {
        try (java.io.InputStream in = SchemaCheck.class.getResourceAsStream(SchemaCheck.SCHEMA_RESOURCE)) {
            assertTrue(in != null, "the descriptor schema is not on the classpath: " + SchemaCheck.SCHEMA_RESOURCE);
            schema = new ObjectMapper().readTree(in);
        }
        String readme = Files.readString(Tools.projectDir().resolve("README.md"));
        int start = readme.indexOf(REFERENCE_START);
        int end = readme.indexOf(REFERENCE_END, Math.max(start, 0));
        assertTrue(start >= 0 && end > start, "README.md has no part from '" + REFERENCE_START + "' to '" + REFERENCE_END + "'");
        reference = readme.substring(start, end);
        words = new java.util.HashSet<>(List.of(reference.split("[^A-Za-z0-9]+")));
        properties = new TreeMap<>();
        walk(schema, "", new ArrayDeque<>());
    }

    @Test
    void everyPropertyHasADescription() {
        List<String> undescribed = properties.entrySet().stream().filter(e -> !e.getValue().described()).map(Map.Entry::getKey).toList();
        assertEquals(List.of(), undescribed, () -> undescribed.size() + " properties of schemas/castle-v1alpha1.schema.json have no "
                + "description (castle schema prints it for editors): add one (what it is, the default castle decides, the allowed "
                + "values, what it becomes)\n  " + String.join("\n  ", undescribed));
    }

    @Test
    void everyPropertyIsInTheReadmeReference() {
        List<String> missing = properties.entrySet().stream()
                .filter(e -> !mentioned(e.getValue().name())).map(Map.Entry::getKey).toList();
        assertEquals(List.of(), missing, () -> missing.size() + " properties of the schema are not named in README.md's reference ('"
                + REFERENCE_START + "' up to '" + REFERENCE_END + "'): document them there\n  " + String.join("\n  ", missing));
    }

    /** The walk reaches every kind of place a property is defined (else the two tests above would pass on nothing). */
    @Test
    void theWalkReachesEveryPlacePropertiesAreDefined() {
        for (String path : List.of(
                "apiVersion", // top level
                "metadata.maintainers[].email", // items
                "services.<name>.dependsOn[].env.url.name", // oneOf inside items of a $defs reference
                "services.<name>.expose.paths[].match", // anyOf
                "services.<name>.autoscaling.metrics[].object.describedObject.kind", // $ref to $defs in items
                "services.<name>.probes.liveness.grpc", // $ref, then oneOf
                "environments.<name>.services.<name>.canary.image.tag", // additionalProperties, $ref, oneOf
                "environments.<name>.credentials.generator", // $ref to #/properties/...
                "environments.<name>.secretStore.provider")) {
            assertTrue(properties.containsKey(path), () -> "the walk missed " + path + "; it found " + properties.size() + " properties");
        }
        assertTrue(properties.size() > 800, () -> "only " + properties.size() + " properties found");
    }

    /**
     * The name as a word of the reference: not inside a longer name ({@code port} in {@code servicePort}
     * does not count). A name of letters and digits is one of the reference's runs of letters and digits.
     */
    private static boolean mentioned(String name) {
        if (ALPHANUMERIC.matcher(name).matches()) {
            return words.contains(name);
        }
        return Pattern.compile("(?<![A-Za-z0-9])" + Pattern.quote(name) + "(?![A-Za-z0-9])").matcher(reference).find();
    }

    /**
     * Records the properties a schema defines at {@code path}, then walks into each of them and into every
     * subschema that describes the same value or its parts: {@code $ref} (a JSON pointer into this
     * document: {@code #/$defs/...} or {@code #/properties/...}), {@code allOf}, {@code anyOf},
     * {@code oneOf}, {@code then}, {@code else}, {@code items}, {@code additionalProperties} and
     * {@code patternProperties}. {@code if} only states conditions on properties defined elsewhere;
     * {@code propertyNames} constrains keys, which have no description of their own. A reference
     * already being walked on the way here is not walked again (recursive definitions end).
     */
    private static void walk(JsonNode node, String path, Deque<String> refs) {
        if (!node.isObject()) {
            return;
        }
        if (node.has("$ref")) {
            String ref = node.get("$ref").asText();
            if (!refs.contains(ref)) {
                refs.push(ref);
                walk(resolve(ref), path, refs);
                refs.pop();
            }
        }
        node.path("properties").fields().forEachRemaining(entry -> {
            String child = path.isEmpty() ? entry.getKey() : path + "." + entry.getKey();
            boolean described = describes(entry.getValue(), new TreeSet<>());
            properties.merge(child, new Property(entry.getKey(), described),
                    (a, b) -> new Property(a.name(), a.described() && b.described()));
            walk(entry.getValue(), child, refs);
        });
        for (String key : List.of("allOf", "anyOf", "oneOf")) {
            node.path(key).forEach(alternative -> walk(alternative, path, refs));
        }
        for (String key : List.of("then", "else")) {
            walk(node.path(key), path, refs);
        }
        walk(node.path("items"), path + "[]", refs);
        walk(node.path("additionalProperties"), path + ".<name>", refs);
        node.path("patternProperties").forEach(value -> walk(value, path + ".<name>", refs));
    }

    /** A non-blank description here, or on the definition a $ref here names (followed to its end). */
    private static boolean describes(JsonNode node, Set<String> seen) {
        if (!node.path("description").asText("").isBlank()) {
            return true;
        }
        String ref = node.path("$ref").asText("");
        return !ref.isEmpty() && seen.add(ref) && describes(resolve(ref), seen);
    }

    /** A local reference: a JSON pointer into the schema ({@code ~1} is '/', {@code ~0} is '~'). */
    private static JsonNode resolve(String ref) {
        assertTrue(ref.startsWith("#/"), () -> "not a local reference: " + ref);
        JsonNode target = schema.at(ref.substring(1));
        assertTrue(!target.isMissingNode(), () -> "the schema has no " + ref);
        return target;
    }
}
