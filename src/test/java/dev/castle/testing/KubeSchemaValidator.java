package dev.castle.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Validates Kubernetes manifests against the Kubernetes 1.36 OpenAPI schemas and the CRD schemas
 * kept in the test resources ({@code /k8s-schemas/}, derived by {@code scripts/derive-k8s-schemas.py}),
 * strictly, as {@code kubeconform -strict} does:
 *
 * <ul>
 *   <li>every object schema that lists {@code properties} and says nothing of
 *       {@code additionalProperties} gets {@code additionalProperties: false}, so a misspelt field
 *       is an error;</li>
 *   <li>{@code IntOrString} accepts an integer or a string, {@code Quantity} a string (of
 *       Kubernetes' quantity syntax) or a number, as YAML writes them;</li>
 *   <li>a document whose apiVersion and kind have no schema is an error, never passed silently;</li>
 *   <li>{@code null} is not accepted where a schema asks for a value of another type (castle should
 *       leave such a field out), duplicate mapping keys are an error, and so is a missing
 *       {@code metadata.name} or the same object twice in one stream.</li>
 * </ul>
 *
 * <p>Then {@link ApiServerChecks} checks what the API server refuses beyond the schemas (formats
 * of names, labels, keys, hosts, schedules; rules of pod specs).
 *
 * <p>Built-in kinds are found through {@code x-kubernetes-group-version-kind}; custom resources
 * through {@code crds/<group>/<kind-lowercase>_<version>.json}, whose {@code metadata} is checked
 * against the real {@code ObjectMeta}. Compiled schemas are cached per kind; use {@link #shared()}.
 * Thread-safe.
 */
public final class KubeSchemaValidator {

    private static final String ROOT = "/k8s-schemas/";
    private static final String COMPACT = ROOT + "kubernetes-1.36-compact.json";
    private static final String DEFINITIONS_REF = "#/definitions/";
    private static final String INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
    private static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
    private static final String OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
    /** The pattern the API server publishes for quantities in CRD schemas. */
    private static final String QUANTITY_PATTERN = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";
    private static final String DRAFT_07 = "http://json-schema.org/draft-07/schema#";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectNode definitions;
    private final Map<String, String> definitionByKind;
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
            .pathType(PathType.JSON_PATH)
            .build();
    private final ConcurrentMap<String, Optional<JsonSchema>> schemas = new ConcurrentHashMap<>();

    private static final class Holder {
        static final KubeSchemaValidator INSTANCE = new KubeSchemaValidator();
    }

    /** The validator shared by all tests of this JVM: schema loading and compilation are costly. */
    public static KubeSchemaValidator shared() {
        return Holder.INSTANCE;
    }

    /** Loads the compact Kubernetes schema from the test classpath; prefer {@link #shared()}. */
    public KubeSchemaValidator() {
        JsonNode compact = readResource(COMPACT)
                .orElseThrow(() -> new IllegalStateException("missing test resource " + COMPACT
                        + ": run python3 scripts/derive-k8s-schemas.py"));
        ObjectNode source = (ObjectNode) compact.get("definitions");
        ObjectNode strict = NODES.objectNode();
        Map<String, String> byKind = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            ObjectNode definition = entry.getValue().deepCopy();
            for (JsonNode gvk : definition.path("x-kubernetes-group-version-kind")) {
                String group = gvk.path("group").asText();
                String version = gvk.path("version").asText();
                String apiVersion = group.isEmpty() ? version : group + "/" + version;
                byKind.put(key(apiVersion, gvk.path("kind").asText()), name);
            }
            makeStrict(definition);
            strict.set(name, definition);
        }
        strict.set(INT_OR_STRING, NODES.objectNode().set("type", NODES.arrayNode().add("integer").add("string")));
        ObjectNode quantity = NODES.objectNode();
        quantity.set("type", NODES.arrayNode().add("string").add("number"));
        quantity.put("pattern", QUANTITY_PATTERN);
        strict.set(QUANTITY, quantity);
        this.definitions = strict;
        this.definitionByKind = Collections.unmodifiableMap(byKind);
    }

    /**
     * Validates one manifest. Returns the problems found, each prefixed with {@code kind/name}; an
     * empty list means valid.
     */
    public List<String> validate(Map<String, Object> document) {
        Object kindValue = document.get("kind");
        Object apiVersionValue = document.get("apiVersion");
        String prefix = prefix(document);
        List<String> problems = new ArrayList<>();
        if (!(apiVersionValue instanceof String apiVersion) || apiVersion.isBlank()) {
            problems.add(prefix + ": apiVersion is missing or not a string");
            return problems;
        }
        if (!(kindValue instanceof String kind) || kind.isBlank()) {
            problems.add(prefix + ": kind is missing or not a string");
            return problems;
        }
        Optional<JsonSchema> schema = schemaFor(apiVersion, kind);
        if (schema.isEmpty()) {
            problems.add(prefix + ": no schema for apiVersion " + apiVersion + " kind " + kind
                    + " (neither a kind in " + COMPACT.substring(1) + " nor " + crdResource(apiVersion, kind).substring(1)
                    + "); add it to scripts/derive-k8s-schemas.py or do not emit it");
            return problems;
        }
        JsonNode instance = JSON.valueToTree(document);
        Set<String> messages = new LinkedHashSet<>();
        for (ValidationMessage message : schema.get().validate(instance)) {
            messages.add(prefix + ": " + message.getMessage());
        }
        problems.addAll(messages);
        problems.addAll(ApiServerChecks.check(document));
        Object metadata = document.get("metadata");
        if (metadata instanceof Map<?, ?> meta && !(meta.get("name") instanceof String)
                && !(meta.get("generateName") instanceof String)) {
            problems.add(prefix + ": metadata.name is missing");
        } else if (metadata == null) {
            problems.add(prefix + ": metadata is missing");
        }
        return problems;
    }

    /**
     * Validates every document of a multi-document YAML stream, as printed by {@code helm template}
     * or {@code kubectl kustomize}. Empty documents (a {@code ---} with only comments) are skipped;
     * a stream that does not parse, a document that is not a mapping, and the same object
     * (apiVersion group, kind, namespace, name) twice are reported as problems too.
     */
    public List<String> validateAll(String multiDocumentYaml) {
        return validateAll(multiDocumentYaml, Set.of());
    }

    /**
     * Like {@link #validateAll(String)}, but the documents of the given user-defined kinds
     * ({@code "apiVersion kind"}: a Crossplane claim, whose schema its composite resource
     * definition gives in the cluster) are checked for their shape only: apiVersion, kind, a
     * metadata object with a name, a spec object, nothing else.
     */
    public List<String> validateAll(String multiDocumentYaml, Set<String> userDefinedKinds) {
        List<String> problems = new ArrayList<>();
        List<Map<String, Object>> documents;
        try {
            documents = documents(multiDocumentYaml);
        } catch (YAMLException | IllegalArgumentException e) {
            problems.add("YAML: " + e.getMessage());
            return problems;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < documents.size(); i++) {
            Map<String, Object> document = documents.get(i);
            problems.addAll(userDefinedKinds.contains(document.get("apiVersion") + " " + document.get("kind"))
                    ? validateShape(document) : validate(document));
            String identity = identity(document);
            Integer first = seen.putIfAbsent(identity, i + 1);
            if (first != null) {
                problems.add(prefix(document) + ": the same object is defined twice (documents "
                        + first + " and " + (i + 1) + " of the stream)");
            }
        }
        return problems;
    }

    /** The shape of a resource whose schema the cluster defines: an object of apiVersion, kind, metadata with a name, and spec. */
    private static List<String> validateShape(Map<String, Object> document) {
        List<String> problems = new ArrayList<>();
        String prefix = prefix(document);
        if (!Set.of("apiVersion", "kind", "metadata", "spec").containsAll(document.keySet())) {
            problems.add(prefix + ": keys beside apiVersion, kind, metadata and spec: " + document.keySet());
        }
        if (!(document.get("metadata") instanceof Map<?, ?> metadata) || !(metadata.get("name") instanceof String)) {
            problems.add(prefix + ": metadata.name is missing");
        }
        if (!(document.get("spec") instanceof Map<?, ?>)) {
            problems.add(prefix + ": spec is not an object");
        }
        return problems;
    }

    /** Like {@link #validateAll(String)}, but throws an AssertionError listing every problem. */
    public void assertValid(String multiDocumentYaml) {
        assertValid(multiDocumentYaml, Set.of());
    }

    /** Like {@link #validateAll(String, Set)}, but throws an AssertionError listing every problem. */
    public void assertValid(String multiDocumentYaml, Set<String> userDefinedKinds) {
        List<String> problems = validateAll(multiDocumentYaml, userDefinedKinds);
        if (!problems.isEmpty()) {
            throw new AssertionError("Kubernetes schema validation failed:\n  " + String.join("\n  ", problems));
        }
    }

    /**
     * Parses a multi-document YAML stream into its non-empty documents, each a mapping, with
     * YAML 1.1 scalars as Kubernetes reads them (timestamps stay strings; duplicate keys are an error).
     *
     * @throws IllegalArgumentException when a document is not a mapping
     * @throws YAMLException when the stream does not parse
     */
    public static List<Map<String, Object>> documents(String multiDocumentYaml) {
        List<Map<String, Object>> documents = new ArrayList<>();
        int index = 0;
        for (Object document : yaml().loadAll(multiDocumentYaml)) {
            index++;
            if (document == null) {
                continue;
            }
            if (!(document instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException("document " + index + " is not a mapping but "
                        + document.getClass().getSimpleName() + ": " + document);
            }
            Map<String, Object> copy = new java.util.LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), v));
            documents.add(copy);
        }
        return documents;
    }

    /** Whether a schema is known for this apiVersion and kind. */
    public boolean hasSchema(String apiVersion, String kind) {
        return schemaFor(apiVersion, kind).isPresent();
    }

    /** The built-in kinds of the compact schema, as {@code "apps/v1 Deployment"}, sorted. */
    public Set<String> builtInKinds() {
        return Collections.unmodifiableSet(new TreeSet<>(definitionByKind.keySet()));
    }

    private Optional<JsonSchema> schemaFor(String apiVersion, String kind) {
        return schemas.computeIfAbsent(key(apiVersion, kind), k -> compile(apiVersion, kind));
    }

    private Optional<JsonSchema> compile(String apiVersion, String kind) {
        ObjectNode root;
        String definition = definitionByKind.get(key(apiVersion, kind));
        if (definition != null) {
            root = NODES.objectNode();
            root.put("$ref", DEFINITIONS_REF + definition);
        } else {
            Optional<JsonNode> crd = readResource(crdResource(apiVersion, kind));
            if (crd.isEmpty()) {
                return Optional.empty();
            }
            root = strictCustomResource((ObjectNode) crd.get());
        }
        root.put("$schema", DRAFT_07);
        root.set("definitions", definitions);
        String id = "https://castle.invalid/k8s-schemas/" + apiVersion.replace('/', '_') + "/" + kind + ".json";
        JsonSchema schema = factory.getSchema(SchemaLocation.of(id), root, config);
        schema.initializeValidators();
        return Optional.of(schema);
    }

    /**
     * The CRD catalog's schemas are strict below the top level; there they may lack apiVersion,
     * kind and metadata (Istio's do) and check metadata only as an object. Make the top level
     * strict and check metadata as the API server does.
     */
    private static ObjectNode strictCustomResource(ObjectNode crd) {
        ObjectNode root = crd.deepCopy();
        JsonNode existing = root.get("properties");
        ObjectNode properties = existing instanceof ObjectNode o ? o : root.putObject("properties");
        if (!properties.has("apiVersion")) {
            properties.putObject("apiVersion").put("type", "string");
        }
        if (!properties.has("kind")) {
            properties.putObject("kind").put("type", "string");
        }
        properties.putObject("metadata").put("$ref", DEFINITIONS_REF + OBJECT_META);
        if (!root.has("additionalProperties")) {
            root.put("additionalProperties", false);
        }
        return root;
    }

    /** Adds additionalProperties: false to every object schema that lists properties and sets none. */
    private static void makeStrict(JsonNode node) {
        if (!(node instanceof ObjectNode schema)) {
            return;
        }
        JsonNode properties = schema.get("properties");
        if (properties instanceof ObjectNode props) {
            if (!schema.has("additionalProperties")) {
                schema.put("additionalProperties", false);
            }
            props.forEach(KubeSchemaValidator::makeStrict);
        }
        JsonNode patternProperties = schema.get("patternProperties");
        if (patternProperties instanceof ObjectNode patterns) {
            patterns.forEach(KubeSchemaValidator::makeStrict);
        }
        makeStrict(schema.get("additionalProperties"));
        makeStrict(schema.get("not"));
        JsonNode items = schema.get("items");
        if (items instanceof ArrayNode list) {
            list.forEach(KubeSchemaValidator::makeStrict);
        } else {
            makeStrict(items);
        }
        for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
            if (schema.get(combinator) instanceof ArrayNode list) {
                list.forEach(KubeSchemaValidator::makeStrict);
            }
        }
    }

    private static String crdResource(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        return ROOT + "crds/" + group + "/" + kind.toLowerCase(java.util.Locale.ROOT) + "_" + version + ".json";
    }

    private static Optional<JsonNode> readResource(String resource) {
        try (InputStream in = KubeSchemaValidator.class.getResourceAsStream(resource)) {
            return in == null ? Optional.empty() : Optional.of(JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read test resource " + resource, e);
        }
    }

    private static String key(String apiVersion, String kind) {
        return apiVersion + " " + kind;
    }

    private static String prefix(Map<String, Object> document) {
        Object kind = document.get("kind");
        Object name = document.get("metadata") instanceof Map<?, ?> meta ? meta.get("name") : null;
        return (kind == null ? "<no kind>" : kind) + "/" + (name == null ? "<no name>" : name);
    }

    private static String identity(Map<String, Object> document) {
        Object apiVersion = document.get("apiVersion");
        String group = apiVersion instanceof String s && s.contains("/") ? s.substring(0, s.indexOf('/')) : "";
        Map<?, ?> meta = document.get("metadata") instanceof Map<?, ?> m ? m : Map.of();
        return group + "|" + document.get("kind") + "|" + meta.get("namespace") + "|" + meta.get("name");
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setCodePointLimit(64 * 1024 * 1024);
        options.setMaxAliasesForCollections(1000);
        return new Yaml(new KubernetesScalars(options));
    }

    /** Reads timestamps as strings, as Kubernetes' YAML reader does (a date in a ConfigMap stays text). */
    private static final class KubernetesScalars extends SafeConstructor {
        KubernetesScalars(LoaderOptions options) {
            super(options);
            this.yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
        }
    }
}
