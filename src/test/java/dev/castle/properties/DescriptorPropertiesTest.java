package dev.castle.properties;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.castle.charts.OperatorFixtures;
import dev.castle.cli.CastleCommand;
import dev.castle.cli.Pipeline;
import dev.castle.kustomize.KustomizeRenderer;
import dev.castle.model.SystemModel;
import dev.castle.testing.FileTree;
import dev.castle.testing.KubeSchemaValidator;
import dev.castle.testing.Tools;

/**
 * Property: whatever descriptor castle is given, {@code castle generate} either refuses it with
 * exit 2 and a message located at FILE:LINE:COL, or exits 0 with charts that Helm renders and
 * that pass the strict Kubernetes schema validation of the chart tests; never exit 1, never a
 * stack trace, never a hang.
 *
 * <p>The descriptors are the examples and the test fixtures changed by one to four random steps
 * ({@link Mutations}), and descriptors generated from the schema alone ({@link SchemaValues}).
 * A failing case is shrunk (fewer steps, then fewer entries) and reported with its descriptor.
 * Problems already known and owned by an open issue are listed in
 * {@code src/test/resources/properties/known-problems.txt} by signature: reported, not failed.
 *
 * <p>{@code -Dcastle.propertyTries=N} (default 40) and {@code -Dcastle.propertySeed=S} (default a
 * fixed seed, so that CI is repeatable; {@code random} for a new one, printed) choose the run.
 */
