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
 * subcharts left out exactly as Helm renders them with its own processing of the declared ones: the
 * default values and every environment's, for the examples and the public systems.
 */
@Tag("integration")
class HelmEngineDependenciesTest {

    static Stream<String> descriptors() {
        return Stream.of("examples/shop/castle.yaml", "examples/boutique/castle.yaml", "examples/data-platform/castle.yaml",
                "src/test/resources/systems/train-ticket/castle.yaml", "src/test/resources/systems/sock-shop/castle.yaml");
    }

    @ParameterizedTest
    @MethodSource("descriptors")
    void rendersAsHelmsOwnDependencyProcessing(String descriptor) throws Exception {
        SystemModel model = Pipeline.model(Tools.projectDir().resolve(descriptor));
        Map<String, byte[]> files = Pipeline.generate(model, Optional.empty(), false).files();
        String system = model.metadata().name();
        List<String> sets = KustomizeRenderer.forcedCustomResources(model);
        try (HelmEngine helm = new HelmEngine(system, files, false)) {
            assertNotNull(HelmEngine.conditions(system, helm.chartFiles()), "castle's own chart renders without the declaration");
            assertEquals(helm.template(system, system, null, sets, true), helm.template(system, system, null, sets), descriptor + ": the defaults");
            for (SystemModel.Environment environment : model.environments()) {
                String values = "values-" + environment.name() + ".yaml";
                assertNotNull(helm.disabled(values, sets));
                assertEquals(helm.template(system, environment.namespace(), values, sets, true),
                        helm.template(system, environment.namespace(), values, sets), descriptor + ": " + environment.name());
            }
        }
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
