package dev.castle.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.castle.publish.ChartPackager;
import dev.castle.publish.OciPublisher;
import dev.castle.publish.OciReference;
import dev.castle.publish.PublishException;
import dev.castle.publish.RegistryCredentials;
import dev.castle.publish.RepositoryFolder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "publish",
        description = {"Publishes a chart (a folder, packaged on the way, or a .tgz) to an OCI registry or to an HTTP chart "
                + "repository kept as a folder.",
                "oci://host[:port]/path: pushed as helm push does (tag = version). Credentials: "
                        + RegistryCredentials.USERNAME_VARIABLE + " and " + RegistryCredentials.PASSWORD_VARIABLE
                        + ", else the Docker config file (docker login), else Helm's registry config (helm registry login).",
                "A folder path or file:// URL: the archive is copied in and index.yaml is created or merged "
                        + "(as helm repo index --merge); serve the folder with any static web server.",
                "A version that is already there is refused unless --force."})
final class PublishCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CHART_OR_TGZ", description = "A chart folder or a chart archive (.tgz).")
    Path chart;

    @Parameters(index = "1", paramLabel = "REPOSITORY",
            description = "oci://host[:port]/path, or a repository folder (a path or a file:// URL).")
    String repository;

    @Option(names = "--force", description = "Replace the version if the repository has it already.")
    boolean force;

    @Option(names = "--version", paramLabel = "VERSION", description = "Publish with this chart version (Chart.yaml in the archive is rewritten).")
    String version;

    @Option(names = "--app-version", paramLabel = "VERSION", description = "Publish with this appVersion (Chart.yaml in the archive is rewritten).")
    String appVersion;

    @Option(names = "--plain-http", description = "Talk to the OCI registry over plain HTTP (a local registry).")
    boolean plainHttp;

    /** Only -h: --version is the chart version here, as in helm package (castle --version prints castle's). */
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try {
            ChartPackager.Options options = PackageCommand.options(version, appVersion);
            ChartPackager.PackagedChart packaged;
            Instant created;
            if (Files.isDirectory(chart)) {
                packaged = ChartPackager.packageDirectory(chart, options);
                created = Instant.now();
            } else if (Files.isRegularFile(chart)) {
                byte[] bytes = Files.readAllBytes(chart);
                packaged = version != null || appVersion != null
                        ? ChartPackager.rewriteArchive(bytes, chart.toString(), options)
                        : ChartPackager.readArchive(bytes, chart.toString());
                created = Files.getLastModifiedTime(chart).toInstant();
            } else {
                throw new ExitCodes.UserError(chart + " is neither a chart folder nor a chart archive");
            }
            packaged.notes().forEach(n -> out.println("note: " + n));
            if (OciReference.isOci(repository)) {
                publishOci(out, packaged, created);
            } else {
                publishFolder(out, packaged);
            }
            return ExitCodes.OK;
        } catch (PublishException e) {
            throw new ExitCodes.UserError(e.getMessage());
        } catch (IOException e) {
            throw new ExitCodes.UserError("cannot read " + chart + ": " + e.getMessage());
        }
    }

    private void publishOci(PrintWriter out, ChartPackager.PackagedChart packaged, Instant created) throws PublishException {
        OciReference target = OciReference.parse(repository);
        Optional<RegistryCredentials> credentials = RegistryCredentials.lookup(target.registry(), System.getenv());
        String time = DateTimeFormatter.ISO_INSTANT.format(created.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
        OciPublisher.Result result = OciPublisher.publish(packaged, target, force, plainHttp, credentials, time);
        out.println((result.replaced() ? "replaced " : "published ") + packaged.name() + " " + packaged.version() + " as "
                + result.reference() + " (manifest " + result.manifestDigest() + ", chart sha256:" + packaged.sha256() + ")");
        out.println("install: helm install " + packaged.name() + " " + result.chartUrl() + " --version " + packaged.version()
                + (plainHttp ? " --plain-http" : ""));
    }

    private void publishFolder(PrintWriter out, ChartPackager.PackagedChart packaged) throws PublishException {
        Path folder = RepositoryFolder.folder(repository).orElseThrow(() -> new PublishException(repository
                + ": castle publishes to OCI registries (oci://host/path) and to chart repository folders (a path or a file:// URL);"
                + " to publish to an HTTP chart repository, publish to the folder it serves"));
        if (plainHttp) {
            out.println("note: --plain-http only concerns OCI registries");
        }
        RepositoryFolder.Result result = RepositoryFolder.publish(packaged, folder, force, Instant.now());
        out.println((result.replaced() ? "replaced " : "published ") + packaged.name() + " " + packaged.version() + " in "
                + folder + " (" + result.archive().getFileName() + ", sha256:" + packaged.sha256() + "; index.yaml lists "
                + result.versions() + (result.versions() == 1 ? " version" : " versions") + " of " + packaged.name() + ")");
        out.println("serve " + folder + " over HTTP(S), then: helm repo add REPO URL && helm install " + packaged.name() + " REPO/"
                + packaged.name() + " --version " + packaged.version());
    }
}
