package dev.castle.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.castle.cli.Pipeline;
import dev.castle.testing.Tools;

/**
 * Given each public system written as a castle descriptor (src/test/resources/systems and the
 * boutique example), when castle checks it strictly and plans its charts (no Helm), then it is
 * valid without a warning and has the real system's shape: its services, datastores and call edges,
 * and, where its images call their peers by fixed names, every Service named as its component.
 */
class PublicSystemsDescriptorsTest {
    static Stream<Arguments> systems() {
        return Stream.of(
                // descriptor, services, datastores, call edges, Services named exactly as the components
                Arguments.of("examples/boutique/castle.yaml", 11, 1, 16, false),
                Arguments.of("src/test/resources/systems/bookinfo/castle.yaml", 4, 0, 3, false),
                Arguments.of("src/test/resources/systems/podinfo/castle.yaml", 8, 1, 7, true),
                Arguments.of("src/test/resources/systems/sock-shop/castle.yaml", 8, 6, 15, true),
                Arguments.of("src/test/resources/systems/social-network/castle.yaml", 13, 14, 46, true),
                Arguments.of("src/test/resources/systems/train-ticket/castle.yaml", 42, 22, 154, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("systems")
    void validatesStrictlyAndHasTheRealSystemsShape(String path, int services, int datastores, int edges, boolean exactNames) throws Exception {
        Path descriptor = Tools.projectDir().resolve(path);
        Pipeline.Checked checked = Pipeline.check(descriptor, true);
        assertEquals(List.of(), checked.warnings(), "no warning");
        SystemModel model = checked.model();
        assertEquals(services, model.services().size(), "services");
        assertEquals(datastores, model.infrastructure().size(), "datastores");
        assertEquals(edges, model.services().stream().mapToInt(s -> s.dependsOn().size()).sum(), "call edges");
        if (exactNames) {
            for (Service s : model.services().stream().filter(Service::hasService).toList()) {
                assertEquals(s.name(), s.network().service().name(), "the Service of " + s.name());
            }
            for (Infrastructure i : model.infrastructure()) {
                assertEquals(i.name(), i.serviceName(), "the Service of " + i.name());
            }
        }
        Pipeline.Result charts = Pipeline.generate(model, Optional.empty(), false);
        assertEquals(true, charts.files().keySet().stream().anyMatch(f -> f.endsWith("/Chart.yaml")), "the charts are planned and rendered");
    }
}
