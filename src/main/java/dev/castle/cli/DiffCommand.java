package dev.castle.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import dev.castle.diff.ManifestDiff;
import dev.castle.kustomize.HelmEngine;
import dev.castle.kustomize.KustomizeRenderer;
import dev.castle.model.SystemModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Shows what a regeneration would change in the cluster: the chart in DIR and the chart the descriptor now"
                + " produces are both rendered by Helm's engine (as helm template does, offline), and each object that differs is"
                + " shown as a unified diff of its YAML (added and removed objects too). Secret values are hidden.",
                "Writes nothing; castle generate writes the new chart."})
final class DiffCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The system descriptor (castle.yaml).")
    Path file;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "charts-out",
            description = "The folder castle generate wrote to (default: ${DEFAULT-VALUE}); the chart is DIR/<system>/.")
    Path output;

    @Option(names = "--env", paramLabel = "ENV", description = "Render both with values-ENV.yaml, in the environment's namespace.")
    String environment;

    @Option(names = "--templates", paramLabel = "DIR", description = "The template overrides castle generate is run with.")
    Path templates;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        HelmEngine.prepare();
        Pipeline.Result result = Pipeline.generate(Pipeline.model(file), Pipeline.templates(templates), false);
        SystemModel model = result.model();
        String system = model.metadata().name();
        String namespace = system;
        String values = null;
        if (environment != null) {
            SystemModel.Environment env = Environments.named(model, environment);
            namespace = env.namespace();
            values = "values-" + env.name() + ".yaml";
        }
        Path chart = output.resolve(system);
        Map<String, byte[]> current = read(chart, system);
        List<String> sets = KustomizeRenderer.forcedCustomResources(model);
        String before = "";
        if (current.isEmpty()) {
            out.println("note: " + chart + " holds no chart yet: every object is new");
        } else {
            String valuesBefore = values != null && current.containsKey(system + "/" + values) ? values : null;
            if (values != null && valuesBefore == null) {
                out.println("note: " + chart + " has no " + values + ": its objects are rendered with the default values");
            }
            try (HelmEngine helm = new HelmEngine(system, current)) {
                before = helm.template(system, namespace, valuesBefore, sets);
            } catch (RuntimeException e) {
                throw new ExitCodes.UserError("Helm cannot render the chart in " + chart + ": " + firstLine(e.getMessage()));
            }
        }
        String after;
        try (HelmEngine helm = new HelmEngine(system, result.files())) {
            after = helm.template(system, namespace, values, sets);
        }
        ManifestDiff diff = ManifestDiff.of(before, after, chart.toString(), file.toString());
        diff.text().forEach(out::println);
        out.println((diff.isEmpty() ? "no change: " : "") + diff.changed() + " objects changed, " + diff.added() + " added, "
                + diff.removed() + " removed, " + diff.unchanged() + " unchanged" + (environment == null ? "" : " (environment " + environment + ")")
                + (diff.isEmpty() ? "" : "; castle generate " + file + " -o " + output + " writes them"));
        out.flush();
        return ExitCodes.OK;
    }

    /** The files of the chart folder, keyed {@code <system>/<relative path>}; empty when there is none. */
    private static Map<String, byte[]> read(Path chart, String system) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        if (!Files.isDirectory(chart)) {
            if (Files.exists(chart)) {
                throw new ExitCodes.UserError(chart + " is not a folder");
            }
            return files;
        }
        try (Stream<Path> walk = Files.walk(chart)) {
            for (Path path : walk.filter(Files::isRegularFile).toList()) {
                files.put(system + "/" + chart.relativize(path).toString().replace('\\', '/'), Files.readAllBytes(path));
            }
        }
        return files;
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.strip().lines().findFirst().orElse("");
    }
}
