package dev.castle.publish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Loads a chart folder or a chart archive the way Helm's loader does ({@code loader.LoadDir},
 * {@code loader.LoadArchive}): in a folder, the chart's own {@code .helmignore} (with Helm's default
 * rule) applies to every path under it, subchart folders included; symbolic links are followed;
 * every folder and archive under {@code charts/} is a subchart; a UTF-8 byte order mark is dropped.
 */
final class ChartLoader {
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private ChartLoader() {
    }

    /** Loads the chart in this folder. */
    static HelmChart loadDirectory(Path dir) throws PublishException {
        if (!Files.isDirectory(dir)) {
            throw new PublishException(dir + " is not a folder");
        }
        Path root = dir.toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("Chart.yaml"))) {
            throw new PublishException(dir + " is not a chart: it has no Chart.yaml");
        }
        HelmIgnore ignore;
        Path ignoreFile = root.resolve(".helmignore");
        try {
            ignore = HelmIgnore.parse(Files.isRegularFile(ignoreFile) ? Files.readString(ignoreFile) : "");
        } catch (IOException e) {
            throw new PublishException("cannot read " + ignoreFile + ": " + e.getMessage());
        }
        List<TarGz.Entry> files = new ArrayList<>();
        try {
            Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    String rel = relative(root, d);
                    return !rel.isEmpty() && ignore.ignored(rel, true) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    String rel = relative(root, file);
                    if (ignore.ignored(rel, false)) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (!attrs.isRegularFile()) {
                        throw new IOException("cannot load irregular file " + file + " as it has file mode type bits set");
                    }
                    files.add(new TarGz.Entry(rel, withoutBom(Files.readAllBytes(file))));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    throw e;
                }
            });
        } catch (IOException | UncheckedIOException e) {
            throw new PublishException("cannot read the chart folder " + dir + ": " + e.getMessage());
        }
        return loadFiles(files, dir.toString());
    }

    /** Loads a chart archive (.tgz), as Helm does: the first folder of every path is the chart's. */
    static HelmChart loadArchive(byte[] tgz, String source) throws PublishException {
        List<TarGz.Entry> files = new ArrayList<>();
        List<TarGz.Entry> entries;
        try {
            entries = TarGz.read(tgz);
        } catch (PublishException e) {
            throw new PublishException(source + ": " + e.getMessage());
        }
        for (TarGz.Entry e : entries) {
            String delimiter = e.name().contains("\\") ? "\\" : "/";
            String[] parts = e.name().split(java.util.regex.Pattern.quote(delimiter), -1);
            if (parts[0].equals("Chart.yaml")) {
                throw new PublishException(source + ": Chart.yaml is not in the chart's folder");
            }
            String name = String.join("/", java.util.Arrays.copyOfRange(parts, 1, parts.length));
            if (name.startsWith("/")) {
                throw new PublishException(source + ": the chart illegally contains absolute paths");
            }
            name = cleanPath(name);
            if (name.equals(".")) {
                throw new PublishException(source + ": the chart illegally contains content outside its folder: " + e.name());
            }
            if (name.startsWith("..")) {
                throw new PublishException(source + ": the chart illegally references a parent folder: " + e.name());
            }
            files.add(new TarGz.Entry(name, withoutBom(e.data())));
        }
        if (files.isEmpty()) {
            throw new PublishException(source + ": no files in the chart archive");
        }
        return loadFiles(files, source);
    }

    /** Helm's LoadFiles: sorts the files of one chart into metadata, values, templates, files and subcharts. */
    private static HelmChart loadFiles(List<TarGz.Entry> files, String source) throws PublishException {
        HelmMetadata metadata = null;
        for (TarGz.Entry f : files) {
            if (f.name().equals("Chart.yaml")) {
                metadata = HelmMetadata.parse(text(f.data(), source + "/Chart.yaml"), source + "/Chart.yaml");
            }
        }
        if (metadata == null) {
            throw new PublishException(source + ": Chart.yaml file is missing");
        }
        boolean v1 = HelmMetadata.API_V1.equals(metadata.apiVersion());
        ChartLock lock = null;
        byte[] values = null;
        byte[] schema = null;
        List<TarGz.Entry> templates = new ArrayList<>();
        List<TarGz.Entry> other = new ArrayList<>();
        Map<String, List<TarGz.Entry>> subcharts = new TreeMap<>();
        for (TarGz.Entry f : files) {
            String n = f.name();
            if (n.equals("Chart.yaml")) {
                continue;
            } else if (n.equals("Chart.lock")) {
                lock = ChartLock.parse(text(f.data(), source + "/Chart.lock"), source + "/Chart.lock");
            } else if (n.equals("values.yaml")) {
                checkValues(f.data(), source + "/values.yaml");
                values = f.data();
            } else if (n.equals("values.schema.json")) {
                schema = f.data();
            } else if (n.equals("requirements.yaml")) {
                Map<String, Object> requirements = GoYamlReader.readMap(text(f.data(), source + "/requirements.yaml"),
                        source + "/requirements.yaml");
                List<HelmMetadata.Dependency> deps = new ArrayList<>();
                if (requirements.get("dependencies") instanceof List<?> list) {
                    for (Object d : list) {
                        deps.add(HelmMetadata.Dependency.from(d, source + "/requirements.yaml"));
                    }
                }
                metadata = withDependencies(metadata, deps);
                if (v1) {
                    other.add(f);
                }
            } else if (n.equals("requirements.lock")) {
                lock = ChartLock.parse(text(f.data(), source + "/requirements.lock"), source + "/requirements.lock");
                if (v1) {
                    other.add(f);
                }
            } else if (n.startsWith("templates/")) {
                templates.add(f);
            } else if (n.startsWith("charts/")) {
                if (n.endsWith(".prov")) {
                    other.add(f);
                    continue;
                }
                String rest = n.substring("charts/".length());
                String group = rest.split("/", 2)[0];
                subcharts.computeIfAbsent(group, k -> new ArrayList<>()).add(new TarGz.Entry(rest, f.data()));
            } else {
                other.add(f);
            }
        }
        metadata.validate(source + "/Chart.yaml");
        List<HelmChart> dependencies = new ArrayList<>();
        for (Map.Entry<String, List<TarGz.Entry>> group : subcharts.entrySet()) {
            String n = group.getKey();
            if (n.startsWith("_") || n.startsWith(".")) {
                continue;
            }
            String where = source + "/charts/" + n;
            if (n.endsWith(".tgz")) {
                TarGz.Entry file = group.getValue().get(0);
                if (!file.name().equals(n)) {
                    throw new PublishException(source + ": error unpacking subchart tar: expected " + n + ", got " + file.name());
                }
                dependencies.add(loadArchive(file.data(), where));
            } else {
                List<TarGz.Entry> inner = new ArrayList<>();
                for (TarGz.Entry f : group.getValue()) {
                    String[] parts = f.name().split("/", 2);
                    if (parts.length == 2) {
                        inner.add(new TarGz.Entry(parts[1], f.data()));
                    }
                }
                dependencies.add(loadFiles(inner, where));
            }
        }
        return new HelmChart(source, metadata, Optional.ofNullable(lock), Optional.ofNullable(values),
                Optional.ofNullable(schema), templates, other, dependencies);
    }

    private static HelmMetadata withDependencies(HelmMetadata m, List<HelmMetadata.Dependency> deps) {
        return new HelmMetadata(m.name(), m.home(), m.sources(), m.version(), m.description(), m.keywords(), m.maintainers(),
                m.icon(), m.apiVersion(), m.condition(), m.tags(), m.appVersion(), m.deprecated(), m.annotations(),
                m.kubeVersion(), deps, m.type());
    }

    private static void checkValues(byte[] data, String where) throws PublishException {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(100);
        options.setCodePointLimit(64 * 1024 * 1024);
        try {
            for (Object document : new Yaml(options).loadAll(text(data, where))) {
                if (document != null && !(document instanceof Map<?, ?>)) {
                    throw new PublishException(where + " is not a YAML mapping");
                }
            }
        } catch (YAMLException e) {
            throw new PublishException(where + " is not valid YAML: " + e.getMessage().strip());
        }
    }

    static String text(byte[] data, String where) throws PublishException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(data)).toString();
        } catch (CharacterCodingException e) {
            throw new PublishException(where + " is not UTF-8 text");
        }
    }

    private static byte[] withoutBom(byte[] data) {
        if (data.length >= 3 && data[0] == BOM[0] && data[1] == BOM[1] && data[2] == BOM[2]) {
            return java.util.Arrays.copyOfRange(data, 3, data.length);
        }
        return data;
    }

    private static String relative(Path root, Path p) {
        return root.relativize(p.toAbsolutePath().normalize()).toString().replace(java.io.File.separatorChar, '/');
    }

    /** Go's path.Clean for a relative path. */
    static String cleanPath(String path) {
        List<String> out = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..") && !out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
                out.remove(out.size() - 1);
            } else {
                out.add(part);
            }
        }
        return out.isEmpty() ? "." : String.join("/", out);
    }
}
