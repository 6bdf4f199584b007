package dev.castle.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.castle.kustomize.HelmEngine;
import dev.castle.kustomize.KustomizeRenderer;
import dev.castle.load.ConfigFileReader;
import dev.castle.load.DescriptorLoader;
import dev.castle.load.Diagnostic;
import dev.castle.load.InvalidInputException;
import dev.castle.load.Node;
import dev.castle.merge.EnvironmentMerge;
import dev.castle.model.ModelBinder;
import dev.castle.model.SystemModel;
import dev.castle.plan.OutputPlan;
import dev.castle.plan.Planner;
import dev.castle.render.Renderer;
import dev.castle.render.TemplateEngine;
import dev.castle.rules.Checker;
import dev.castle.schema.SchemaCheck;

/**
 * load -> schema -> merge environments -> bind -> check rules -> plan -> render, in memory. The
 * schema problems and the rules' findings are reported together; writing is left to the caller.
 */
public final class Pipeline {
    private Pipeline() {
    }

    /** A model that passed every check, and the warnings found on the way. */
    public record Checked(SystemModel model, List<Diagnostic> warnings) {
    }

    /** The checked model; with {@code strict}, warnings fail like errors. */
    public static Checked check(Path descriptor, boolean strict) throws InvalidInputException {
        return check(descriptor, new DescriptorLoader().load(descriptor), strict);
    }

    /** The model of a descriptor not on disk (yet): {@code descriptor} names it and its folder in messages. */
    public static SystemModel model(Path descriptor, byte[] bytes) throws InvalidInputException {
        return check(descriptor, new DescriptorLoader().load(descriptor, bytes), false).model();
    }

    private static Checked check(Path descriptor, Node root, boolean strict) throws InvalidInputException {
        Path baseDir = Optional.ofNullable(descriptor.toAbsolutePath().getParent()).orElse(Path.of("."));
        List<SchemaCheck.Problem> schemaProblems = new SchemaCheck().check(root);
        List<Diagnostic> problems = new ArrayList<>(schemaProblems.stream().map(SchemaCheck.Problem::diagnostic).toList());
        boolean rootBroken = !(root instanceof Node.MapNode) || schemaProblems.stream().anyMatch(p -> p.field().equals("/"));
        if (rootBroken) {
            throw new InvalidInputException(problems);
        }
        List<EnvironmentMerge.MergedEnvironment> environments = EnvironmentMerge.environments(root);
        SystemModel model = new ModelBinder(new ConfigFileReader(baseDir)).bind(root, environments);
        Map<String, Node> trees = new LinkedHashMap<>();
        environments.forEach(e -> trees.put(e.name(), e.descriptor()));
        problems.addAll(Checker.check(model, root, trees, schemaProblems.stream().map(SchemaCheck.Problem::field).toList()));
        if (strict) {
            problems = problems.stream().map(Diagnostic::asError).toList();
        }
        if (problems.stream().anyMatch(Diagnostic::isError)) {
            throw new InvalidInputException(problems);
        }
        return new Checked(model, problems);
    }

    public static SystemModel model(Path descriptor) throws InvalidInputException {
        return check(descriptor, false).model();
    }

    /** What a generate made: the folders it owns (the plan's roots) and every file's content, by path. */
    public record Result(SystemModel model, List<String> roots, Map<String, byte[]> files) {
    }

    /** Heap in use above which the charts' trees are collected before Helm's engine renders. */
    private static final long LARGE_HEAP = 96L << 20;

    /** The rendered charts and what the plan derives from them; the plan's trees are not kept. */
    private record Charts(List<String> roots, List<OutputPlan.DerivedTree> derived, Map<String, byte[]> files) {
        static Charts of(SystemModel model, Optional<Path> templates, boolean kustomize) throws IOException {
            OutputPlan plan = new Planner().plan(model, kustomize);
            return new Charts(plan.roots(), plan.derived(), new Renderer(new TemplateEngine(templates)).render(plan));
        }
    }

    public static Result generate(Path descriptor, Optional<Path> templates) throws InvalidInputException, IOException {
        return generate(model(descriptor), templates, true);
    }

    /**
     * With {@code kustomize} false, only the charts: faster, and no use of the embedded Helm engine,
     * unless templates override castle's: a chart made with them is rendered once by Helm's engine,
     * so that a template Helm refuses is reported now, with exit 2, and nothing is written.
     */
    public static Result generate(SystemModel model, Optional<Path> templates, boolean kustomize) throws IOException {
        try {
            // The plan's trees (the values and schemas of every chart: 170 MB at 1,000 services) are garbage
            // once rendered, before Helm's engine renders the Kustomize output beside the JVM.
            Charts rendered = Charts.of(model, templates, kustomize);
            Map<String, byte[]> files = new java.util.TreeMap<>(rendered.files());
            Map<String, byte[]> charts = Map.copyOf(files);
            Runtime jvm = Runtime.getRuntime();
            if (!rendered.derived().isEmpty() && jvm.totalMemory() - jvm.freeMemory() > LARGE_HEAP) {
                // Helm's engine is about to take its own memory in this process (450 MB at 1,000 services):
                // a collection now lets the JVM give back what the charts' trees held (the launcher's heap
                // shrinks at once when most of it is free), so the two do not add up. Below LARGE_HEAP
                // there is nothing worth giving back, and the collection cost the shop 20 ms.
                System.gc();
            }
            for (OutputPlan.DerivedTree tree : rendered.derived()) {
                if (tree instanceof OutputPlan.KustomizeTree kustomizeTree) {
                    files.putAll(new KustomizeRenderer(templates.isEmpty()).render(model, charts, kustomizeTree.root() + "/"));
                }
            }
            if (!kustomize && templates.isPresent()) {
                String system = model.metadata().name();
                try (HelmEngine helm = new HelmEngine(system, charts)) {
                    KustomizeRenderer.checkYaml(helm.template(system, system, null, KustomizeRenderer.forcedCustomResources(model)));
                }
            }
            return new Result(model, rendered.roots(), files);
        } catch (TemplateEngine.TemplateFailure | HelmEngine.RenderFailure e) {
            if (templates.isEmpty()) {
                throw e;
            }
            throw new ExitCodes.UserError("with the templates of " + templates.get() + ", " + (e instanceof HelmEngine.RenderFailure
                    ? "Helm cannot render the chart: " : "") + e.getMessage().strip().lines().findFirst().orElse("")
                    + " (castle's own templates are in the jar under templates/)");
        }
    }

    /**
     * The folder of {@code --templates}: a folder whose every file overrides one of castle's
     * templates by relative path (a misspelt name would otherwise be ignored without a word).
     */
    static Optional<Path> templates(Path folder) throws IOException {
        if (folder == null) {
            return Optional.empty();
        }
        if (!java.nio.file.Files.isDirectory(folder)) {
            throw new ExitCodes.UserError("--templates " + folder + " is not a folder");
        }
        java.util.SortedSet<String> builtIn = TemplateEngine.builtInNames();
        try (java.util.stream.Stream<Path> walk = java.nio.file.Files.walk(folder)) {
            for (Path path : walk.sorted().toList()) {
                String name = folder.relativize(path).toString().replace('\\', '/');
                if (java.nio.file.Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS) || builtIn.contains(name)) {
                    continue;
                }
                throw new ExitCodes.UserError("--templates " + folder + ": " + name + " overrides none of castle's templates"
                        + dev.castle.load.Suggestions.closest(name, builtIn).map(s -> " (did you mean " + s + "?)").orElse("")
                        + "; the templates it may override: " + String.join(", ", builtIn));
            }
        }
        return Optional.of(folder);
    }
}
