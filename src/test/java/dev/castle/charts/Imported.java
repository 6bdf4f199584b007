package dev.castle.charts;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.castle.cli.CastleCommand;
import dev.castle.testing.Tools;

/**
 * Descriptors made by castle itself (init, import compose, import oam) from the fixtures under
 * src/test/resources/imports: each case is a name and the command line that writes its castle.yaml.
 */
final class Imported {
    record Case(String name, List<String> command) {
        @Override
        public String toString() {
            return name;
        }
    }

    private Imported() {
    }

    static List<Case> cases() {
        Path imports = Tools.projectDir().resolve("src/test/resources/imports");
        List<Case> cases = new ArrayList<>();
        try (Stream<Path> compose = Files.list(imports.resolve("compose"));
             Stream<Path> oam = Files.isDirectory(imports.resolve("oam")) ? Files.list(imports.resolve("oam")) : Stream.empty()) {
            for (Path project : compose.filter(Files::isDirectory).sorted().toList()) {
                List<String> command = new ArrayList<>(List.of("import", "compose"));
                try (Stream<Path> files = Files.list(project)) {
                    files.filter(f -> f.getFileName().toString().matches("(docker-)?compose(\\..+)?\\.ya?ml"))
                            .sorted((a, b) -> a.getFileName().toString().length() - b.getFileName().toString().length())
                            .forEach(f -> command.add(f.toString()));
                }
                cases.add(new Case("compose/" + project.getFileName(), command));
            }
            for (Path app : oam.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                cases.add(new Case("oam/" + app.getFileName(), List.of("import", "oam", app.toString())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        cases.add(new Case("init", List.of("init", "--name", "starter")));
        cases.add(new Case("init --services --with", List.of("init", "--name", "shop", "--services", "frontend,orders,payments",
                "--with", "postgresql,redis,kafka,rabbitmq,mongodb,mysql,jaeger")));
        return cases;
    }

    /** Runs the case's command so that it writes {@code dir/castle.yaml}, and returns that file. */
    static Path write(Case c, Path dir) {
        List<String> args = new ArrayList<>(c.command());
        if (args.get(0).equals("init")) {
            args.add(1, dir.toString());
        } else {
            args.add("-o");
            args.add(dir.resolve("castle.yaml").toString());
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = CastleCommand.execute(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        if (status != 0) {
            throw new AssertionError("castle " + String.join(" ", args) + " exited " + status + "\n" + out + err);
        }
        return dir.resolve("castle.yaml");
    }
}
