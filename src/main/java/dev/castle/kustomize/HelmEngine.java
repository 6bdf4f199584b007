package dev.castle.kustomize;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

/**
 * Helm's engine in the JVM (helm-java): renders the generated chart as {@code helm template} does,
 * with no helm binary and no network, for the oldest Kubernetes version the chart declares
 * ({@code kubeVersion: ">=1.30.0-0"} renders for 1.30.0). Helm loads the chart from a scratch copy:
 * one gzip-compressed tar archive, as {@code helm package} writes it (creating and deleting a file per
 * chart file took most of the time of a large system: 20,000 files for 1,000 services), or a folder
 * when the chart is beyond what Helm loads from an archive. Thread-safe: renders may run at once.
 */
public final class HelmEngine implements AutoCloseable {
    private static final java.util.regex.Pattern MINIMUM = java.util.regex.Pattern.compile(">=\\s*v?([0-9]+\\.[0-9]+(?:\\.[0-9]+)?)");
    /** Below Helm's limits for a chart archive (100 MiB in all, 5 MiB a file). */
    private static final long ARCHIVE_TOTAL = 90L << 20;
    private static final long ARCHIVE_FILE = 4L << 20;
    private final Path scratch;
    private final Path chart;
    private final Path valuesDir;
    private final String kubeVersion;

    public HelmEngine(String system, Map<String, byte[]> files) {
        this(system, files, true);
    }

    /**
     * With {@code validateValues} false, the scratch copy leaves out every values.schema.json, so
     * that Helm does not check the values against them: for renders of values castle wrote itself
     * from a checked descriptor (the Kustomize output), where compiling and applying the schemas was
     * 40% of Helm's time for the shop and a tenth at 1,000 services, and changes nothing rendered
     * (Helm's schema check reads the values, it never sets one). The chart tests check every values
     * file castle writes against the schemas with real Helm.
     */
    public HelmEngine(String system, Map<String, byte[]> files, boolean validateValues) {
        try {
            scratch = Files.createTempDirectory("castle-helm-");
            Map<String, byte[]> chartFiles = new java.util.TreeMap<>();
            long total = 0;
            long largest = 0;
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                if (file.getKey().startsWith(system + "/") && (validateValues || !file.getKey().endsWith("/values.schema.json"))) {
                    byte[] content = file.getKey().equals(system + "/Chart.yaml") ? localDependenciesOnly(file.getValue()) : file.getValue();
                    chartFiles.put(file.getKey(), content);
                    total += content.length;
                    largest = Math.max(largest, content.length);
                }
            }
            if (total <= ARCHIVE_TOTAL && largest <= ARCHIVE_FILE) {
                chart = scratch.resolve(system + ".tgz");
                writeArchive(chart, chartFiles);
                valuesDir = Files.createDirectories(scratch.resolve("values"));
                for (Map.Entry<String, byte[]> file : chartFiles.entrySet()) {
                    String name = file.getKey().substring(system.length() + 1);
                    if (name.startsWith("values-") && name.indexOf('/') < 0) {
                        Files.write(valuesDir.resolve(name), file.getValue());
                    }
                }
            } else {
                for (Map.Entry<String, byte[]> file : chartFiles.entrySet()) {
                    Path path = scratch.resolve(file.getKey());
                    Files.createDirectories(path.getParent());
                    Files.write(path, file.getValue());
                }
                chart = scratch.resolve(system);
                valuesDir = chart;
            }
            Object declared = new org.yaml.snakeyaml.Yaml().<Map<String, Object>>load(new String(files.get(system + "/Chart.yaml"),
                    java.nio.charset.StandardCharsets.UTF_8)).get("kubeVersion");
            java.util.regex.Matcher minimum = MINIMUM.matcher(declared == null ? "" : declared.toString());
            kubeVersion = minimum.find() ? "v" + minimum.group(1) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The parent Chart.yaml without the dependencies on published charts (chart-mode components, the
     * observability stack): they are installed from their repositories, which castle does not fetch.
     */
    @SuppressWarnings("unchecked")
    public static byte[] localDependenciesOnly(byte[] chartYaml) {
        Map<String, Object> chart = new org.yaml.snakeyaml.Yaml().load(new String(chartYaml, java.nio.charset.StandardCharsets.UTF_8));
        Object dependencies = chart.get("dependencies");
        if (dependencies instanceof List<?> list) {
            chart.put("dependencies", list.stream().filter(d -> d instanceof Map<?, ?> m
                    && String.valueOf(m.get("repository")).startsWith("file://")).toList());
        }
        return dev.castle.text.Yaml.dump(chart).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static final java.util.concurrent.atomic.AtomicBoolean PREPARING = new java.util.concurrent.atomic.AtomicBoolean();
    private static volatile Throwable loadFailure;

    /**
     * Loads Helm's engine on a background thread, for a run that will render with it: mapping the
     * 98 MB library and starting Go's runtime took a fifth of a second, now spent while the
     * descriptor is checked and the chart planned.
     */
    public static void prepare() {
        if (PREPARING.compareAndSet(false, true)) {
            Thread thread = new Thread(() -> {
                try {
                    Helm.version().call();
                } catch (RuntimeException | LinkageError e) {
                    loadFailure = e;
                }
            }, "castle-helm-load");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** {@code helm template <release> <chart> --namespace <ns> [-f <values>] [--set k=v ...]}. */
    public String template(String release, String namespace, String valuesFile, List<String> sets) {
        if (loadFailure != null) {
            throw new IllegalStateException("Helm's engine could not be loaded: " + loadFailure, loadFailure);
        }
        TemplateCommand command = new Helm(chart).template().withName(release).withNamespace(namespace);
        if (kubeVersion != null) {
            command.withKubeVersion(kubeVersion);
        }
        if (valuesFile != null) {
            command.withValuesFile(valuesDir.resolve(valuesFile));
        }
        for (String set : sets) {
            int eq = set.indexOf('=');
            String value = set.substring(eq + 1);
            command.set(set.substring(0, eq), value.equals("true") || value.equals("false") ? Boolean.valueOf(value) : value);
        }
        try {
            return command.call();
        } catch (IllegalStateException e) {
            throw new RenderFailure(e.getMessage(), e);
        }
    }

    /**
     * Helm's engine refused the chart (a template that does not parse or fails, values its schema
     * refuses), or rendered what is not YAML.
     */
    public static final class RenderFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RenderFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The chart's files under their paths in one .tgz; fast compression, since the archive lives for one run. */
    private static void writeArchive(Path archive, Map<String, byte[]> files) throws IOException {
        try (OutputStream file = Files.newOutputStream(archive);
             GZIPOutputStream gzip = new GZIPOutputStream(new BufferedOutputStream(file, 1 << 16), 1 << 16) {
                 {
                     def.setLevel(Deflater.BEST_SPEED);
                 }
             };
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Map.Entry<String, byte[]> entry : files.entrySet()) {
                TarArchiveEntry header = new TarArchiveEntry(entry.getKey());
                header.setSize(entry.getValue().length);
                header.setMode(0644);
                tar.putArchiveEntry(header);
                tar.write(entry.getValue());
                tar.closeArchiveEntry();
            }
        }
    }

    /** Removes the scratch copy of the chart, deepest paths first. */
    @Override
    public void close() {
        try (java.util.stream.Stream<Path> walk = Files.walk(scratch)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
