package dev.castle.charts;

import static dev.castle.charts.PodChecks.get;
import static dev.castle.charts.PodChecks.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.castle.cli.Pipeline;
import dev.castle.kustomize.KustomizeRenderer;
import dev.castle.model.SystemModel;
import dev.castle.testing.KubeSchemaValidator;
import dev.castle.testing.Tools;

/**
 * Given each example, each public system (src/test/resources/systems) and the environment-overrides test
 * descriptor, the Kustomize base is, document by document, what the real helm binary
 * renders from the generated chart with its default values, and each overlay what it renders with
 * {@code values-<env>.yaml} in the environment's namespace; kustomize 5.4 and 5.7 build every
 * overlay without a warning and without helm, using current fields only, and every document
 * validates strictly.
 */
@Tag("integration")
class KustomizeTest {
    static Stream<Path> examples() {
        return Generation.descriptors().stream()
                .filter(p -> List.of("examples", "systems").contains(p.getParent().getParent().getFileName().toString())
                        // and the test descriptor whose environments change egress and servers' settings
                        || p.getFileName().toString().equals("environment-overrides.yaml"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void overlaysAreWhatHelmRendersAndBuildCleanly(Path descriptor, @TempDir Path out) throws Exception {
        SystemModel model = Pipeline.model(descriptor);
        String system = model.metadata().name();
        Path chart = Generation.generate(descriptor, out);
        Path kustomize = out.resolve("kustomize").resolve(system);
        assertTrue(Files.isDirectory(kustomize.resolve("base")), "kustomize output exists");
        try (Stream<Path> files = Files.walk(kustomize)) {
            for (Path file : files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).toList()) {
                String text = Files.readString(file);
                for (String deprecated : List.of("patchesStrategicMerge", "patchesJson6902", "commonLabels", "vars:", "bases:", "helmCharts")) {
                    assertFalse(text.contains(deprecated), file + " uses " + deprecated);
                }
            }
            assertTrue(Files.walk(kustomize).noneMatch(f -> f.getFileName().toString().startsWith("secret-")), "no Secret is written");
        }
        List<String> sets = new ArrayList<>();
        KustomizeRenderer.forcedCustomResources(model).forEach(s -> sets.addAll(List.of("--set", s)));

        List<String[]> builds = new ArrayList<>();
        builds.add(new String[] {"base", null, system});
        List<String> canarySets = new ArrayList<>();
        model.services().stream().filter(s -> s.canary().isPresent())
                .forEach(s -> canarySets.addAll(List.of("--set", s.name() + ".canary.enabled=true")));
        for (SystemModel.Environment env : model.environments()) {
            builds.add(new String[] {"overlays/" + env.name(), "values-" + env.name() + ".yaml", env.namespace()});
            if (!canarySets.isEmpty()) {
                builds.add(new String[] {"overlays/" + env.name() + "-canary", "values-" + env.name() + ".yaml", env.namespace(), env.name()});
            }
        }
        for (String[] build : builds) {
            List<String> helmCommand = new ArrayList<>(List.of(Tools.helm4().toString(), "template", system, chart.toString(),
                    "--namespace", build[2], "--skip-tests"));
            if (build[1] != null) {
                helmCommand.addAll(List.of("-f", chart.resolve(build[1]).toString()));
            }
            helmCommand.addAll(sets);
            if (build.length > 3) {
                SystemModel.Environment env = model.environments().stream().filter(e -> e.name().equals(build[3])).findFirst().orElseThrow();
                model.services().stream().filter(s -> s.canary().isPresent() && env.enabled(s.name()))
                        .forEach(s -> helmCommand.addAll(List.of("--set", s.name() + ".canary.enabled=true")));
            }
            Map<String, Map<String, Object>> expected = byKey(KubeSchemaValidator.documents(Tools.run(out, helmCommand).assertOk().stdout()), false);
            for (Path kubectl : List.of(Tools.kubectl31(), Tools.kubectl35())) {
                Tools.Result built = Tools.run(out, kubectl.toString(), "kustomize", kustomize.resolve(build[0]).toString()).assertOk();
                assertEquals("", built.stderr(), kubectl + " kustomize " + build[0] + " warned");
                KubeSchemaValidator.shared().assertValid(built.stdout(), OperatorFixtures.claimKinds(model));
                List<Map<String, Object>> docs = KubeSchemaValidator.documents(built.stdout());
                if (build[1] != null && build.length == 3) {
                    Map<String, Object> namespace = docs.stream().filter(d -> "Namespace".equals(d.get("kind"))).findFirst()
                            .orElseThrow(() -> new AssertionError(build[0] + " creates its namespace"));
                    assertEquals(build[2], get(namespace, "metadata", "name"));
                    assertTrue(List.of("restricted", "baseline").contains(get(namespace, "metadata", "labels", "pod-security.kubernetes.io/enforce")));
                }
                docs = docs.stream().filter(d -> !"Namespace".equals(d.get("kind"))).toList();
                if (build[1] != null) {
                    for (Map<String, Object> doc : docs) {
                        assertEquals(build[2], get(doc, "metadata", "namespace"), "namespace of " + doc.get("kind") + "/" + get(doc, "metadata", "name"));
                    }
                }
                Map<String, Map<String, Object>> actual = byKey(docs, true);
                assertEquals(expected.keySet(), actual.keySet(), build[0] + ": the same objects as helm template");
                for (String key : expected.keySet()) {
                    assertEquals(expected.get(key), actual.get(key), build[0] + ": " + key + " as helm renders it");
                }
                if (build.length > 3) {
                    assertCanaryLeavesStableAlone(kubectl, kustomize, build[3], actual, out);
                }
            }
        }
    }

    /**
     * The pitfalls of deriving a canary: the canary overlay must not retag, rescale or otherwise
     * patch the stable workloads, and must change no selector.
     */
    private static void assertCanaryLeavesStableAlone(Path kubectl, Path kustomize, String env,
                                                      Map<String, Map<String, Object>> canary, Path out) {
        Map<String, Map<String, Object>> plain = byKey(KubeSchemaValidator.documents(Tools.run(out, kubectl.toString(), "kustomize",
                kustomize.resolve("overlays/" + env).toString()).assertOk().stdout()), true);
        for (Map.Entry<String, Map<String, Object>> entry : plain.entrySet()) {
            String kind = entry.getKey().substring(0, entry.getKey().indexOf('/'));
            Map<String, Object> withCanary = canary.get(entry.getKey());
            // Rollouts and Flagger's targets take the canary's values on purpose: that starts their controllers' canary.
            boolean controllerDriven = kind.equals("Rollout") || isWatchedByFlagger(canary, entry.getKey());
            if (List.of("Deployment", "StatefulSet").contains(kind) && !controllerDriven
                    && "stable".equals(get(entry.getValue(), "spec", "template", "metadata", "labels", "castle.dev/track"))) {
                assertEquals(entry.getValue(), withCanary, env + "-canary leaves " + entry.getKey() + " as it is");
            }
            if (withCanary != null) {
                assertEquals(get(entry.getValue(), "spec", "selector"), get(withCanary, "spec", "selector"),
                        "the selector of " + entry.getKey() + " is the same with and without the canary");
            }
        }
    }

    private static boolean isWatchedByFlagger(Map<String, Map<String, Object>> docs, String key) {
        String name = key.substring(key.indexOf('/') + 1);
        return docs.values().stream().anyMatch(d -> "Canary".equals(d.get("kind")) && name.equals(get(d, "spec", "targetRef", "name")));
    }

    /** Documents by kind/name, without Secrets (never written) and, for overlays, without the namespace Kustomize adds. */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> byKey(List<Map<String, Object>> docs, boolean stripNamespace) {
        Map<String, Map<String, Object>> result = new TreeMap<>();
        for (Map<String, Object> doc : docs) {
            if ("Secret".equals(doc.get("kind"))) {
                continue;
            }
            Map<String, Object> copy = new LinkedHashMap<>(doc);
            if (stripNamespace) {
                Map<String, Object> metadata = new LinkedHashMap<>(map(copy.get("metadata")));
                metadata.remove("namespace");
                copy.put("metadata", metadata);
            }
            result.put(doc.get("kind") + "/" + get(doc, "metadata", "name"), copy);
        }
        return result;
    }
}
