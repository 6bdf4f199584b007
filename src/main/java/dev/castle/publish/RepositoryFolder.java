package dev.castle.publish;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP chart repository kept as a folder, to be served as it is by any static web server or
 * object store: the chart archives and an {@code index.yaml}.
 *
 * <p>Publishing copies the archive in and merges one entry into {@code index.yaml}, as
 * {@code helm repo index --merge} does for a new archive: the entry has the chart's metadata, a
 * relative URL (the archive's file name), its SHA-256 digest and a creation time; each chart's
 * entries are sorted by version, newest first; other charts and versions are kept as they are
 * (their creation times included, which {@code helm repo index} would reset). Both files are
 * written to a temporary file and moved into place, the archive first.
 */
public final class RepositoryFolder {
    /** What was published: the archive, the index and how many versions of the chart it lists. */
    public record Result(Path archive, Path index, int versions, boolean replaced) {
    }

    private RepositoryFolder() {
    }

    /** Whether the text names a repository folder: {@code file://...} or a path (not another URL scheme). */
    public static Optional<Path> folder(String text) throws PublishException {
        if (text.startsWith("file://")) {
            try {
                return Optional.of(Path.of(URI.create(text)));
            } catch (IllegalArgumentException e) {
                throw new PublishException(text + " is not a file:// URL of a folder (" + e.getMessage() + ")");
            }
        }
        if (text.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(text));
    }

    public static Result publish(ChartPackager.PackagedChart chart, Path folder, boolean force, Instant now) throws PublishException {
        HelmMetadata metadata = chart.metadata();
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new PublishException(folder + " is not a folder");
        }
        Path indexFile = folder.resolve("index.yaml");
        Map<String, Object> index = load(indexFile);
        @SuppressWarnings("unchecked")
        Map<String, Object> entries = (Map<String, Object>) index.get("entries");
        List<Object> versions = new ArrayList<>();
        Object existing = entries.get(metadata.name());
        if (existing instanceof List<?> list) {
            versions.addAll(list);
        } else if (existing != null) {
            throw new PublishException(indexFile + ": entries." + metadata.name() + " is not a list");
        }
        boolean listed = versions.removeIf(v -> sameVersion(v, metadata.version()));
        Path archive = folder.resolve(chart.fileName());
        boolean present = Files.exists(archive);
        if ((listed || present) && !force) {
            throw new PublishException(metadata.name() + " " + metadata.version() + " is already in " + folder
                    + (listed ? " (index.yaml lists it)" : " (" + chart.fileName() + " exists)")
                    + "; publish another version (--version), or replace it with --force");
        }
        Map<String, Object> entry = new LinkedHashMap<>(metadata.tree());
        entry.putIfAbsent("apiVersion", HelmMetadata.API_V1);
        entry.put("urls", List.of(chart.fileName()));
        entry.put("created", ChartLock.rfc3339Nano(now.atOffset(ZoneOffset.UTC)));
        entry.put("digest", chart.sha256());
        versions.add(entry);
        versions.sort(Comparator.comparing(RepositoryFolder::versionOf, Comparator.nullsFirst(Comparator.<SemVer>naturalOrder()))
                .reversed());
        entries.put(metadata.name(), versions);
        index.put("generated", ChartLock.rfc3339Nano(now.atOffset(ZoneOffset.UTC)));
        try {
            Files.createDirectories(folder);
            AtomicFile.write(archive, chart.bytes());
            AtomicFile.write(indexFile, GoYamlWriter.marshal(index).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PublishException("cannot write to " + folder + ": " + e.getMessage());
        }
        return new Result(archive, indexFile, versions.size(), listed || present);
    }

    private static Map<String, Object> load(Path indexFile) throws PublishException {
        Map<String, Object> index = new LinkedHashMap<>();
        if (Files.isRegularFile(indexFile)) {
            String text;
            try {
                text = Files.readString(indexFile);
            } catch (IOException e) {
                throw new PublishException("cannot read " + indexFile + ": " + e.getMessage());
            }
            index = GoYamlReader.readMap(text, indexFile.toString());
            if (!index.isEmpty() && (!(index.get("apiVersion") instanceof String api) || api.isEmpty())) {
                throw new PublishException(indexFile + " is not a chart repository index: it has no apiVersion");
            }
        }
        index.putIfAbsent("apiVersion", "v1");
        Object entries = index.get("entries");
        if (entries == null) {
            index.put("entries", new LinkedHashMap<String, Object>());
        } else if (!(entries instanceof Map<?, ?>)) {
            throw new PublishException(indexFile + ": entries is not a map of chart names to versions");
        }
        return index;
    }

    private static boolean sameVersion(Object entry, String version) {
        if (!(entry instanceof Map<?, ?> map) || map.get("version") == null) {
            return false;
        }
        String other = GoScalars.asGoString(map.get("version") instanceof Map<?, ?> ? null : map.get("version"));
        if (other.equals(version)) {
            return true;
        }
        Optional<SemVer> a = SemVer.parse(other);
        Optional<SemVer> b = SemVer.parse(version);
        return a.isPresent() && b.isPresent() && a.get().compareTo(b.get()) == 0 && a.get().metadata().equals(b.get().metadata());
    }

    /** The entry's version, or null (sorted last, as Helm sorts versions it cannot parse). */
    private static SemVer versionOf(Object entry) {
        if (!(entry instanceof Map<?, ?> map) || map.get("version") == null || map.get("version") instanceof Map<?, ?>
                || map.get("version") instanceof List<?>) {
            return null;
        }
        return SemVer.parse(GoScalars.asGoString(map.get("version"))).orElse(null);
    }

}
