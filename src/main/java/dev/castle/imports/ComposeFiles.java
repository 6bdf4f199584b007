package dev.castle.imports;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.castle.load.Diagnostic;
import dev.castle.load.InvalidInputException;
import dev.castle.load.Position;

/**
 * Reads the Compose files of a project as {@code docker compose -f a -f b} does: each file is read,
 * interpolated and validated against the Compose Specification on its own (every problem of every
 * file reported at once, with its place), then the files are merged in order: mappings key by key,
 * the map-like lists ({@code environment}, {@code labels}, {@code depends_on}, {@code networks},
 * {@code extra_hosts}...) by key, the other lists ({@code ports}, {@code volumes}, {@code expose},
 * {@code env_file}, {@code secrets}...) appended, and {@code command}, {@code entrypoint} and
 * {@code healthcheck.test} replaced. Positions stay those of the file each value came from.
 */
final class ComposeFiles {
    /** Service keys whose list form ({@code KEY=VALUE}, or names) is merged as a mapping. */
    static final Set<String> MAP_LIKE = Set.of("environment", "labels", "annotations", "extra_hosts", "depends_on", "networks",
            "sysctls", "ulimits");
    /** Service keys whose lists are appended across files. */
    static final Set<String> APPENDED = Set.of("ports", "expose", "volumes", "env_file", "secrets", "configs", "dns", "dns_search",
            "tmpfs", "cap_add", "cap_drop", "devices", "external_links", "links", "security_opt", "volumes_from", "profiles");

    /** Where the variables came from, for the notes. */
    record Variables(Map<String, String> values, Optional<Path> dotEnv) {
    }

    private ComposeFiles() {
    }

    /** The process environment over the {@code .env} file of the project folder (the first file's folder). */
    static Variables variables(Path firstFile, Map<String, String> processEnvironment) throws InvalidInputException {
        Map<String, String> values = new HashMap<>();
        Path folder = Optional.ofNullable(firstFile.toAbsolutePath().getParent()).orElse(Path.of("."));
        Path dotEnv = folder.resolve(".env");
        Optional<Path> found = Optional.empty();
        if (Files.isRegularFile(dotEnv)) {
            values.putAll(EnvFile.read(dotEnv, null));
            found = Optional.of(dotEnv);
        }
        values.putAll(processEnvironment);
        return new Variables(values, found);
    }

    /** Reads, interpolates and validates every file; throws with all problems of all files. */
    static List<SourceNode.Map> read(List<Path> files, Interpolation interpolation) throws InvalidInputException {
        List<Diagnostic> problems = new ArrayList<>();
        List<SourceNode.Map> roots = new ArrayList<>();
        for (Path file : files) {
            try {
                SourceNode root = interpolation.apply(SourceYaml.load(file, "a Compose file (services: ...)"));
                if (!(root instanceof SourceNode.Map map)) {
                    problems.add(new Diagnostic(root.position(), "/", "a Compose file is a mapping", "services: ..., volumes: ..."));
                    continue;
                }
                List<Diagnostic> invalid = ComposeSchema.check(map);
                if (!invalid.isEmpty()) {
                    problems.addAll(invalid);
                    continue;
                }
                roots.add(map);
            } catch (InvalidInputException e) {
                problems.addAll(e.diagnostics());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return roots;
    }

    /** The files merged into one project, later files over earlier ones. */
    static SourceNode.Map merge(List<SourceNode.Map> roots) {
        SourceNode.Map merged = roots.get(0);
        for (int i = 1; i < roots.size(); i++) {
            merged = (SourceNode.Map) merge(merged, roots.get(i), List.of());
        }
        return merged;
    }

    private static SourceNode merge(SourceNode base, SourceNode over, List<String> path) {
        boolean serviceKey = path.size() == 3 && path.get(0).equals("services");
        String key = path.isEmpty() ? "" : path.get(path.size() - 1);
        if (serviceKey && MAP_LIKE.contains(key)) {
            base = asMap(base);
            over = asMap(over);
        }
        if (base instanceof SourceNode.Map b && over instanceof SourceNode.Map o) {
            Map<String, SourceNode.Entry> entries = new LinkedHashMap<>(b.entries());
            o.entries().forEach((k, e) -> {
                SourceNode.Entry existing = entries.get(k);
                List<String> child = new ArrayList<>(path);
                child.add(k);
                boolean replaced = path.size() == 3 && path.get(0).equals("services") && key.equals("healthcheck") && k.equals("test");
                entries.put(k, existing == null || replaced ? e
                        : new SourceNode.Entry(e.keyPosition(), merge(existing.value(), e.value(), child)));
            });
            return new SourceNode.Map(o.position(), o.pointer(), entries);
        }
        if (serviceKey && APPENDED.contains(key) && base instanceof SourceNode.Seq b && over instanceof SourceNode.Seq o) {
            List<SourceNode> items = new ArrayList<>(b.items());
            items.addAll(o.items());
            return new SourceNode.Seq(o.position(), o.pointer(), items);
        }
        return over;
    }

    /**
     * A map-like value in its mapping form: {@code [A=1, B]} becomes {@code {A: "1", B: null}},
     * {@code [db, cache]} (depends_on, networks) becomes {@code {db: null, cache: null}}, and
     * {@code ["host:1.2.3.4"]} (extra_hosts) {@code {host: "1.2.3.4"}}. Positions are the items'.
     */
    static SourceNode asMap(SourceNode node) {
        if (!(node instanceof SourceNode.Seq seq)) {
            return node;
        }
        Map<String, SourceNode.Entry> entries = new LinkedHashMap<>();
        for (SourceNode item : seq.items()) {
            if (!(item instanceof SourceNode.Scalar s)) {
                continue;
            }
            String text = s.text();
            int eq = text.indexOf('=');
            if (eq < 0 && text.matches("^[^:]+:[^:].*$") && !text.contains("://")) {
                eq = text.indexOf(':');
            }
            Position at = s.position();
            if (eq < 0) {
                entries.putIfAbsent(text, new SourceNode.Entry(at, new SourceNode.Scalar(at, s.pointer(), "", SourceNode.Type.NULL)));
            } else {
                entries.put(text.substring(0, eq), new SourceNode.Entry(at,
                        new SourceNode.Scalar(at, s.pointer(), text.substring(eq + 1), SourceNode.Type.STRING)));
            }
        }
        return new SourceNode.Map(seq.position(), seq.pointer(), entries);
    }

    /** The path of a file that a Compose file names, relative to that Compose file's folder. */
    static Path relativeTo(Position position, String path) {
        Path folder = Optional.ofNullable(position.file().toAbsolutePath().getParent()).orElse(Path.of("."));
        return folder.resolve(path).normalize();
    }
}
