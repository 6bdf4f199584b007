package dev.castle.publish;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An HTTP chart repository kept as a folder, served as it is by any static web server: the chart
 * archives, their provenance files, {@code index.yaml} and {@code artifacthub-repo.yml}. Helm's
 * engine has no {@code helm repo index}, so castle merges the new entry into index.yaml itself: the
 * chart's metadata as Helm read it, {@code urls} (the archive's name, relative), {@code created} and
 * {@code digest}; the other entries stay as they were. The folder changes as one transaction: every
 * new file is written beside its place first, then all are moved in, index.yaml last
 * ({@link FolderWrite}).
 */
public final class RepositoryFolder {
    /** What was published: the archive's path, how many versions of the chart index.yaml lists, whether one was replaced. */
    public record Result(Path archive, int versions, boolean replaced) {
    }

    private RepositoryFolder() {
    }

    /** The folder a repository argument names: a path or a file:// URL; anything else is refused. */
    public static Path folder(String repository) throws PublishException {
        if (repository.isBlank()) {
            throw new PublishException("the repository is empty: give oci://host/path or a folder");
        }
        if (repository.startsWith("file://")) {
            try {
                URI uri = new URI(repository);
                if (uri.getAuthority() != null || uri.getPath() == null || uri.getPath().isEmpty()) {
                    throw new URISyntaxException(repository, "a file URL is file:///path/to/folder");
                }
                return Path.of(uri.getPath());
            } catch (URISyntaxException e) {
                throw new PublishException(repository + " is not a file URL (file:///path/to/folder): " + e.getReason());
            }
        }
        if (repository.matches("[A-Za-z][A-Za-z0-9+.-]*:.*") && !repository.matches("[A-Za-z]:[\\\\/].*")) {
            throw new PublishException(repository + ": castle publishes to OCI registries (oci://host/path) and to chart "
                    + "repository folders (a path or a file:/// URL); to publish to an HTTP repository, publish to the folder "
                    + "its web server serves");
        }
        return Path.of(repository);
    }

    /** Adds the chart to the folder's repository; a version it has is refused unless {@code force}. */
    public static Result publish(PackagedChart chart, Path folder, boolean force, Instant now) throws PublishException {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new PublishException("cannot create the repository folder " + folder + ": " + PublishException.reason(e));
        }
        try (FileChannel lockFile = FileChannel.open(folder.resolve(".castle-publish.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
            return publishLocked(chart, folder, force, now);
        } catch (IOException e) {
            throw new PublishException("cannot write to the repository folder " + folder + ": " + PublishException.reason(e));
        }
    }

    private static Result publishLocked(PackagedChart chart, Path folder, boolean force, Instant now) throws PublishException {
        Path indexFile = folder.resolve("index.yaml");
        Map<String, Object> index = readIndex(indexFile);
        @SuppressWarnings("unchecked")
        Map<String, Object> entries = (Map<String, Object>) index.get("entries");
        Object existing = entries.getOrDefault(chart.name(), List.of());
        if (!(existing instanceof List<?> list)) {
            throw new PublishException(indexFile + ": entries." + chart.name() + " is not a list of versions");
        }
        List<Object> versions = new ArrayList<>(list);
        int place = 0;
        while (place < versions.size() && !(versions.get(place) instanceof Map<?, ?> m
                && chart.version().equals(String.valueOf(m.get("version"))))) {
            place++;
        }
        boolean listed = place < versions.size();
        boolean present = Files.exists(folder.resolve(chart.fileName()));
        if ((listed || present) && !force) {
            throw new PublishException(chart.name() + " " + chart.version() + " is already in " + folder
                    + (listed ? " (index.yaml lists it)" : " (" + chart.fileName() + " exists)")
                    + "; publish another version (--version), or replace it with --force");
        }
        Map<String, Object> entry = new TreeMap<>(chart.metadata());
        entry.put("urls", List.of(chart.fileName()));
        entry.put("created", now.toString());
        entry.put("digest", chart.sha256());
        if (listed) {
            versions.set(place, entry); // a replaced version keeps its place; a new one goes first (Helm sorts when it reads)
        } else {
            versions.add(0, entry);
        }
        entries.put(chart.name(), versions);
        index.put("generated", now.toString());

        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(chart.fileName(), chart.archive());
        chart.provenance().ifPresent(p -> files.put(chart.fileName() + ".prov", p));
        if (!Files.exists(folder.resolve("artifacthub-repo.yml"))) {
            files.put("artifacthub-repo.yml", artifactHubRepo(chart.metadata()).getBytes(StandardCharsets.UTF_8));
        }
        files.put("index.yaml", YamlText.dump(index).getBytes(StandardCharsets.UTF_8));
        FolderWrite.write(folder, files);
        return new Result(folder.resolve(chart.fileName()), versions.size(), listed || present);
    }

    private static Map<String, Object> readIndex(Path indexFile) throws PublishException {
        Map<String, Object> index = new LinkedHashMap<>();
        if (Files.exists(indexFile)) {
            Object tree = YamlText.load(YamlText.read(indexFile), indexFile.toString());
            if (!(tree instanceof Map<?, ?> map) || !(map.get("apiVersion") instanceof String api) || api.isEmpty()) {
                throw new PublishException(indexFile + " is not a chart repository index (a YAML mapping with an apiVersion)");
            }
            map.forEach((k, v) -> index.put(String.valueOf(k), v));
        }
        index.putIfAbsent("apiVersion", "v1");
        Object entries = index.computeIfAbsent("entries", k -> new LinkedHashMap<String, Object>());
        if (!(entries instanceof Map<?, ?>)) {
            throw new PublishException(indexFile + ": entries is not a map of chart names to versions");
        }
        index.put("entries", new LinkedHashMap<>((Map<?, ?>) entries));
        return index;
    }

    /** Artifact Hub's repository metadata, its owners from the chart's maintainers; written once, then the user's. */
    private static String artifactHubRepo(Map<String, Object> metadata) {
        List<Map<String, String>> owners = metadata.get("maintainers") instanceof List<?> maintainers ? maintainers.stream()
                .filter(m -> m instanceof Map<?, ?> map && map.get("email") != null).map(m -> (Map<?, ?>) m)
                .map(m -> Map.of("name", String.valueOf(m.get("name")), "email", String.valueOf(m.get("email")))).toList() : List.of();
        return "# Artifact Hub repository metadata (https://artifacthub.io/docs/topics/repositories/): add the repositoryID\n"
                + "# Artifact Hub gives the repository to claim it. castle writes this file once and never changes it.\n"
                + YamlText.dump(Map.of("owners", owners));
    }
}
