package dev.castle.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import dev.castle.publish.PackagedChart;
import dev.castle.publish.Packager;
import dev.castle.publish.PublishException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "package",
        description = {"Packages a chart folder into <name>-<version>.tgz with Helm's engine (helm package: subcharts inside "
                + "charts/, .helmignore respected), with reproducible bytes.",
                "Every dependency of Chart.yaml must be in charts/ (run helm dependency build for charts from repositories).",
                "Entries carry one time stamp: SOURCE_DATE_EPOCH when set, else 1970-01-01."})
final class PackageCommand implements Callable<Integer> {
    static final Path DEFAULT_OUTPUT = Path.of("charts-out");

    @Parameters(paramLabel = "CHART_DIR", arity = "0..1",
            description = "The chart folder (default: the one chart under charts-out/).")
    Path chartDir;

    @Option(names = {"-d", "--destination"}, paramLabel = "DEST", defaultValue = ".",
            description = "Folder to write the archive to (default: the current folder).")
    Path destination;

    @Mixin
    ChartOptions chart;

    /** Only -h: --version is the chart version here, as in helm package (castle --version prints castle's). */
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = chartDir != null ? chartDir : singleChart(DEFAULT_OUTPUT);
        Packager.Options options = chart.toOptions();
        try {
            PackagedChart packaged = Packager.packageFolder(dir, options);
            Path target = Packager.write(packaged, destination);
            out.println("packaged " + dir + " as " + target + " (sha256:" + packaged.sha256() + ")");
            packaged.provenance().ifPresent(p -> out.println("signed: " + target + ".prov"));
            return ExitCodes.OK;
        } catch (PublishException e) {
            throw new ExitCodes.UserError(e.getMessage());
        }
    }

    /** The one chart folder under the output folder of castle generate, or an error that lists them. */
    static Path singleChart(Path output) {
        if (!Files.isDirectory(output)) {
            throw new ExitCodes.UserError("no CHART_DIR given and there is no " + output + "/ folder here: name the chart folder,"
                    + " or run castle generate first");
        }
        List<Path> charts;
        try (Stream<Path> children = Files.list(output)) {
            charts = children.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> Files.isRegularFile(p.resolve("Chart.yaml"))).sorted().toList();
        } catch (IOException e) {
            throw new ExitCodes.UserError("cannot list " + output + ": " + e.getMessage());
        }
        if (charts.isEmpty()) {
            throw new ExitCodes.UserError("no CHART_DIR given and " + output + "/ holds no chart: name the chart folder");
        }
        if (charts.size() > 1) {
            StringBuilder message = new StringBuilder("no CHART_DIR given and " + output + "/ holds " + charts.size()
                    + " charts; name one of them:");
            charts.forEach(c -> message.append("\n  ").append(c));
            throw new ExitCodes.UserError(message.toString());
        }
        return charts.get(0);
    }
}
