package dev.castle.charts;

import static dev.castle.charts.PodChecks.get;
import static dev.castle.charts.PodChecks.list;
import static dev.castle.charts.PodChecks.map;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.castle.cli.Pipeline;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;
import dev.castle.testing.KubeSchemaValidator;
import dev.castle.testing.Tools;

/**
 * Given each descriptor, when Helm renders the chart, then each service's container has exactly
 * the variables of its env and those the model says castle injects (what the rules check
 * references and collisions against), each once.
 */
@Tag("integration")
class EnvironmentVariablesTest {
    static Stream<Path> descriptors() {
        return Generation.descriptors().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("descriptors")
    void everyContainerHasItsEnvAndWhatTheModelInjects(Path descriptor, @TempDir Path out) throws Exception {
        SystemModel model = Pipeline.model(descriptor);
        Path chart = Generation.generate(descriptor, out);
        String release = model.metadata().name();
        List<Map<String, Object>> docs = KubeSchemaValidator.documents(Tools.run(out, Tools.helm4().toString(), "template", release,
                chart.toString(), "--namespace", release).assertOk().stdout());
        for (Service s : model.services()) {
            TreeSet<String> expected = new TreeSet<>();
            s.container().env().forEach(e -> expected.add(e.name()));
            s.injectedEnv().forEach(v -> expected.add(v.name()));
            for (Map<String, Object> doc : docs) {
                Object template = switch (String.valueOf(doc.get("kind"))) {
                    case "Deployment", "StatefulSet", "Rollout" -> get(doc, "spec", "template");
                    case "Job" -> get(doc, "metadata", "annotations", "helm.sh/hook") == null ? get(doc, "spec", "template") : null;
                    case "CronJob" -> get(doc, "spec", "jobTemplate", "spec", "template");
                    default -> null;
                };
                if (template == null || !s.name().equals(get(template, "metadata", "labels", "app.kubernetes.io/name"))) {
                    continue;
                }
                TreeSet<String> expectedHere = new TreeSet<>(expected);
                Object version = get(template, "metadata", "labels", "version"); // a version's Deployment adds the version's env
                s.versions().flatMap(v -> v.versions().stream().filter(x -> x.name().equals(version)).findFirst())
                        .ifPresent(v -> expectedHere.addAll(v.env().keySet()));
                Map<String, Object> container = map(list(get(template, "spec", "containers")).get(0));
                List<String> names = list(container.get("env")).stream().map(e -> (String) map(e).get("name")).toList();
                assertEquals(names.size(), new TreeSet<>(names).size(), s.name() + ": each variable once " + names);
                assertEquals(expectedHere, new TreeSet<>(names), s.name() + " in " + doc.get("kind"));
            }
        }
    }
}
