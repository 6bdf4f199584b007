package dev.castle.kustomize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.castle.cli.Pipeline;
import dev.castle.model.SystemModel;
import dev.castle.testing.Tools;

/**
 * Helm's engine renders castle's charts with the dependencies left undeclared and the disabled
 * subcharts left out exactly as Helm renders them with its own processing of the declared ones, and
 * in parts the objects it renders whole: the default values and every environment's, for the
 * examples and the public systems.
 */
@Tag("integration")
class HelmEngineDependenciesTest {

    /** The examples, the public systems and the valid test descriptors (which use every field). */
    static Stream<String> descriptors() throws java.io.IOException {
        Path root = Tools.projectDir();
        try (Stream<Path> valid = java.nio.file.Files.list(root.resolve("src/test/resources/descriptors/valid"))) {
            return Stream.concat(Stream.of("examples/shop", "examples/boutique", "examples/data-platform", "src/test/resources/systems/bookinfo",
                                    "src/test/resources/systems/podinfo", "src/test/resources/systems/social-network",
                                    "src/test/resources/systems/sock-shop", "src/test/resources/systems/train-ticket")
                            .map(folder -> folder + "/castle.yaml"),
                    valid.filter(p -> p.toString().endsWith(".yaml")).map(p -> root.relativize(p).toString()).sorted().toList().stream());
        }
    }

    /** Every render the Kustomize output asks for: the defaults in the system's namespace, each environment in its own. */
    @ParameterizedTest
    @MethodSource("descriptors")
    void rendersAsHelmsOwnDependencyProcessingAndInPartsTheSameObjects(String descriptor) throws Exception {
        SystemModel model = Pipeline.model(Tools.projectDir().resolve(descriptor));
        Map<String, byte[]> files = Pipeline.generate(model, Optional.empty(), false).files();
        String system = model.metadata().name();
        List<String> sets = KustomizeRenderer.forcedCustomResources(model);
        try (HelmEngine helm = new HelmEngine(system, files, false)) {
            assertNotNull(HelmEngine.conditions(system, helm.chartFiles()), "castle's own chart renders without the declaration");
            assertTrue(helm.subcharts() > 0, "castle's own chart renders in parts");
            Map<String, String> namespaces = new java.util.LinkedHashMap<>();
            namespaces.put("", system);
            model.environments().forEach(e -> namespaces.put("values-" + e.name() + ".yaml", e.namespace()));
            for (Map.Entry<String, String> render : namespaces.entrySet()) {
                String file = render.getKey().isEmpty() ? null : render.getKey();
                String what = descriptor + ", " + (file == null ? "the defaults" : file);
                assertNotNull(helm.disabled(file, sets), what);
                String whole = helm.template(system, render.getValue(), file, sets);
                assertEquals(helm.template(system, render.getValue(), file, sets, true), whole, what + ", dependencies declared");
                for (int parts : new int[] {2, 3}) {
                    StringBuilder inParts = new StringBuilder();
                    for (int part = -1; part < parts; part++) {
                        inParts.append(helm.template(system, render.getValue(), file, sets, part, parts)).append('\n');
                    }
                    assertEquals(documents(whole), documents(inParts.toString()), what + ", in " + parts + " parts");
                }
            }
            List<String> canaryServices = model.services().stream().filter(s -> s.canary().isPresent()).map(s -> s.name()).toList();
            for (SystemModel.Environment environment : canaryServices.isEmpty() ? List.<SystemModel.Environment>of() : model.environments()) {
                List<String> canarySets = new java.util.ArrayList<>(sets);
                canaryServices.stream().filter(environment::enabled).forEach(s -> canarySets.add(s + ".canary.enabled=true"));
                String file = "values-" + environment.name() + ".yaml";
                assertEquals(documents(helm.templateOf(system, environment.namespace(), file, canarySets, canaryServices, false)),
                        documents(helm.templateOf(system, environment.namespace(), file, canarySets, canaryServices, true)),
                        descriptor + ", the canaries of " + environment.name() + " with the other subcharts left out");
            }
        }
    }

    private static List<String> documents(String helmOutput) {
        return RenderedDocument.split(helmOutput, true).stream().map(RenderedDocument::text).sorted().toList();
    }

    @Test
    void anEnvironmentThatDisablesAServiceRendersWithoutIt() throws Exception {
        SystemModel model = Pipeline.model(Tools.projectDir().resolve("examples/shop/castle.yaml"));
        try (HelmEngine helm = new HelmEngine("shop", Pipeline.generate(model, Optional.empty(), false).files(), false)) {
            assertEquals(java.util.Set.of("reports"), helm.disabled("values-dev.yaml", List.of()));
            assertTrue(helm.template("shop", "shop", null, List.of()).contains("\n  name: shop-reports\n"));
            assertFalse(helm.template("shop", "shop-dev", "values-dev.yaml", List.of()).contains("\n  name: shop-reports\n"));
        }
    }
}
