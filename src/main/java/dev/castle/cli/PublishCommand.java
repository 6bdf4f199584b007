package dev.castle.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.castle.publish.OciRegistry;
import dev.castle.publish.PackagedChart;
import dev.castle.publish.Packager;
import dev.castle.publish.PublishException;
import dev.castle.publish.RepositoryFolder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "publish",
        description = {"Publishes a chart (a folder, packaged on the way, or a .tgz with its .prov when signed) to an OCI "
                + "registry or to an HTTP chart repository kept as a folder.",
                "oci://host[:port]/path: pushed with Helm's engine (helm push; tag = version), then fetched back by digest. "
                        + "Credentials: " + PublishCommand.USERNAME + " and " + PublishCommand.PASSWORD
                        + " (castle logs in as helm registry login does), else what helm registry login or docker login stored.",
                "A folder path or file:/// URL: the archive is copied in and index.yaml is created or merged "
                        + "(as helm repo index --merge); serve the folder with any static web server.",
                "A version that is already there is refused unless --force."})
final class PublishCommand implements Callable<Integer> {
    static final String USERNAME = "CASTLE_REGISTRY_USERNAME";
    static final String PASSWORD = "CASTLE_REGISTRY_PASSWORD";

    @Parameters(index = "0", paramLabel = "CHART_OR_TGZ", description = "A chart folder or a chart archive (.tgz).")
    Path chart;

    @Parameters(index = "1", paramLabel = "REPOSITORY",
            description = "oci://host[:port]/path, or a repository folder (a path or a file:/// URL).")
    String repository;

    @Option(names = "--force", description = "Replace the version if the repository has it already.")
    boolean force;

    @Mixin
    ChartOptions chartOptions;

    @Option(names = "--plain-http", description = "Talk to the OCI registry over plain HTTP (a local registry).")
    boolean plainHttp;

    @Option(names = "--ca-file", paramLabel = "FILE", description = "Verify the registry's certificate with this CA bundle.")
    Path caFile;

    @Option(names = "--cert-file", paramLabel = "FILE", description = "Client certificate for the registry (with --key-file).")
    Path certFile;

    @Option(names = "--key-file", paramLabel = "FILE", description = "Key of the client certificate.")
    Path keyFile;

    @Option(names = "--insecure-skip-tls-verify", description = "Do not verify the registry's certificate.")
    boolean insecure;

    /** Only -h: --version is the chart version here, as in helm package (castle --version prints castle's). */
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Packager.Options options = chartOptions.toOptions();
        try {
            boolean oci = repository.startsWith("oci://");
            OciRegistry.Target target = oci ? OciRegistry.Target.parse(repository) : null;
            Path folder = oci ? null : RepositoryFolder.folder(repository);
            if (!oci && (plainHttp || caFile != null || certFile != null || keyFile != null || insecure)) {
                throw new PublishException("--plain-http, --ca-file, --cert-file, --key-file and --insecure-skip-tls-verify are for "
                        + "OCI registries (oci://...); a repository folder is written directly");
            }
            PackagedChart packaged;
            Instant created;
            if (Files.isDirectory(chart)) {
                packaged = Packager.packageFolder(chart, options);
                created = Instant.now();
            } else {
                packaged = Packager.readArchive(chart, options);
                created = Files.isRegularFile(chart) ? Files.getLastModifiedTime(chart).toInstant() : Instant.now();
            }
            if (oci) {
                publishOci(out, packaged, target, created);
            } else {
                RepositoryFolder.Result result = RepositoryFolder.publish(packaged, folder, force, Instant.now());
                out.println((result.replaced() ? "replaced " : "published ") + packaged.name() + " " + packaged.version() + " in "
                        + folder + " (" + result.archive().getFileName() + signed(packaged) + ", sha256:" + packaged.sha256()
                        + "; index.yaml lists " + result.versions() + (result.versions() == 1 ? " version" : " versions")
                        + " of " + packaged.name() + ")");
                out.println("serve " + folder + " over HTTP(S), then: helm repo add REPO URL && helm install " + packaged.name()
                        + " REPO/" + packaged.name() + " --version " + packaged.version());
            }
            return ExitCodes.OK;
        } catch (PublishException e) {
            throw new ExitCodes.UserError(e.getMessage());
        } catch (IOException e) {
            throw new ExitCodes.UserError("cannot read " + chart + ": " + PublishException.reason(e));
        }
    }

    private void publishOci(PrintWriter out, PackagedChart packaged, OciRegistry.Target target, Instant created)
            throws PublishException {
        if (plainHttp && (caFile != null || certFile != null || keyFile != null || insecure)) {
            throw new PublishException("--plain-http goes without TLS options (--ca-file, --cert-file, --key-file, "
                    + "--insecure-skip-tls-verify)");
        }
        OciRegistry.Connection connection = new OciRegistry.Connection(Optional.ofNullable(caFile), Optional.ofNullable(certFile),
                Optional.ofNullable(keyFile), insecure, plainHttp);
        String user = System.getenv(USERNAME);
        String password = System.getenv(PASSWORD);
        if (user != null || password != null) {
            if (user == null || user.isEmpty() || password == null || password.isEmpty()) {
                throw new PublishException("set both " + USERNAME + " and " + PASSWORD + ", or neither");
            }
            OciRegistry.login(target, connection, user, password);
        }
        OciRegistry.Result result = OciRegistry.publish(packaged, target, connection, force, created);
        out.println((result.replaced() ? "replaced " : "published ") + packaged.name() + " " + packaged.version() + signed(packaged)
                + " as " + result.reference() + " (manifest " + result.digest() + ", chart sha256:" + packaged.sha256() + ")");
        out.println("install: helm install " + packaged.name() + " " + target.url(packaged.name()) + " --version "
                + packaged.version() + (plainHttp ? " --plain-http" : "") + (packaged.provenance().isPresent() ? " --verify" : ""));
    }

    private static String signed(PackagedChart packaged) {
        return packaged.provenance().isPresent() ? " with its provenance" : "";
    }
}
