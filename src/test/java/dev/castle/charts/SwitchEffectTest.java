package dev.castle.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;

import dev.castle.testing.KubeSchemaValidator;
import dev.castle.testing.Tools;

/**
 * Every value a generated chart documents does something. Given each example, when castle
 * generates it, then for every subchart and every scalar of its values.yaml (booleans flipped,
 * numbers and strings changed to another value the chart's schema accepts), the rendered objects
 * differ from the same render without the change, and still validate strictly.
 * <p>
 * A value under a switched-off feature is changed with the feature switched on (its context,
 * below): a route's hostnames with the route enabled, replicaCount with the autoscaler off. One
 * {@code helm template} renders every variant of a subchart at once: the test chart lists the
 * subchart once per variant under an alias ({@code v0001}, ...), each alias with its own values.
 */
@Tag("integration")
class SwitchEffectTest {
    private static final String RELEASE = "switch";
    private static final List<String> APIS = List.of("monitoring.coreos.com/v1/ServiceMonitor", "monitoring.coreos.com/v1/PodMonitor",
            "monitoring.coreos.com/v1/PrometheusRule", "keda.sh/v1alpha1/ScaledObject", "autoscaling.k8s.io/v1/VerticalPodAutoscaler",
            "cert-manager.io/v1/Certificate", "gateway.networking.k8s.io/v1/HTTPRoute", "gateway.networking.k8s.io/v1/GRPCRoute",
            "networking.istio.io/v1/VirtualService", "networking.istio.io/v1/DestinationRule", "argoproj.io/v1alpha1/Rollout",
            "flagger.app/v1beta1/Canary");
    /** Values that change nothing Helm renders, by design, with the reason. */
    private static final Map<String, String> EXEMPT = Map.of(
            "dependsOn", "only orders the variables, which are already in an order that satisfies it");

    /** The values no other value of the schema could change (constants, a single port...), printed for the report. */
    static final Set<String> SKIPPED = new java.util.TreeSet<>();

