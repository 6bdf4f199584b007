package dev.castle.publish;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Packages a chart folder into the archive {@code helm package} would write, reproducibly.
 *
 * <p>The archive holds what {@code helm package} writes (checked against Helm 3.17 and 4.1): the
 * files Helm's loader keeps ({@code .helmignore} of the chart folder applied to every path under
 * it), {@code Chart.yaml} and {@code Chart.lock} as Helm marshals them, and every subchart as a
 * folder {@code <chart>/charts/<subchart>/} (Helm unpacks subchart archives found in
 * {@code charts/} too). Unlike {@code helm package} the bytes depend on the files only: entries
 * sorted by name, mode 0644, owner 0, one modification time (SOURCE_DATE_EPOCH, else 1970-01-01),
 * no time in the gzip header.
 *
 * <p>Dependencies: like {@code helm package}, every dependency of Chart.yaml must be in
 * {@code charts/} (for a chart from a repository, run {@code helm dependency build} first). A
 * {@code Chart.lock} of the folder is kept when it matches Chart.yaml (a stale one is refused); when
 * there is none and some dependency comes from a repository, castle writes the one
 * {@code helm dependency build} would have written for the charts found in {@code charts/}.
 */
public final class ChartPackager {

    /** Overrides and the time stamp of the archive's entries. */
    public record Options(Optional<String> version, Optional<String> appVersion, long mtimeSeconds) {
        public static Options defaults() {
            return new Options(Optional.empty(), Optional.empty(), 0);
        }
    }

    /** A packaged chart: its name, version, archive bytes and what castle noticed on the way. */
    public static final class PackagedChart {
        private final HelmMetadata metadata;
        private final byte[] archive;
        private final int files;
        private final List<String> notes;

        PackagedChart(HelmMetadata metadata, byte[] archive, int files, List<String> notes) {
            this.metadata = metadata;
            this.archive = archive.clone();
            this.files = files;
            this.notes = List.copyOf(notes);
        }

        public String name() {
            return metadata.name();
        }

        public String version() {
            return metadata.version();
        }

        public String appVersion() {
            return metadata.appVersion();
        }

        /** The archive's bytes. */
        public byte[] archive() {
            return archive.clone();
        }

        /** How many files the archive holds. */
        public int files() {
            return files;
        }

        /** What castle did beyond packaging (a Chart.lock written, a duplicate subchart skipped). */
        public List<String> notes() {
            return notes;
        }

        HelmMetadata metadata() {
            return metadata;
        }

        byte[] bytes() {
            return archive;
        }

        /** {@code <name>-<version>.tgz}, the file name Helm gives the archive. */
        public String fileName() {
            return name() + "-" + version() + ".tgz";
        }

        /** The SHA-256 of the archive, in hex (the digest of index.yaml and of the OCI layer). */
        public String sha256() {
            return ChartPackager.sha256(archive);
        }
    }

    private ChartPackager() {
    }

    /** The modification time for archive entries: SOURCE_DATE_EPOCH when set, else 0 (1970-01-01). */
    public static long mtimeFromEnvironment(Map<String, String> env) throws PublishException {
        String epoch = env.get("SOURCE_DATE_EPOCH");
        if (epoch == null || epoch.isBlank()) {
            return 0;
        }
        try {
            long value = Long.parseLong(epoch.strip());
            if (value < 0 || value > 077777777777L) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new PublishException("SOURCE_DATE_EPOCH \"" + epoch + "\" is not a number of seconds since 1970");
        }
    }

    /** Packages the chart in this folder. */
    public static PackagedChart packageDirectory(Path dir, Options options) throws PublishException {
        HelmChart chart = ChartLoader.loadDirectory(dir);
        List<String> notes = new ArrayList<>();
        chart = applyOverrides(chart, options);
        chart = withoutDuplicateSubcharts(chart, notes);
        checkDependencies(chart, dir.toString());
        chart = withLock(chart, dir, options, notes);
        return write(chart, options, notes);
    }

    /** Loads a chart archive, checking it is one Helm can read. */
    public static PackagedChart readArchive(byte[] archive, String source) throws PublishException {
        HelmChart chart = ChartLoader.loadArchive(archive, source);
        return new PackagedChart(chart.metadata(), archive, TarGz.read(archive).size(), List.of());
    }

    /** Rewrites a chart archive with another version or app version (Chart.yaml inside the archive changes). */
    public static PackagedChart rewriteArchive(byte[] archive, String source, Options options) throws PublishException {
        HelmChart chart = applyOverrides(ChartLoader.loadArchive(archive, source), options);
        return write(chart, options, List.of());
    }

    private static PackagedChart write(HelmChart chart, Options options, List<String> notes) throws PublishException {
        List<TarGz.Entry> entries = chart.archiveEntries("");
        byte[] bytes;
        try {
            bytes = TarGz.write(entries, options.mtimeSeconds());
        } catch (IllegalArgumentException e) {
            throw new PublishException(chart.source() + ": " + e.getMessage());
        }
        return new PackagedChart(chart.metadata(), bytes, entries.size(), notes);
    }

    private static HelmChart applyOverrides(HelmChart chart, Options options) throws PublishException {
        HelmMetadata metadata = chart.metadata();
        if (options.version().isPresent()) {
            String version = options.version().get();
            if (SemVer.parse(version).isEmpty()) {
                throw new PublishException("--version \"" + version + "\" is not a semantic version (such as 1.2.3)");
            }
            metadata = metadata.withVersion(version);
        }
        if (options.appVersion().isPresent()) {
            metadata = metadata.withAppVersion(options.appVersion().get());
        }
        return chart.withMetadata(metadata);
    }