@Tag("integration")
class DescriptorPropertiesTest {
    private static final int TRIES = Integer.getInteger("castle.propertyTries", 40);
    private static final String SEED = System.getProperty("castle.propertySeed", "20261128");
    private static final Pattern LOCATED = Pattern.compile("(?m)^  .+:\\d+:\\d+: /");
    private static final ExecutorService RUNNER = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "castle-under-test");
        thread.setDaemon(true);
        return thread;
    });

    @TempDir
    Path tmp;

    record Source(String name, Path folder, String text) {
    }

    /** A descriptor to try: its tree (with the raw-text markers of {@link Mutations}) and how it was made. */
    record Case(Source source, List<String> steps, Map<String, Object> tree) {
        String text() {
            return Mutations.dump(tree);
        }
    }

    record Outcome(boolean ok, String signature, String detail) {
        static final Outcome OK = new Outcome(true, "", "");
    }

    @AfterAll
    static void stopRunner() {
        RUNNER.shutdownNow();
    }

    @Test
    void everyDescriptorIsRefusedWithALocationOrGeneratesValidCharts() throws Exception {
        long seed = SEED.equals("random") ? new Random().nextLong() : Long.parseLong(SEED);
        Random random = new Random(seed);
        Path project = Tools.projectDir();
        SchemaValues schema = new SchemaValues(project.resolve("schemas/castle-v1alpha1.schema.json"), random);
        Mutations mutations = new Mutations(random, schema);
        List<Source> sources = sources(project);
        Map<String, String> known = knownProblems(project);

        Map<String, Integer> outcomes = new TreeMap<>();
        Map<String, String> found = new LinkedHashMap<>();
        long started = System.nanoTime();
        for (int i = 0; i < TRIES; i++) {
            Source source = sources.get(random.nextInt(sources.size()));
            boolean generated = random.nextInt(4) == 0;
            Map<String, Object> tree = generated ? skeleton() : Mutations.parse(source.text());
            List<String> steps = new ArrayList<>();
            int count = generated ? 4 + random.nextInt(8) : 1 + random.nextInt(4);
            for (int s = 0; s < count; s++) {
                steps.add(mutations.mutate(tree));
            }
            Case attempt = new Case(generated ? new Source("generated", source.folder(), "") : source, steps, tree);
            boolean kustomize = random.nextInt(4) == 0;
            Outcome outcome = check(attempt, i, kustomize);
            outcomes.merge(outcome.ok() ? outcome.detail() : "problem", 1, Integer::sum);
            if (!outcome.ok() && !found.containsKey(outcome.signature())) {
                Case smallest = shrink(attempt, outcome.signature(), i, kustomize);
                found.put(outcome.signature(), "seed " + seed + ", try " + i + (kustomize ? " (with Kustomize)" : "")
                        + ", from " + attempt.source().name() + " by " + attempt.steps() + "\n" + outcome.detail()
                        + "\n--- smallest descriptor found ---\n" + smallest.text());
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        List<String> unknown = found.keySet().stream().filter(s -> known.keySet().stream().noneMatch(s::startsWith)).toList();
        StringBuilder report = new StringBuilder(String.format("DescriptorPropertiesTest: %d descriptors (seed %d) in %.1f s: %s;"
                + " %d distinct problems, %d of them known%n", TRIES, seed, seconds, outcomes, found.size(), found.size() - unknown.size()));
        found.forEach((signature, detail) -> report.append("\n=== ").append(known.keySet().stream().anyMatch(signature::startsWith)
                ? "known (" + known.entrySet().stream().filter(k -> signature.startsWith(k.getKey())).findFirst().orElseThrow().getValue()
                + ")" : "NEW").append(": ").append(signature).append('\n').append(detail).append('\n'));
        System.out.println(report);
        assertTrue(unknown.isEmpty(), report::toString);
    }

    /** Runs castle generate on the case and judges the outcome. */
    private Outcome check(Case attempt, int index, boolean kustomize) throws IOException, InterruptedException {
        Path descriptor = attempt.source().folder().resolve("try-" + index + "-" + System.nanoTime() + ".yaml");
        Files.writeString(descriptor, attempt.text(), StandardCharsets.UTF_8);
        Path out = tmp.resolve("out-" + index + "-" + System.nanoTime());
        try {
            List<String> args = new ArrayList<>(List.of("generate", descriptor.toString(), "-o", out.toString()));
            if (!kustomize) {
                args.add("--no-kustomize");
            }
            String[] run = castle(args.toArray(String[]::new));
            int status = Integer.parseInt(run[0]);
            String err = run[2];
            if (status == -1) {
                return new Outcome(false, "hang", err);
            }
            if (status == 1 || err.contains("\tat ") || err.contains("Exception")) {
                return new Outcome(false, "crash " + crashSignature(err), err);
            }
            if (status == 2) {
                return LOCATED.matcher(err).find() ? new Outcome(true, "", "refused")
                        : new Outcome(false, "unlocated " + normalize(err.lines().findFirst().orElse("")), err);
            }
            if (status != 0) {
                return new Outcome(false, "exit " + status, err);
            }
            SystemModel model;
            try {
                model = Pipeline.model(descriptor);
            } catch (dev.castle.load.InvalidInputException e) {
                return new Outcome(false, "generate passed, validate refused", String.valueOf(e.getMessage()));
            }
            return renders(out, model);
        } finally {
            Files.deleteIfExists(descriptor);
            delete(out);
        }
    }

    /**
     * Helm 4 renders the chart, with its default values, then with the custom resources the
     * descriptor asks for forced on (as the Kustomize output renders them: operators, claims,
     * monitors, autoscalers, certificates...) with the default values, each environment's values
     * file in the environment's namespace, and every canary on; every document validates strictly
     * (the schemas, then what the API server checks beyond them; a claim, whose schema only its
     * cluster knows, for its shape).
     */
    private Outcome renders(Path out, SystemModel model) throws IOException {
        Path chart;
        try (Stream<Path> entries = Files.list(out)) {
            chart = entries.filter(p -> Files.isRegularFile(p.resolve("Chart.yaml"))).findFirst().orElseThrow();
        }
        String release = chart.getFileName().toString();
        // the dependencies on published charts (chart-mode components, the observability stack) cannot be fetched here
        Files.write(chart.resolve("Chart.yaml"), dev.castle.kustomize.HelmEngine.localDependenciesOnly(Files.readAllBytes(chart.resolve("Chart.yaml"))));
        List<String> forced = new ArrayList<>();
        KustomizeRenderer.forcedCustomResources(model).forEach(set -> forced.addAll(List.of("--set", set)));
        record Run(String with, String namespace, List<String> args) {
        }
        List<Run> runs = new ArrayList<>();
        runs.add(new Run("", release, List.of()));
        runs.add(new Run(" (with the custom resources forced)", release, forced));
        for (SystemModel.Environment environment : model.environments()) {
            Path values = chart.resolve("values-" + environment.name() + ".yaml");
            if (Files.isRegularFile(values)) {
                List<String> args = new ArrayList<>(List.of("-f", values.toString()));
                args.addAll(forced);
                runs.add(new Run(" (with " + values.getFileName() + ")", environment.namespace(), args));
            }
        }
        List<String> canaries = model.services().stream().filter(s -> s.canary().isPresent()).map(s -> s.name() + ".canary.enabled=true").toList();
        if (!canaries.isEmpty()) {
            List<String> args = new ArrayList<>(List.of("--set", String.join(",", canaries)));
            args.addAll(forced);
            runs.add(new Run(" (with the canaries)", release, args));
        }
        Set<String> claims = OperatorFixtures.claimKinds(model);
        for (Run run : runs) {
            List<String> command = new ArrayList<>(List.of(Tools.helm4().toString(), "template", release, chart.toString(), "--namespace",
                    run.namespace()));
            command.addAll(run.args());
            Tools.Result helm = Tools.run(out, command);
            String with = run.with();
            if (helm.exitCode() != 0) {
                java.util.regex.Matcher at = Pattern.compile("at '(/[^']*)'").matcher(helm.stderr());
                String where = at.find() ? " at " + at.group(1).replaceAll("\\d+", "N") : "";
                return new Outcome(false, "helm " + normalize(helm.stderr().lines().filter(l -> !l.isBlank()).findFirst().orElse(""))
                        + where, helm.stderr() + with);
            }
            List<String> problems = KubeSchemaValidator.shared().validateAll(helm.stdout(), claims);
            if (!problems.isEmpty()) {
                return new Outcome(false, "schema " + normalize(problems.get(0)), String.join("\n", problems) + with);
            }
        }
        return new Outcome(true, "", "valid");
    }

    /** Runs castle in this JVM with a time limit; status -1 for a hang. */
    private static String[] castle(String... args) throws InterruptedException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Future<Integer> run = RUNNER.submit(() -> CastleCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true)));
        try {
            return new String[] {Integer.toString(run.get(Tools.TIMEOUT.toSeconds(), TimeUnit.SECONDS)), out.toString(), err.toString()};
        } catch (TimeoutException e) {
            run.cancel(true);
            return new String[] {"-1", out.toString(), "no answer in " + Tools.TIMEOUT + "\n" + err};
        } catch (ExecutionException e) {
            StringWriter trace = new StringWriter();
            e.getCause().printStackTrace(new PrintWriter(trace));
            return new String[] {"1", out.toString(), err + "\n" + trace};
        }
    }

    /**
     * The same problem, smaller: every entry of the tree (outer ones first, list items from the
     * end) is removed in turn and stays removed when the problem keeps its signature; passes repeat
     * while they remove something, within a budget of castle runs.
     */
    private Case shrink(Case failing, String signature, int index, boolean kustomize) throws IOException, InterruptedException {
        Map<String, Object> tree = Mutations.copy(failing.tree());
        int budget = kustomize ? 60 : 300;
        boolean progress = true;
        while (progress && budget > 0) {
            progress = false;
            List<List<Object>> paths = new ArrayList<>();
            collectEntries(tree, new ArrayList<>(), paths);
            paths.sort(java.util.Comparator.comparingInt(List::size));
            for (List<Object> path : paths) {
                Object parent = Mutations.get(tree, path.subList(0, path.size() - 1));
                Object last = path.get(path.size() - 1);
                boolean present = parent instanceof Map<?, ?> map ? map.containsKey(last)
                        : parent instanceof List<?> list && last instanceof Integer i && i < list.size();
                if (!present || budget-- <= 0) {
                    continue;
                }
                Map<String, Object> smaller = Mutations.copy(tree);
                Mutations.remove(Mutations.get(smaller, path.subList(0, path.size() - 1)), last);
                Outcome outcome = check(new Case(failing.source(), failing.steps(), smaller), index, kustomize);
                if (!outcome.ok() && outcome.signature().equals(signature)) {
                    tree = smaller;
                    progress = true;
                }
            }
        }
        return new Case(failing.source(), failing.steps(), tree);
    }

    private static void collectEntries(Object node, List<Object> path, List<List<Object>> paths) {
        if (node instanceof Map<?, ?> map) {
            for (Object key : map.keySet()) {
                List<Object> child = Mutations.append(path, key);
                paths.add(child);
                collectEntries(map.get(key), child, paths);
            }
        } else if (node instanceof List<?> list) {
            for (int i = list.size() - 1; i >= 0; i--) {
                List<Object> child = Mutations.append(path, i);
                paths.add(child);
                collectEntries(list.get(i), child, paths);
            }
        }
    }

    /** The first frame of castle's own code under the exception's name: one crash, one signature. */
    static String crashSignature(String err) {
        String exception = err.lines().filter(l -> l.contains("Exception") || l.contains("Error:") || l.contains("Error "))
                .findFirst().map(l -> l.replaceAll(".*?([A-Za-z.]*(Exception|Error))\\b.*", "$1")).orElse("?");
        String frame = err.lines().map(String::strip).filter(l -> l.startsWith("at dev.castle.")).findFirst()
                .map(l -> l.replaceAll("\\(.*", "")).orElse("at ?");
        return exception + " " + frame;
    }

    /** A message with its particulars (names, numbers, quoted values) blanked, to group equal problems. */
    static String normalize(String message) {
        String text = message.replaceAll("\"[^\"]*\"", "\"…\"").replaceAll("'[^']*'", "'…'").replaceAll("\\[\\d+\\]", "[]")
                .replaceAll("\\d+", "N").replaceAll("^(\\w+)/[^:]+:", "$1:");
        return text.length() > 140 ? text.substring(0, 140) : text;
    }

    private Map<String, Object> skeleton() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("apiVersion", "castle/v1alpha1");
        tree.put("kind", "System");
        tree.put("metadata", new LinkedHashMap<>(Map.of("name", "gen", "version", "0.1.0")));
        Map<String, Object> services = new LinkedHashMap<>();
        services.put("web", new LinkedHashMap<>(Map.of("image", "ghcr.io/acme/web:1.0.0", "ports", new LinkedHashMap<>(Map.of("http", 8080)))));
        tree.put("services", services);
        return tree;
    }

    /** The examples and the valid test fixtures, each copied with the files beside it into a folder of its own. */
    private List<Source> sources(Path project) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> examples = Files.list(project.resolve("examples"))) {
            examples.map(e -> e.resolve("castle.yaml")).filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        for (String fixtures : List.of("valid", "write", "chart-mode")) {
            try (Stream<Path> list = Files.list(project.resolve("src/test/resources/descriptors").resolve(fixtures))) {
                list.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(files::add);
            }
        }
        List<Source> sources = new ArrayList<>();
        for (Path file : files) {
            String name = project.relativize(file).toString();
            Path folder = tmp.resolve("sources").resolve(name.replace('/', '_'));
            Path from = file.getParent();
            FileTree.copy(from, folder, path -> !path.toString().endsWith(".yaml") || !path.getParent().equals(from));
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (Mutations.parse(text) != null) {
                sources.add(new Source(name, folder, text));
            }
        }
        return sources;
    }

    /** Signature prefix to the issue that owns it, from known-problems.txt ({@code signature<TAB>owner}). */
    private static Map<String, String> knownProblems(Path project) throws IOException {
        Map<String, String> known = new LinkedHashMap<>();
        Path file = project.resolve("src/test/resources/properties/known-problems.txt");
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\t", 2);
            known.put(parts[0], parts.length > 1 ? parts[1] : "");
        }
        return known;
    }

    private static void delete(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