    @TempDir
    static Path out;
    /** The Crossplane claims' kinds of the example: their schema is the cluster's, so they are checked as objects. */
    private Set<String> claimKinds = Set.of();

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> examples = Files.list(Tools.projectDir().resolve("examples"))) {
            return examples.map(e -> e.resolve("castle.yaml")).filter(Files::isRegularFile).sorted().toList().stream();
        }
    }

    /** One variant of a subchart's values: a value changed (or none, for a baseline) in a context. */
    record Variant(String alias, String path, Object value, Map<String, Object> overrides, String baseline, boolean apis,
                   Map<String, Object> values) {
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyDocumentedValueChangesTheOutput(Path descriptor) throws Exception {
        Path generated = out.resolve(descriptor.getParent().getFileName().toString());
        Path parent = Generation.generate(descriptor, generated);
        JsonNode schema = new ObjectMapper().readTree(parent.resolve("values.schema.json").toFile());
        claimKinds = OperatorFixtures.claimKinds(dev.castle.cli.Pipeline.model(descriptor));
        List<String> problems = new ArrayList<>();
        int changed = 0;
        int skipped = 0;
        try (Stream<Path> charts = Files.list(parent.resolve("charts"))) {
            for (Path chart : charts.filter(c -> !c.getFileName().toString().equals("castle-common")).sorted().toList()) {
                Result result = check(parent, chart, schema);
                problems.addAll(result.problems());
                changed += result.changed();
                skipped += result.skipped();
            }
        }
        System.out.printf("%s: %d values changed the output, %d had no other value the schema allows%n", descriptor, changed, skipped);
        System.out.println("values with no other allowed value so far: " + SKIPPED);
        assertEquals(List.of(), problems, "documented values that change nothing, or break the output");
        assertTrue(changed > 100, "the test changed " + changed + " values");
    }

    record Result(List<String> problems, int changed, int skipped) {
    }

    private Result check(Path parent, Path chart, JsonNode parentSchema) throws IOException {
        String name = chart.getFileName().toString();
        Map<String, Object> defaults = load(chart.resolve("values.yaml"));
        String reference = parentSchema.path("properties").path(name).path("$ref").asText();
        JsonNode definition = parentSchema.at(reference.substring(1));
        Map<JsonNode, JsonSchema> compiled = new java.util.IdentityHashMap<>();
        List<Variant> variants = new ArrayList<>();
        Map<String, String> baselines = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        int skipped = 0;
        for (Map.Entry<List<String>, Object> leaf : leaves(defaults, List.of()).entrySet()) {
            List<String> keys = leaf.getKey();
            String path = dotted(keys);
            if (EXEMPT.keySet().stream().anyMatch(path::contains)) {
                continue;
            }
            Map<String, Object> context = context(path, defaults);
            boolean apis = !path.endsWith(".force");
            String baselineKey = (apis ? "a" : "n") + new TreeMap<>(context);
            Map<String, Object> base = deepCopy(defaults);
            context.forEach((p, v) -> set(base, p, v));
            Object current = get(base, keys, leaf.getValue());
            Object value = null;
            for (Object candidate : candidates(path, current, defaults)) {
                if (candidate.equals(current)) {
                    continue;
                }
                // the object holding the value is checked against its schema (enough for the if/then of a probe)
                List<String> holder = keys.subList(0, keys.size() - 1);
                Map<String, Object> values = deepCopy(base);
                set(values, keys, candidate);
                JsonNode holderSchema = schemaAt(definition, holder);
                JsonSchema check = compiled.computeIfAbsent(holderSchema, n -> JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(n));
                if (check.validate(MAPPER.valueToTree(holder.isEmpty() ? values : get(values, holder, null))).isEmpty()) {
                    value = candidate;
                    break;
                }
            }
            if (value == null) {
                skipped++;
                SKIPPED.add(path.replaceAll("\\.[0-9]+(\\.|$)", ".N$1"));
                continue;
            }
            String baseline = baselines.computeIfAbsent(baselineKey, k -> {
                String alias = alias(variants.size() + 1);
                Map<String, Object> own = new LinkedHashMap<>();
                context.forEach((p, v) -> set(own, p, v));
                variants.add(new Variant(alias, "", null, context, alias, apis, own));
                return alias;
            });
            Map<String, Object> changed = deepCopy(base);
            set(changed, keys, value);
            // only what differs from the chart's values: the context, and the change (a list whole, as Helm replaces lists)
            Map<String, Object> own = new LinkedHashMap<>();
            context.forEach((p, v) -> set(own, p, v));
            List<String> replaced = keys;
            for (int i = 1; i < keys.size(); i++) {
                if (get(changed, keys.subList(0, i), null) instanceof List<?>) {
                    replaced = keys.subList(0, i);
                    break;
                }
            }
            set(own, replaced, deepCopy(get(changed, replaced, null)));
            variants.add(new Variant(alias(variants.size() + 1), path, value, context, baseline, apis, own));
        }
        for (boolean apis : List.of(true, false)) {
            List<Variant> group = variants.stream().filter(v -> v.apis() == apis).toList();
            if (group.isEmpty()) {
                continue;
            }
            Map<String, String> rendered = render(parent, chart, group, apis);
            for (Variant v : group) {
                if (v.path().isEmpty()) {
                    continue;
                }
                String mine = rendered.getOrDefault(v.alias(), "").replace(v.alias(), "vbase");
                String base = rendered.getOrDefault(v.baseline(), "").replace(v.baseline(), "vbase");
                if (mine.equals(base)) {
                    problems.add(name + ": " + v.path() + " = " + v.value() + " (with " + v.overrides() + ") changes nothing");
                }
                Set<String> userDefined = new java.util.TreeSet<>(claimKinds);
                if (name.endsWith("-claim")) { // a claim of the kind its values name, whatever it is
                    // a variant carries only what it changes: the other of the two comes from the chart's values
                    userDefined.add(v.values().getOrDefault("apiVersion", defaults.get("apiVersion")) + " "
                            + v.values().getOrDefault("kind", defaults.get("kind")));
                }
                List<String> invalid = KubeSchemaValidator.shared().validateAll(mine, userDefined);
                if (!invalid.isEmpty()) {
                    problems.add(name + ": " + v.path() + " = " + v.value() + " renders invalid objects: " + invalid);
                }
            }
        }
        return new Result(problems, (int) variants.stream().filter(v -> !v.path().isEmpty()).count(), skipped);
    }

    private static String alias(int index) {
        return String.format("v%04d", index);
    }

    /** Renders the test chart: the library and the subchart once per variant; returns each alias's documents. */
    private Map<String, String> render(Path parent, Path chart, List<Variant> variants, boolean apis) throws IOException {
        Path test = Files.createTempDirectory(out, "variants");
        copy(parent.resolve("charts/castle-common"), test.resolve("charts/castle-common"));
        copy(chart, test.resolve("charts").resolve(chart.getFileName()));
        Map<String, Object> chartYaml = load(chart.resolve("Chart.yaml"));
        StringBuilder meta = new StringBuilder("apiVersion: v2\nname: variants\nversion: 1.0.0\ndependencies:\n"
                + "  - {name: castle-common, version: \"" + load(parent.resolve("charts/castle-common/Chart.yaml")).get("version")
                + "\", repository: file://charts/castle-common}\n");
        Map<String, Object> values = new LinkedHashMap<>();
        for (Variant v : variants) {
            meta.append("  - {name: ").append(chart.getFileName()).append(", version: \"").append(chartYaml.get("version"))
                    .append("\", repository: file://charts/").append(chart.getFileName()).append(", alias: ").append(v.alias()).append("}\n");
            values.put(v.alias(), v.values());
        }
        Files.writeString(test.resolve("Chart.yaml"), meta.toString(), StandardCharsets.UTF_8);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Files.writeString(test.resolve("values.yaml"), new Yaml(options).dump(values), StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of(Tools.helm4().toString(), "template", RELEASE, test.toString(), "--namespace", RELEASE));
        if (apis) {
            APIS.forEach(api -> command.addAll(List.of("--api-versions", api)));
        }
        String stdout = Tools.run(out, command).assertOk().stdout();
        Map<String, String> byAlias = new TreeMap<>();
        for (String document : stdout.split("(?m)^---$")) {
            String text = document.strip();
            String prefix = "# Source: variants/charts/";
            if (text.startsWith(prefix)) {
                String alias = text.substring(prefix.length(), text.indexOf('/', prefix.length()));
                byAlias.merge(alias, "---\n" + text + "\n", String::concat);
            }
        }
        return byAlias;
    }

    /**
     * What a value needs switched on (or off) to have an effect: its feature enabled, the
     * autoscaler off for replicaCount, a LoadBalancer for its source ranges...
     */
    static Map<String, Object> context(String path, Map<String, Object> values) {
        Map<String, Object> context = new TreeMap<>();
        String top = path.contains(".") ? path.substring(0, path.indexOf('.')) : path;
        if (path.equals("replicaCount")) {
            context.put("autoscaling.enabled", false);
            if (values.containsKey("keda")) {
                context.put("keda.enabled", false);
            }
        }
        for (String feature : List.of("autoscaling", "keda", "vpa", "podDisruptionBudget", "route", "ingress", "metrics", "alerts",
                "tracing", "canary", "tests", "service")) {
            if (top.equals(feature) && !path.equals(feature + ".enabled") && values.get(feature) instanceof Map<?, ?> m && m.containsKey("enabled")) {
                context.put(feature + ".enabled", true);
            }
        }
        if (top.equals("autoscaling") && values.containsKey("keda")) {
            context.put("keda.enabled", false);
        }
        if (top.equals("route") && values.containsKey("ingress")) {
            context.put("ingress.enabled", false);
        }
        if (path.startsWith("route.paths")) {
            context.put("route.kind", "HTTPRoute");
        }
        if (top.equals("ingress") && values.containsKey("route")) {
            context.put("route.enabled", false);
        }
        if (top.equals("tls")) {
            context.put("ingress.enabled", true);
            context.put("route.enabled", false);
            context.put("ingress.hosts", List.of("switch.example.com"));
            if (!path.equals("tls.enabled")) {
                context.put("tls.enabled", true);
            }
            if (List.of("tls.issuerKind", "tls.certificate", "tls.force").contains(path)) {
                context.put("tls.issuer", "letsencrypt");
            }
            if (path.equals("tls.force")) {
                context.put("tls.certificate", true);
            }
        }
        if (top.equals("metrics") && !path.equals("metrics.serviceMonitor.enabled") && !path.equals("metrics.podMonitor.enabled")) {
            context.put("metrics.serviceMonitor.enabled", !Boolean.TRUE.equals(get(values, "metrics.podMonitor.enabled", false)));
        }
        if (path.equals("podDisruptionBudget.maxUnavailable")) {
            context.put("podDisruptionBudget.minAvailable", "");
        }
        if (top.equals("canary") && path.equals("canary.header.value")) {
            context.put("canary.header.name", "X-Switch");
        }
        if (path.equals("service.externalTrafficPolicy") || path.equals("service.loadBalancerSourceRanges")) {
            context.put("service.type", "LoadBalancer");
        }
        if (path.startsWith("ports.") && path.endsWith(".nodePort")) {
            context.put("service.type", "NodePort");
        }
        if (top.equals("service") && !path.equals("service.clusterIP") && values.get("service") instanceof Map<?, ?> s && s.containsKey("clusterIP")) {
            context.put("service.clusterIP", "");
        }
        if (path.equals("service.clusterIP") && values.get("service") instanceof Map<?, ?> s && s.containsKey("type")) {
            context.put("service.type", "ClusterIP");
        }
        if (top.equals("dependencyWait")) {
            context.put("dependencies.switch-test", new LinkedHashMap<>(Map.of("enabled", true, "host", "switch-test", "port", 1,
                    "startup", true, "timeoutSeconds", 5, "env", Map.of())));
        }
        if (path.startsWith("dependencies.") && path.endsWith(".timeoutSeconds")) {
            context.put(path.substring(0, path.lastIndexOf('.')) + ".startup", true);
        }
        if (path.equals("config.envFrom") || path.equals("config.mountPath")) {
            context.put("config.data.SWITCH_TEST", "x");
        }
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            if (top.equals(probe) && !path.equals(probe + ".enabled")) {
                context.put(probe + ".enabled", true);
            }
        }
        if (path.startsWith("hooks.") && !path.endsWith(".enabled")) {
            context.put(path.substring(0, path.indexOf('.', "hooks.".length())) + ".enabled", true);
        }
        if (top.equals("persistence") && !path.equals("persistence.enabled")) {
            context.put("persistence.enabled", true);
        }
        if (values.containsKey("force") && !path.equals("force")) {
            // an operator's or a claim's resources, whose APIs the test cluster does not serve
            context.put("force", true);
        }
        return context;
    }

    /** Other values to try, in order; the first the schema accepts is used. */
    static List<Object> candidates(String path, Object value, Map<String, Object> values) {
        List<Object> out = new ArrayList<>();
        String key = path.substring(path.lastIndexOf('.') + 1);
        if (value instanceof Boolean b) {
            out.add(!b);
        } else if (value instanceof Integer i) {
            out.addAll(List.of(i + 1, i - 1, 30001));
        } else if (value instanceof Long l) {
            out.addAll(List.of(l + 1, l - 1));
        } else if (value instanceof Double d) {
            out.addAll(List.of(d / 2, d + 0.5));
        } else if (value instanceof String s) {
            if (key.equals("timeZone")) {
                // a JSON Schema cannot tell a zone of the tz database from a misspelt one: a real one shows the switch works
                out.add(s.equals("UTC") ? "Europe/Berlin" : "UTC");
            }
            if (key.equals("port") || key.equals("mainPort")) {
                // a name of the chart's ports: another port, if it has one
                if (values.get("ports") instanceof Map<?, ?> ports) {
                    ports.forEach((name, port) -> {
                        if (!key.equals("mainPort") || port instanceof Map<?, ?> p && Boolean.TRUE.equals(p.get("expose"))) {
                            out.add(String.valueOf(name));
                        }
                    });
                }
                return out;
            }
            if (!s.isEmpty()) {
                out.add(s.substring(0, s.length() - 1) + (s.endsWith("x") ? "y" : "x"));
            }
            out.addAll(List.of(s + "x", s + "-x", s.isEmpty() ? "x" : s.substring(0, s.length() - 1), "", "x", "/x", "None", "45s", "0.5",
                    "256Mi", "26%", "2", "ReadWriteOncePod", "logfmt", "debug", "Recreate", "Parallel", "Issuer", "Memory",
                    "switch.example.com", "http/protobuf", "always_on", "Local", "OnDelete", "Never", "Always", "Replace", "Delete",
                    "Initial", "HTTPRoute", "GRPCRoute", "UDP", "hard", "none", "soft", "OnFailure", "Allow", "Forbid", "Cluster",
                    "DoNotSchedule", "ScheduleAnyway", "post-install", "pre-upgrade", "post-delete",
                    "ClusterIP", "NodePort", "LoadBalancer", "sha256:" + "0123456789abcdef".repeat(4), "Off", "30s"));
        }
        return out;
    }

    /** Every scalar of a values tree by dotted path (list items by index); empty maps and lists are not scalars. */
    static Map<List<String>, Object> leaves(Object tree, List<String> prefix) {
        Map<List<String>, Object> leaves = new LinkedHashMap<>();
        if (tree instanceof Map<?, ?> map) {
            map.forEach((k, v) -> leaves.putAll(leaves(v, append(prefix, String.valueOf(k)))));
        } else if (tree instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                leaves.putAll(leaves(list.get(i), append(prefix, String.valueOf(i))));
            }
        } else if (tree != null) {
            leaves.put(prefix, tree);
        }
        return leaves;
    }

    private static List<String> append(List<String> path, String key) {
        List<String> longer = new ArrayList<>(path);
        longer.add(key);
        return List.copyOf(longer);
    }

    /** A path of keys as castle writes it in messages and contexts (keys may hold dots: shown as they are). */
    static String dotted(List<String> path) {
        return String.join(".", path);
    }

    static void set(Object tree, String path, Object value) {
        set(tree, List.of(path.split("\\.")), value);
    }

    @SuppressWarnings("unchecked")
    static void set(Object tree, List<String> path, Object value) {
        String[] parts = path.toArray(String[]::new);
        Object node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            if (node instanceof Map<?, ?> map) {
                Object child = map.get(parts[i]);
                if (!(child instanceof Map<?, ?>) && !(child instanceof List<?>)) {
                    child = new LinkedHashMap<String, Object>();
                    ((Map<String, Object>) map).put(parts[i], child);
                }
                node = child;
            } else {
                node = ((List<Object>) node).get(Integer.parseInt(parts[i]));
            }
        }
        String last = parts[parts.length - 1];
        if (node instanceof List<?> list) {
            ((List<Object>) list).set(Integer.parseInt(last), value);
        } else {
            ((Map<String, Object>) node).put(last, value);
        }
    }

    static Object get(Object tree, String path, Object fallback) {
        return get(tree, List.of(path.split("\\.")), fallback);
    }

    static Object get(Object tree, List<String> path, Object fallback) {
        Object node = tree;
        for (String part : path) {
            if (node instanceof Map<?, ?> map && map.containsKey(part)) {
                node = map.get(part);
            } else if (node instanceof List<?> list && part.matches("[0-9]+") && Integer.parseInt(part) < list.size()) {
                node = list.get(Integer.parseInt(part));
            } else {
                return fallback;
            }
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    static <T> T deepCopy(T tree) {
        if (tree instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), deepCopy(v)));
            return (T) copy;
        }
        if (tree instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(item -> copy.add(deepCopy(item)));
            return (T) copy;
        }
        return tree;
    }

    static Map<String, Object> load(Path file) throws IOException {
        LoaderOptions options = new LoaderOptions();
        Object tree = new Yaml(options).load(Files.readString(file, StandardCharsets.UTF_8));
        @SuppressWarnings("unchecked")
        Map<String, Object> map = tree instanceof Map<?, ?> ? (Map<String, Object>) tree : new LinkedHashMap<>();
        return map;
    }

    private static void copy(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The schema of the value at a path of a definition: properties, else additionalProperties; items for list items. */
    static JsonNode schemaAt(JsonNode schema, List<String> path) {
        JsonNode node = schema;
        for (String key : path) {
            if (node.has("properties") && node.get("properties").has(key)) {
                node = node.get("properties").get(key);
            } else if (node.has("items")) {
                node = node.get("items");
            } else if (node.has("additionalProperties") && node.get("additionalProperties").isObject()) {
                node = node.get("additionalProperties");
            } else {
                return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            }
        }
        return node;
    }

    /** Names of the values a test run exempts, for the report. */
    static Set<String> exempt() {
        return new LinkedHashSet<>(EXEMPT.keySet());
    }
}
