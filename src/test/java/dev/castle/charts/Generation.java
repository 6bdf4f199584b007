package dev.castle.charts;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import dev.castle.cli.CastleCommand;
import dev.castle.testing.Tools;

/** Runs {@code castle generate} as a user would, and lists the descriptors the tests check. */
final class Generation {
    private Generation() {
    }

    /** Generates the descriptor into {@code out} and returns the parent chart folder. */
    static Path generate(Path descriptor, Path out) {
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        int status = CastleCommand.execute(new String[] {"generate", descriptor.toString(), "-o", out.toString()},
                new PrintWriter(stdout, true), new PrintWriter(stderr, true));
        if (status != 0) {
            throw new AssertionError("castle generate " + descriptor + " exited " + status + "\n" + stdout + stderr);
        }
        try (Stream<Path> dirs = Files.list(out)) {
            // the chart folder (castle also writes kustomize/ beside it)
            return dirs.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith("."))
                    .filter(d -> Files.isRegularFile(d.resolve("Chart.yaml"))).findFirst().orElseThrow();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The bundled examples, every valid test descriptor and the public systems of
     * {@code src/test/resources/systems/}; {@code -Dcastle.descriptors=TEXT} keeps those whose path
     * contains TEXT (to run one while working on it).
     */
    static List<Path> descriptors() {
        Path project = Tools.projectDir();
        String only = System.getProperty("castle.descriptors", "");
        try (Stream<Path> examples = Files.list(project.resolve("examples"));
             Stream<Path> valid = Files.list(project.resolve("src/test/resources/descriptors/valid"));
             Stream<Path> systems = Files.list(project.resolve("src/test/resources/systems"))) {
            return Stream.of(
                    examples.map(e -> e.resolve("castle.yaml")).filter(Files::isRegularFile).sorted(),
                    valid.filter(p -> p.toString().endsWith(".yaml")).sorted(),
                    systems.map(e -> e.resolve("castle.yaml")).filter(Files::isRegularFile).sorted())
                    .flatMap(s -> s).filter(p -> p.toString().contains(only)).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Renders a chart with Helm, each value given with {@code setOption} (--set or --set-string), checks every document strictly and returns them. */
    static List<java.util.Map<String, Object>> renderValid(Path dir, Path helm, String release, Path chart, String setOption, String... set) {
        List<String> command = new java.util.ArrayList<>(List.of(helm.toString(), "template", release, chart.toString()));
        for (String s : set) {
            command.addAll(List.of(setOption, s));
        }
        String rendered = dev.castle.testing.Tools.run(dir, command).assertOk().stdout();
        dev.castle.testing.KubeSchemaValidator.shared().assertValid(rendered, java.util.Set.of());
        return dev.castle.testing.KubeSchemaValidator.documents(rendered);
    }

    /** The document of that kind and name. */
    static java.util.Map<String, Object> named(List<java.util.Map<String, Object>> docs, String kind, String name) {
        return docs.stream().filter(d -> kind.equals(d.get("kind")) && d.get("metadata") instanceof java.util.Map<?, ?> m
                && name.equals(m.get("name"))).findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }
}
