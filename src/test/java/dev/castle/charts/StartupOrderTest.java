package dev.castle.charts;

import static dev.castle.charts.PodChecks.get;
import static dev.castle.charts.PodChecks.list;
import static dev.castle.charts.PodChecks.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.castle.cli.Pipeline;
import dev.castle.model.Dependency;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;
import dev.castle.testing.KubeSchemaValidator;
import dev.castle.testing.Tools;

/**
 * Given each descriptor, the rendered pods wait (init containers) for exactly their start-up
 * dependencies, at the address and port of the dependency's Service, with a timeout; and the
 * waits form no cycle, so there is an order in which everything starts.
 */
@Tag("integration")
class StartupOrderTest {
    static Stream<Path> descriptors() {
        return Generation.descriptors().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("descriptors")
    void initContainersFollowTheStartupGraph(Path descriptor, @TempDir Path out) throws Exception {
        SystemModel model = Pipeline.model(descriptor);
        String release = model.metadata().name();
        Path chart = Generation.generate(descriptor, out);
        String rendered = Tools.run(out, Tools.helm3().toString(), "template", release, chart.toString()).assertOk().stdout();
        List<Map<String, Object>> docs = KubeSchemaValidator.documents(rendered);

        TreeSet<String> expected = new TreeSet<>();
        for (Service s : model.services()) {
            for (Dependency d : s.dependsOn()) {
                if (d.startup()) {
                    // a claim's host is known only to its connection Secret
                    String host = d.credentials().flatMap(c -> c.hostKey().map(key -> "secret " + c.secret() + " " + key)).orElse(d.host());
                    expected.add(s.name() + " waits for " + host.replace("{release}", release) + ":" + d.port());
                }
            }
        }
        TreeSet<String> actual = new TreeSet<>();
        Map<String, List<String>> graph = new HashMap<>();
        for (RenderedTraffic.Workload w : new RenderedTraffic(docs, "default").workloads) {
            Map<String, Object> podSpec = podSpec(docs, w.name());
            for (Object c : list(podSpec.get("initContainers"))) {
                Map<String, String> env = new HashMap<>();
                list(map(c).get("env")).forEach(e -> env.put((String) map(e).get("name"), map(e).containsKey("value") ? (String) map(e).get("value")
                        : "secret " + get(e, "valueFrom", "secretKeyRef", "name") + " " + get(e, "valueFrom", "secretKeyRef", "key")));
                assertTrue(Integer.parseInt(env.get("TIMEOUT_SECONDS")) > 0, "a timeout");
                actual.add(w.name() + " waits for " + env.get("HOST") + ":" + env.get("PORT"));
                graph.computeIfAbsent(w.name(), k -> new ArrayList<>()).add(env.get("HOST").replaceFirst("^" + release + "-", ""));
            }
        }
        assertEquals(expected, actual);
        assertTrue(topologicalOrder(graph).size() >= graph.size(), "the waits form no cycle: " + graph);
    }

    private static Map<String, Object> podSpec(List<Map<String, Object>> docs, String name) {
        for (Map<String, Object> doc : docs) {
            Object template = "CronJob".equals(doc.get("kind")) ? get(doc, "spec", "jobTemplate", "spec", "template") : get(doc, "spec", "template");
            if (template != null && name.equals(get(template, "metadata", "labels", "app.kubernetes.io/name"))) {
                return map(get(template, "spec"));
            }
        }
        throw new AssertionError("no pod of " + name);
    }

    /** Kahn's algorithm; fewer nodes than the graph holds means a cycle. */
    static List<String> topologicalOrder(Map<String, List<String>> waitsFor) {
        Map<String, Integer> pending = new HashMap<>();
        waitsFor.forEach((node, deps) -> {
            pending.merge(node, deps.size(), Integer::sum);
            deps.forEach(d -> pending.putIfAbsent(d, 0));
        });
        List<String> order = new ArrayList<>();
        List<String> ready = new ArrayList<>(pending.entrySet().stream().filter(e -> e.getValue() == 0).map(Map.Entry::getKey).sorted().toList());
        while (!ready.isEmpty()) {
            String next = ready.remove(0);
            order.add(next);
            waitsFor.forEach((node, deps) -> {
                if (deps.contains(next) && pending.merge(node, -1, Integer::sum) == 0) {
                    ready.add(node);
                }
            });
        }
        return order.size() == pending.size() ? order : List.of();
    }
}
