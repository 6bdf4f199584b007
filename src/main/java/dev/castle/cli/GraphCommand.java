package dev.castle.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.castle.graph.Dot;
import dev.castle.graph.GraphBuilder;
import dev.castle.graph.GraphJson;
import dev.castle.graph.Mermaid;
import dev.castle.graph.SystemGraph;
import dev.castle.model.SystemModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "graph", mixinStandardHelpOptions = true,
        description = {"Prints the system's graph: services, components, the outside, and who calls whom on which port "
                + "(the edges the NetworkPolicies allow); thick (mermaid) or bold (dot) arrows are awaited at start-up.",
                "mermaid pastes into Markdown (the generated README embeds it); dot renders with Graphviz "
                        + "(castle graph --format dot | dot -Tsvg > graph.svg); json is for other tools."})
final class GraphCommand implements Callable<Integer> {
    enum Format { mermaid, dot, json }

    @Parameters(paramLabel = "FILE", arity = "0..1", defaultValue = "castle.yaml",
            description = "The system descriptor (default: ${DEFAULT-VALUE}).")
    Path file;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "mermaid",
            description = "mermaid (default), dot or json.")
    Format format;

    @Option(names = "--env", paramLabel = "ENV", description = "The graph of this environment (its overrides, without what it switches off).")
    String environment;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SystemModel model = Pipeline.model(file);
        SystemGraph graph = environment == null ? GraphBuilder.of(model) : GraphBuilder.of(Environments.named(model, environment));
        String text = switch (format) {
            case mermaid -> Mermaid.render(graph);
            case dot -> Dot.render(graph);
            case json -> GraphJson.render(graph);
        };
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
