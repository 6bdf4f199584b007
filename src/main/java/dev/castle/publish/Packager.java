package dev.castle.publish;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.marcnuri.helm.Helm;

/**
 * Packages charts with Helm's engine ({@code helm package}: its loader, {@code .helmignore}, its
 * Chart.yaml), then makes the archive reproducible ({@link ChartArchive}) and, when asked, signs it
 * ({@link Provenance}). Another version or appVersion is set in a copy of the chart's Chart.yaml
 * before Helm packages it, as {@code helm package --version} sets it.
 */
public final class Packager {
    /** Where the provenance's key comes from, and where users find the public key (Artifact Hub's signKey). */
    public record Signing(String key, Path keyring, Optional<Path> passphraseFile, Optional<String> keyUrl) {
    }

    /** Overrides, the time stamp of the archive's entries, and the signing key. */
    public record Options(Optional<String> version, Optional<String> appVersion, long mtimeSeconds, Optional<Signing> signing) {
        boolean rewrites() {
            return version.isPresent() || appVersion.isPresent();
        }
    }

    private Packager() {
    }

    /** Packages the chart in this folder. */
    public static PackagedChart packageFolder(Path dir, Options options) throws PublishException {
        return packageFolder(dir, dir.toString(), options);
    }

    private static PackagedChart packageFolder(Path dir, String label, Options options) throws PublishException {
        if (!Files.isDirectory(dir)) {
            throw new PublishException(dir + " is not a folder");
        }
        if (!Files.isRegularFile(dir.resolve("Chart.yaml"))) {
            throw new PublishException(dir + " is not a chart: it has no Chart.yaml");
        }
        Optional<Provenance> key = key(options);
        Path work = scratch();
        try {
            Map<String, String> fields = new LinkedHashMap<>();
            options.version().ifPresent(v -> fields.put("version", v));
            options.appVersion().ifPresent(v -> fields.put("appVersion", v));
            Map<String, String> annotations = key.map(k -> k.signKeyAnnotation(options.signing().orElseThrow().keyUrl()))
                    .orElse(Map.of());
            Path source = dir;
            if (!fields.isEmpty() || !annotations.isEmpty()) {
                source = copy(dir, work.resolve("chart"));
                ChartYamlEdit.apply(source.resolve("Chart.yaml"), fields, annotations);
            }
            Path chart = source;
            Path helmOut = work.resolve("helm");
            HelmCall.run("cannot package " + label, () -> new Helm(chart).packageIt().withDestination(helmOut).call());
            Path written;
            try (Stream<Path> files = Files.list(helmOut)) {
                written = files.findFirst().orElseThrow();
            }
            byte[] archive = ChartArchive.reproducible(Files.readAllBytes(written), options.mtimeSeconds());
            Path file = Files.createDirectories(work.resolve("out")).resolve(written.getFileName().toString());
            Files.write(file, archive);
            return describe(file, archive, key, options);
        } catch (IOException e) {
            throw new PublishException("cannot package " + label + ": " + PublishException.reason(e));
        } finally {
            delete(work);
        }
    }

    /**
     * A chart archive, checked by Helm's loader, with its provenance file when one lies beside it; with
     * another version or appVersion it is unpacked and packaged again (a signature must then be renewed).
     */
    public static PackagedChart readArchive(Path tgz, Options options) throws PublishException {
        if (!Files.isRegularFile(tgz)) {
            throw new PublishException(tgz + " is neither a chart folder nor a chart archive");
        }
        Path prov = tgz.resolveSibling(tgz.getFileName() + ".prov");
        try {
            if (Files.size(tgz) > ChartArchive.MAX_EXPANDED) {
                throw new PublishException(tgz + " is larger than any chart Helm loads");
            }
            byte[] archive = Files.readAllBytes(tgz);
            if (!options.rewrites()) {
                PackagedChart chart = describe(tgz, archive, key(options), options);
                return chart.provenance().isPresent() || !Files.isRegularFile(prov) ? chart
                        : new PackagedChart(chart.name(), chart.version(), archive, Optional.of(Files.readAllBytes(prov)),
                                chart.metadataYaml(), chart.metadata());
            }
            if (Files.exists(prov) && options.signing().isEmpty()) {
                throw new PublishException(prov + " signs " + tgz.getFileName() + " as it is; with another version or appVersion "
                        + "the archive changes: sign it again (--sign --key NAME --keyring FILE)");
            }
            HelmCall.run("Helm cannot load " + tgz, () -> new Helm(tgz).show().chart().call());
            Path work = scratch();
            try {
                ChartArchive.unpack(archive, tgz.toString(), work.resolve("chart"));
                return packageFolder(work.resolve("chart"), tgz.toString(), options);
            } finally {
                delete(work);
            }
        } catch (IOException e) {
            throw new PublishException("cannot read " + tgz + ": " + PublishException.reason(e));
        }
    }

    /** Writes the archive, and its provenance when signed, into the folder, together or not at all; returns the archive's path. */
    public static Path write(PackagedChart chart, Path destination) throws PublishException {
        if (Files.exists(destination) && !Files.isDirectory(destination)) {
            throw new PublishException("destination " + destination + " exists and is not a folder");
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(chart.fileName(), chart.archive());
        chart.provenance().ifPresent(p -> files.put(chart.fileName() + ".prov", p));
        FolderWrite.write(destination, files);
        return destination.resolve(chart.fileName());
    }

    /** The chart as Helm's engine reads it from the archive file, signed when asked. */
    private static PackagedChart describe(Path file, byte[] archive, Optional<Provenance> key, Options options)
            throws PublishException {
        String yaml = HelmCall.run("Helm cannot load " + file, () -> new Helm(file).show().chart().call());
        if (!(YamlText.load(yaml, "the metadata of " + file) instanceof Map<?, ?> map)) {
            throw new PublishException("Helm printed no metadata for " + file);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) map;
        String name = String.valueOf(metadata.get("name"));
        String version = String.valueOf(metadata.get("version"));
        Optional<byte[]> prov = Optional.empty();
        if (key.isPresent()) {
            prov = Optional.of(key.get().sign(options.signing().orElseThrow(), yaml, name + "-" + version + ".tgz", archive));
        }
        return new PackagedChart(name, version, archive, prov, yaml, metadata);
    }

    private static Optional<Provenance> key(Options options) throws PublishException {
        return options.signing().isPresent() ? Optional.of(Provenance.key(options.signing().get())) : Optional.empty();
    }

    /** A copy of the chart folder, symbolic links followed as Helm's loader follows them. */
    private static Path copy(Path from, Path to) throws IOException, PublishException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(from, FileVisitOption.FOLLOW_LINKS)) {
            paths = walk.toList();
        }
        for (Path p : paths) {
            Path target = to.resolve(from.relativize(p).toString());
            if (Files.isDirectory(p)) {
                Files.createDirectories(target);
            } else if (Files.isRegularFile(p)) {
                Files.copy(p, target);
            } else {
                throw new PublishException(p + " is not a regular file; a chart holds files and folders only");
            }
        }
        return to;
    }

    static Path scratch() throws PublishException {
        try {
            return Files.createTempDirectory("castle-package-");
        } catch (IOException e) {
            throw new PublishException("cannot create a scratch folder in " + System.getProperty("java.io.tmpdir") + ": "
                    + e.getMessage());
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a scratch folder left in the temporary folder: nothing else depends on it
        }
    }
}
