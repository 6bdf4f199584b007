package dev.castle.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.castle.cli.Pipeline;
import dev.castle.graph.GraphBuilder;
import dev.castle.graph.Mermaid;
import dev.castle.graph.SystemGraph;
import dev.castle.model.SystemModel;
import dev.castle.testing.Tools;

/**
 * Given the graph of every example, every valid test descriptor, every environment of them and
 * every descriptor castle imported or init'ed, when Mermaid's own parser (npm mermaid, run in Node
 * by scripts/mermaid/check.mjs) reads castle's Mermaid text, then it parses, and the nodes and
 * edges Mermaid understood are exactly the graph's: every declared edge, with its start-up mark,
 * and nothing else. The parser is shown to reject broken diagrams, and the generated parent
 * README embeds the same picture.
 */
@Tag("integration")
class MermaidGraphTest {

    @Test
    void mermaidParsesEveryGraphAndSeesExactlyItsEdges(@TempDir Path work) throws Exception {
        Map<Path, SystemGraph> graphs = new LinkedHashMap<>();
        List<Path> descriptors = new ArrayList<>(Generation.descriptors());
        for (Imported.Case c : Imported.cases()) {
            descriptors.add(Imported.write(c, Files.createDirectories(work.resolve("imported-" + graphs.size() + "-" + descriptors.size()))));
        }
        int n = 0;
        for (Path descriptor : descriptors) {
            SystemModel model = Pipeline.model(descriptor);
            List<SystemGraph> all = new ArrayList<>(List.of(GraphBuilder.of(model)));
            model.environments().forEach(e -> all.add(GraphBuilder.of(e)));
            for (SystemGraph graph : all) {
                Path file = work.resolve("graph-" + (n++) + ".mmd");
                Files.writeString(file, Mermaid.render(graph));
                graphs.put(file, graph);
            }
        }
        JsonNode results = parse(graphs.keySet());
        assertEquals(graphs.size(), results.size());
        int edges = 0;
        for (JsonNode result : results) {
            Path file = Path.of(result.get("file").asText());
            SystemGraph graph = graphs.get(file);
            assertTrue(result.get("ok").asBoolean(), graph.system() + ": Mermaid refused castle's graph: " + result + "\n"
                    + Files.readString(file));
            assertEquals("flowchart-v2", result.get("type").asText());
            Set<String> expectedNodes = graph.nodes().stream().map(node -> Mermaid.id(graph, node.name()))
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> parsedNodes = new TreeSet<>();
            result.get("vertices").forEach(v -> parsedNodes.add(v.get("id").asText()));
            assertEquals(expectedNodes, parsedNodes, graph.system() + ": nodes");
            List<String> expectedEdges = graph.edges().stream().map(e -> Mermaid.id(graph, e.from()) + " -> " + Mermaid.id(graph, e.to())
                    + (e.startup() ? " thick" : " normal") + " " + Mermaid.edgeLabel(e)).sorted().toList();
            List<String> parsedEdges = new ArrayList<>();
            result.get("edges").forEach(e -> parsedEdges.add(e.get("start").asText() + " -> " + e.get("end").asText() + " "
                    + e.get("stroke").asText() + " " + e.get("text").asText()));
            parsedEdges.sort(null);
            assertEquals(expectedEdges, parsedEdges, graph.system() + ": edges");
            edges += expectedEdges.size();
        }
        assertTrue(edges > 100, "the graphs hold " + edges + " edges in all");
    }

    @Test
    void mermaidRejectsBrokenDiagrams(@TempDir Path work) throws Exception {
        List<String> broken = List.of(
                "flowchart LR\n  a[\"frontend\" -->|\"http\"| b\n",
                "flowchart LR\n  a --> \n",
                "flowchart LR\n  subgraph x\n  a --> b\n",
                "flowchart LR\n  a -->|\"unclosed| b\n",
                "flowchart LR\n  a{{\"x\"} --> b\n");
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < broken.size(); i++) {
            files.add(Files.writeString(work.resolve("broken-" + i + ".mmd"), broken.get(i)));
        }
        for (JsonNode result : parse(files)) {
            assertFalse(result.get("ok").asBoolean(), "Mermaid accepted a broken diagram: " + result);
        }
    }

    @Test
    void theParentReadmeEmbedsTheGraph(@TempDir Path out) throws Exception {
        Path descriptor = Tools.projectDir().resolve("examples/shop/castle.yaml");
        Path chart = Generation.generate(descriptor, out);
        String readme = Files.readString(chart.resolve("README.md"), StandardCharsets.UTF_8);
        String graph = Mermaid.render(GraphBuilder.of(Pipeline.model(descriptor)));
        assertTrue(readme.contains("```mermaid\n" + graph + "```\n"), readme);
    }

    private static JsonNode parse(java.util.Collection<Path> files) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", Tools.mermaidCheck().toString()));
        files.forEach(f -> command.add(f.toString()));
        Tools.Result result = Tools.run(Tools.toolsDir(), command).assertOk();
        return new ObjectMapper().readTree(result.stdout());
    }
}
