package dev.castle.kustomize;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

/**
 * Helm's engine in the JVM (helm-java): renders the generated chart as {@code helm template} does,
 * with no helm binary and no network, for the oldest Kubernetes version the chart declares
 * ({@code kubeVersion: ">=1.30.0-0"} renders for 1.30.0). The chart is written to a scratch folder first.
 */
public final class HelmEngine implements AutoCloseable {
    private static final java.util.regex.Pattern MINIMUM = java.util.regex.Pattern.compile(">=\\s*v?([0-9]+\\.[0-9]+(?:\\.[0-9]+)?)");
    private final Path scratch;
    private final Path chart;
    private final String kubeVersion;

    public HelmEngine(String system, Map<String, byte[]> files) {
        try {
            scratch = Files.createTempDirectory("castle-helm-");
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                if (file.getKey().startsWith(system + "/")) {
                    Path path = scratch.resolve(file.getKey());
                    Files.createDirectories(path.getParent());
                    byte[] content = file.getKey().equals(system + "/Chart.yaml") ? localDependenciesOnly(file.getValue()) : file.getValue();
                    Files.write(path, content);
                }
            }
            chart = scratch.resolve(system);
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

    /** {@code helm template <release> <chart> --namespace <ns> [-f <values>] [--set k=v ...]}. */
    public String template(String release, String namespace, String valuesFile, List<String> sets) {
        TemplateCommand command = new Helm(chart).template().withName(release).withNamespace(namespace);
        if (kubeVersion != null) {
            command.withKubeVersion(kubeVersion);
        }
        if (valuesFile != null) {
            command.withValuesFile(chart.resolve(valuesFile));
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

    /** Helm's engine refused the chart (a template that does not parse or fails, values its schema refuses). */
    public static final class RenderFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RenderFailure(String message, Throwable cause) {
            super(message, cause);
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