    /**
     * {@code helm dependency build} packs every file:// dependency into {@code charts/} next to its
     * folder; {@code helm package} would then write that subchart twice. Keep the folder.
     */
    private static HelmChart withoutDuplicateSubcharts(HelmChart chart, List<String> notes) throws PublishException {
        Map<String, HelmChart> byName = new LinkedHashMap<>();
        for (HelmChart sub : chart.dependencies()) {
            HelmChart other = byName.get(sub.name());
            if (other == null) {
                byName.put(sub.name(), sub);
                continue;
            }
            HelmChart folder = isArchive(other) ? sub : other;
            HelmChart archive = isArchive(other) ? other : sub;
            if (isArchive(folder) || !folder.metadata().version().equals(archive.metadata().version())) {
                throw new PublishException(chart.source() + ": charts/ holds the chart " + sub.name() + " twice ("
                        + other.source() + " " + other.metadata().version() + " and " + sub.source() + " "
                        + sub.metadata().version() + "); remove one of them");
            }
            byName.put(sub.name(), folder);
            notes.add("skipped " + relative(chart, archive) + ": " + relative(chart, folder)
                    + " holds the same chart (helm dependency build packs file:// dependencies next to their folders)");
        }
        if (byName.size() == chart.dependencies().size()) {
            return chart;
        }
        return new HelmChart(chart.source(), chart.metadata(), chart.lock(), chart.values(), chart.schema(), chart.templates(),
                chart.files(), new ArrayList<>(byName.values()));
    }

    private static boolean isArchive(HelmChart chart) {
        return chart.source().endsWith(".tgz");
    }

    private static String relative(HelmChart parent, HelmChart sub) {
        return sub.source().startsWith(parent.source() + "/") ? sub.source().substring(parent.source().length() + 1) : sub.source();
    }

    /** Helm's CheckDependencies: every dependency of Chart.yaml is a chart in charts/. */
    private static void checkDependencies(HelmChart chart, String where) throws PublishException {
        List<String> missing = new ArrayList<>();
        for (HelmMetadata.Dependency d : chart.metadata().dependencies()) {
            if (chart.dependencies().stream().noneMatch(sub -> sub.name().equals(d.name()))) {
                missing.add(d.name() + (d.version().isEmpty() ? "" : " " + d.version()) + " from " + d.repository());
            }
        }
        if (!missing.isEmpty()) {
            throw new PublishException(where + ": these dependencies of Chart.yaml are missing in charts/: "
                    + String.join(", ", missing) + ". Run `helm dependency build " + where + "` first (it downloads them), "
                    + "as helm package would require.");
        }
    }

    private static HelmChart withLock(HelmChart chart, Path dir, Options options, List<String> notes) throws PublishException {
        List<HelmMetadata.Dependency> declared = chart.metadata().dependencies();
        if (chart.lock().isPresent()) {
            if (HelmMetadata.API_V2.equals(chart.metadata().apiVersion()) && !chart.lock().get().inSyncWith(declared)) {
                throw new PublishException(dir + "/Chart.lock is out of sync with the dependencies of Chart.yaml: run "
                        + "`helm dependency update " + dir + "`, or remove Chart.lock");
            }
            return chart;
        }
        if (declared.stream().noneMatch(HelmMetadata.Dependency::remote) || !HelmMetadata.API_V2.equals(chart.metadata().apiVersion())) {
            return chart;
        }
        List<String> versions = new ArrayList<>();
        for (HelmMetadata.Dependency d : declared) {
            versions.add(resolvedVersion(chart, dir, d));
        }
        OffsetDateTime generated = Instant.ofEpochSecond(options.mtimeSeconds()).atOffset(ZoneOffset.UTC);
        notes.add("wrote Chart.lock: the dependencies as found in charts/ (" + String.join(", ",
                declared.stream().filter(HelmMetadata.Dependency::remote).map(d -> d.name() + " "
                        + versions.get(declared.indexOf(d))).toList()) + ")");
        return chart.withLock(ChartLock.resolved(declared, versions, generated));
    }

    /** The version {@code helm dependency build} locks: the local chart's for file://, else the one in charts/. */
    private static String resolvedVersion(HelmChart chart, Path dir, HelmMetadata.Dependency d) throws PublishException {
        String version;
        if (d.repository().startsWith("file://")) {
            Path local = dir.resolve(d.repository().substring("file://".length())).normalize();
            Path chartYaml = local.resolve("Chart.yaml");
            if (!Files.isRegularFile(chartYaml)) {
                throw new PublishException(dir + ": dependency " + d.name() + " points to " + d.repository()
                        + ", which holds no Chart.yaml");
            }
            try {
                version = HelmMetadata.parse(Files.readString(chartYaml), chartYaml.toString()).version();
            } catch (java.io.IOException e) {
                throw new PublishException("cannot read " + chartYaml + ": " + e.getMessage());
            }
        } else {
            version = chart.dependencies().stream().filter(sub -> sub.name().equals(d.name())).findFirst()
                    .orElseThrow().metadata().version();
        }
        Optional<SemVer> wanted = SemVer.parse(d.version());
        Optional<SemVer> found = SemVer.parse(version);
        if (wanted.isPresent() && found.isPresent() && d.version().matches("v?[0-9]+\\.[0-9]+\\.[0-9]+.*")
                && wanted.get().compareTo(found.get()) != 0) {
            throw new PublishException(dir + ": Chart.yaml asks for " + d.name() + " " + d.version() + " but charts/ holds "
                    + version + ": run `helm dependency update " + dir + "`");
        }
        return version;
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
