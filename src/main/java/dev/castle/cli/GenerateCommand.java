package dev.castle.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.castle.kustomize.HelmEngine;
import dev.castle.write.Changes;
import dev.castle.write.OutputWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Generates the parent Helm chart and one subchart per service.",
                "Files edited by hand since the last generation are never overwritten without --force."})
final class GenerateCommand implements Callable<Integer>, Diagnosing {
    @Parameters(paramLabel = "FILE", description = "The system descriptor (castle.yaml).")
    Path file;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "charts-out",
            description = "Output folder (default: ${DEFAULT-VALUE}); the chart goes to DIR/<system>/.")
    Path output;

    @Option(names = "--force", description = {"Overwrite files castle wrote that were edited by hand since.",
            "Files, links and folders castle did not write are never deleted, forced or not."})
    boolean force;

    @Option(names = "--dry-run", description = "Print what would change; write nothing.")
    boolean dryRun;

    @Option(names = "--kustomize", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also write the Kustomize base and overlays to DIR/kustomize/<system>/ (default); --no-kustomize writes the charts only and leaves that folder alone.")
    boolean kustomize;

    @Option(names = "--gitops-repository", paramLabel = "URL",
            description = "Git repository that holds this output, for the Argo CD and Flux manifests written to DIR/gitops/<system>/ (wins over the descriptor's gitops.repository).")
    String gitopsRepository;

    @Option(names = "--gitops-revision", paramLabel = "REVISION",
            description = "Branch, full reference (refs/tags/v1.0.0) or commit the GitOps manifests deploy (wins over gitops.revision; default main).")
    String gitopsRevision;

    @Option(names = "--templates", paramLabel = "DIR",
            description = "Folder of templates that override castle's own, by relative path (such as service/deployment.yaml.ftl).")
    Path templates;

    @Option(names = "--pin-digests", description = {"Resolve every image castle writes (services, canaries, versions, hooks, sidecars, init containers,",
            "embedded components, their exporters and the operands castle names, castle's own helpers) given by tag to the digest its registry serves now",
            "(OCI distribution API; CASTLE_REGISTRY_USERNAME/PASSWORD for private ones): the charts run repository:tag@sha256:..."})
    boolean pinDigests;

    @Option(names = "--registry-mirror", paramLabel = "REGISTRY=HOST[:PORT]",
            description = "With --pin-digests: ask this host for the digests of a registry's images (a mirror or pull-through cache, e.g. docker.io=mirror.local:5000); repeatable.")
    java.util.Map<String, String> registryMirrors = new java.util.LinkedHashMap<>();

    @Option(names = "--plain-http", description = "With --pin-digests: talk to the registries over plain HTTP (a local registry).")
    boolean plainHttp;

    @CommandLine.Mixin
    DiagnosticsOptions diagnostics;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public DiagnosticsOptions.Format format() {
        return diagnostics.format;
    }

    @Override
    public Path descriptor() {
        return file;
    }

    @Override
    public Integer call() throws Exception {
        boolean json = diagnostics.format == DiagnosticsOptions.Format.json;
        // With --format json, stdout holds the one JSON document; the progress lines go to stderr.
        PrintWriter out = json ? spec.commandLine().getErr() : spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (kustomize || templates != null) {
            HelmEngine.prepare(); // loaded on the other core while the descriptor is checked and the chart planned
        }
        Optional<Path> overrides = Pipeline.templates(templates);
        GitOpsOptions.check(gitopsRepository, gitopsRevision);
        Pipeline.Checked checked = Pipeline.check(file, diagnostics.strict);
        String checkedSystem = checked.model().metadata().name();
        dev.castle.model.SystemModel model = GitOpsOptions.apply(checked.model(), gitopsRepository, gitopsRevision);
        if (pinDigests) {
            model = Pinning.pin(file, model, new dev.castle.pin.RegistryDigests(plainHttp, System.getenv(), registryMirrors));
        } else if (plainHttp || !registryMirrors.isEmpty()) {
            throw new ExitCodes.UserError((plainHttp ? "--plain-http" : "--registry-mirror") + " is for --pin-digests");
        }
        DiagnosticsReport.passed(diagnostics.format, file, checked.warnings(), java.util.Map.of("system", checkedSystem),
                spec.commandLine().getOut(), spec.commandLine().getErr());
        Pipeline.Result result = Pipeline.generate(model, overrides, kustomize);
        String system = result.model().metadata().name();
        List<String> roots = result.roots();
        OutputWriter writer = new OutputWriter(output, notice -> {
            err.println("castle: " + notice);
            err.flush();
        });
        writer.checkInputsOutside(roots, List.of(file));
        if (dryRun) {
            Changes changes = writer.inspect(system, roots, result.files());
            Optional<String> refusal = changes.refusal(output, force);
            if (refusal.isPresent()) {
                throw new ExitCodes.UserError(refusal.get());
            }
            changes.added().forEach(f -> out.println("would add     " + f));
            changes.changed().forEach(f -> out.println("would change  " + f));
            changes.removed().forEach(f -> out.println("would remove  " + f));
            out.println("dry run: " + changes.added().size() + " to add, " + changes.changed().size() + " to change, "
                    + changes.removed().size() + " to remove, " + changes.unchanged().size() + " unchanged; nothing written");
            if (!changes.isEmpty()) {
                out.println("castle diff " + file + " -o " + output + " shows what changes in each rendered object");
            }
            return ExitCodes.OK;
        }
        Changes changes = writer.write(system, roots, result.files(), force);
        if (changes.isEmpty()) {
            out.println(output.resolve(system) + ": up to date (" + result.files().size() + " files)");
            return ExitCodes.OK;
        }
        out.println("generated " + output.resolve(system) + ": " + result.model().services().size() + " services, "
                + result.files().size() + " files (" + changes.added().size() + " added, " + changes.changed().size()
                + " changed, " + changes.removed().size() + " removed)");
        out.println("next: helm install " + system + " " + output.resolve(system));
        if (roots.stream().anyMatch(r -> r.startsWith("gitops/"))) {
            out.println("      or commit " + output + " and apply " + output.resolve("gitops").resolve(system) + "/argocd/applicationset.yaml (Argo CD)"
                    + " or a folder of " + output.resolve("gitops").resolve(system) + "/flux/ (Flux)");
        }
        return ExitCodes.OK;
    }
}
