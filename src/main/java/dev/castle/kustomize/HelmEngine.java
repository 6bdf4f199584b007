package dev.castle.kustomize;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
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
 * when the chart is beyond what Helm loads from an archive; one copy for each set of subcharts that
 * renders leave out ({@link #conditions}). Thread-safe: renders may run at once.
 */
public final class HelmEngine implements AutoCloseable {
    private static final java.util.regex.Pattern MINIMUM = java.util.regex.Pattern.compile(">=\\s*v?([0-9]+\\.[0-9]+(?:\\.[0-9]+)?)");
    /** Below Helm's limits for a chart archive (100 MiB in all, 5 MiB a file). */
    private static final long ARCHIVE_TOTAL = 90L << 20;
    private static final long ARCHIVE_FILE = 4L << 20;
    /** The key of the chart as given, its dependencies declared: Helm evaluates their conditions itself. */
    private static final String DECLARED = "declared";
    private final Path scratch;
    private final String system;
    /** The chart's files as Helm loads them, by path under the system's folder. */
    private final Map<String, byte[]> chartFiles;
    private final boolean archive;
    private final Path valuesDir;
    private final String kubeVersion;
    /**
     * The condition of each local dependency, by name ("" for none), when Helm's processing of the
     * declared dependencies can be left to castle; null when it cannot (see {@link #conditions}).
     */
    private final Map<String, String> conditions;
    /** The local dependencies that are library charts: every part of a render in parts has them. */
    private final java.util.Set<String> libraries;
    /**
     * Whether renders may go in parts: castle decides the conditions, and no subchart has a default
     * for {@code enabled}, so that the parent's {@code <subchart>.enabled} is the same without it.
     */
    private final boolean inParts;
    /** The chart as each render loads it, by the dependencies it leaves out (or {@link #DECLARED}). */
    private final Map<String, java.util.concurrent.FutureTask<Chart>> charts = new java.util.concurrent.ConcurrentHashMap<>();
    /** Whether this chart's renders may be kept ({@link RenderCache}): castle's own templates. */
    private final boolean keepable;
    private final AtomicInteger chartCount = new AtomicInteger();
    /** The dependencies each render leaves out, by its values file and sets (empty: Helm decides). */
    private final Map<String, java.util.Optional<java.util.SortedSet<String>>> disabledFor = new java.util.concurrent.ConcurrentHashMap<>();
    /** The chart's values.yaml as read for the conditions: empty when it is not a map; null until read. */
    private java.util.Optional<Map<String, Object>> defaults;
    /** The Chart.yaml that declares no dependencies, when {@link #conditions} is not null. */
    private final byte[] undeclared;

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
        this(system, files, validateValues, false);
    }

    /**
     * With {@code keepable}, the renders may be kept for later runs in this process when it keeps
     * them ({@link #keepRenders}): for charts of castle's own templates, whose output depends on
     * nothing but the chart's files and the render's arguments.
     */
    public HelmEngine(String system, Map<String, byte[]> files, boolean validateValues, boolean keepable) {
        this.system = system;
        this.keepable = keepable;
        try {
            scratch = Files.createTempDirectory("castle-helm-");
            Map<String, Object> chart = new org.yaml.snakeyaml.Yaml().load(new String(files.get(system + "/Chart.yaml"),
                    java.nio.charset.StandardCharsets.UTF_8));
            Map<String, Object> local = localDependenciesOnly(chart);
            byte[] localChartYaml = dev.castle.text.Yaml.dump(local).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            Map<String, byte[]> kept = new java.util.TreeMap<>();
            long total = 0;
            long largest = 0;
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                if (file.getKey().startsWith(system + "/") && (validateValues || !file.getKey().endsWith("/values.schema.json"))) {
                    byte[] content = file.getKey().equals(system + "/Chart.yaml") ? localChartYaml : file.getValue();
                    kept.put(file.getKey(), content);
                    total += content.length;
                    largest = Math.max(largest, content.length);
                }
            }
            chartFiles = kept;
            archive = total <= ARCHIVE_TOTAL && largest <= ARCHIVE_FILE;
            valuesDir = Files.createDirectories(scratch.resolve("values"));
            for (Map.Entry<String, byte[]> file : chartFiles.entrySet()) {
                String name = file.getKey().substring(system.length() + 1);
                if (name.startsWith("values-") && name.indexOf('/') < 0) {
                    Files.write(valuesDir.resolve(name), file.getValue());
                }
            }
            Object declared = chart.get("kubeVersion");
            java.util.regex.Matcher minimum = MINIMUM.matcher(declared == null ? "" : declared.toString());
            kubeVersion = minimum.find() ? "v" + minimum.group(1) : null;
            conditions = conditions(system, chartFiles, local);
            local.remove("dependencies");
            undeclared = conditions == null ? null : dev.castle.text.Yaml.dump(local).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            libraries = conditions == null ? java.util.Set.of() : conditions.keySet().stream()
                    .filter(name -> declares(chartFiles.get(system + "/charts/" + name + "/Chart.yaml"), "type", "library"))
                    .collect(java.util.stream.Collectors.toUnmodifiableSet());
            inParts = conditions != null && conditions.keySet().stream()
                    .noneMatch(name -> topLevel(chartFiles.get(system + "/charts/" + name + "/values.yaml"), "enabled") != null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The parent Chart.yaml without the dependencies on published charts (chart-mode components, the
     * observability stack): they are installed from their repositories, which castle does not fetch.
     */
    public static byte[] localDependenciesOnly(byte[] chartYaml) {
        Map<String, Object> chart = new org.yaml.snakeyaml.Yaml().load(new String(chartYaml, java.nio.charset.StandardCharsets.UTF_8));
        return dev.castle.text.Yaml.dump(localDependenciesOnly(chart)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static Map<String, Object> localDependenciesOnly(Map<String, Object> chart) {
        Map<String, Object> local = new java.util.LinkedHashMap<>(chart);
        if (chart.get("dependencies") instanceof List<?> list) {
            local.put("dependencies", list.stream().filter(d -> d instanceof Map<?, ?> m
                    && String.valueOf(m.get("repository")).startsWith("file://")).toList());
        }
        return local;
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
        return template(release, namespace, valuesFile, sets, false);
    }

    /**
     * One part of a render in parts, which together hold the objects of the whole render (in another
     * order): part -1 the parent's own objects, rendered without the subcharts; part i of n those of
     * the i-th of n groups of the enabled subcharts (by name), rendered with them alone and without the
     * parent's templates. Helm's time goes mostly to merging and copying the values of every subchart,
     * which each part does for its own only, and the parts render at once on every core. That holds
     * for castle's own templates, where a subchart renders from its own values and the globals, and
     * the parent's templates read only {@code <subchart>.enabled} of the subcharts' values (which the
     * parent's values.yaml holds, {@link #inParts}; NOTES.txt reads more, but {@code helm template}
     * does not print it, so the parts leave it out); for a chart that cannot be rendered so, part -1
     * is the whole render and the other parts are empty.
     */
    public String template(String release, String namespace, String valuesFile, List<String> sets, int part, int parts) {
        java.util.SortedSet<String> disabled = conditions == null || !inParts ? null : disabled(valuesFile, sets);
        if (disabled == null) {
            return part < 0 ? template(release, namespace, valuesFile, sets) : "";
        }
        List<String> enabled = conditions.keySet().stream().filter(s -> !disabled.contains(s) && !libraries.contains(s)).sorted().toList();
        java.util.Set<String> group = part < 0 ? java.util.Set.of()
                : java.util.Set.copyOf(enabled.subList(part * enabled.size() / parts, (part + 1) * enabled.size() / parts));
        if (part >= 0 && group.isEmpty()) {
            return "";
        }
        Chart chart = chart(without(disabled, "part " + part + "/" + parts), () -> only(disabled, part < 0, group));
        return render(chart, release, namespace, valuesFile, sets);
    }

    /**
     * The parent's objects and those of the given subcharts (a canary's render). With
     * {@code castleTemplates}, as a render in parts has them: the chart with these subcharts alone;
     * otherwise, or when the chart cannot be rendered so, every subchart's values are merged as in
     * the whole chart and only the other subcharts' templates are left out ({@link #withTemplatesOf}).
     */
    public String templateOf(String release, String namespace, String valuesFile, List<String> sets, List<String> subcharts,
                             boolean castleTemplates) {
        java.util.SortedSet<String> disabled = conditions == null ? null : disabled(valuesFile, sets);
        java.util.Set<String> kept = new java.util.TreeSet<>(subcharts);
        Chart chart = disabled == null ? chart(DECLARED + ", templates of " + kept, () -> withTemplatesOf(system, chartFiles, subcharts))
                : inParts && castleTemplates ? chart(without(disabled, "only " + kept), () -> only(disabled, true, kept))
                : chart(without(disabled, "templates of " + kept), () -> withTemplatesOf(system, without(disabled), subcharts));
        return render(chart, release, namespace, valuesFile, sets);
    }

    /**
     * The chart without the disabled subcharts, declaring no dependencies, with the library charts,
     * the given subcharts and no other, and the parent's templates or only its partials; never
     * NOTES.txt, which reads every subchart's values (helm template does not print it).
     */
    private Map<String, byte[]> only(java.util.Set<String> disabled, boolean parentTemplates, java.util.Set<String> subcharts) {
        Map<String, byte[]> files = new java.util.TreeMap<>();
        without(disabled).forEach((path, content) -> {
            String subchart = subchartOf(system, path);
            boolean kept = subchart == null
                    ? !path.startsWith(system + "/templates/") || isPartial(path) || parentTemplates && !path.equals(system + "/templates/NOTES.txt")
                    : libraries.contains(subchart) || subcharts.contains(subchart);
            if (kept) {
                files.put(path, content);
            }
        });
        return files;
    }

    /**
     * The chart as a canary's render of a chart castle cannot render in parts needs it: the templates
     * of the other subcharts left out (their partials kept), so Helm renders the parent's objects and
     * the canary services' only, with every subchart's values merged as in the whole chart (the
     * parent's templates may read them).
     */
    static Map<String, byte[]> withTemplatesOf(String system, Map<String, byte[]> chartFiles, List<String> subcharts) {
        Map<String, byte[]> kept = new java.util.TreeMap<>();
        chartFiles.forEach((path, content) -> {
            String subchart = subchartOf(system, path);
            boolean otherTemplate = subchart != null && !subcharts.contains(subchart)
                    && path.startsWith(system + "/charts/" + subchart + "/templates/") && !isPartial(path);
            if (!otherTemplate) {
                kept.put(path, content);
            }
        });
        return kept;
    }

    /**
     * From now on, this process keeps renders of charts that allow it, up to {@code maxChars}
     * characters in all, and answers a render asked again from them (for castle daemon).
     */
    public static void keepRenders(long maxChars) {
        RenderCache.enable(maxChars);
    }

    /** The subcharts of the chart that are not libraries, for a render in parts (empty when it cannot be). */
    public int subcharts() {
        return conditions == null || !inParts ? 0 : conditions.size() - libraries.size();
    }

    /** With {@code asDeclared}, Helm processes the declared dependencies itself (for the tests that compare). */
    String template(String release, String namespace, String valuesFile, List<String> sets, boolean asDeclared) {
        java.util.SortedSet<String> disabled = conditions == null || asDeclared ? null : disabled(valuesFile, sets);
        Chart chart = disabled == null ? chart(DECLARED, () -> chartFiles) : chart(without(disabled, "whole"), () -> without(disabled));
        return render(chart, release, namespace, valuesFile, sets);
    }

    private String render(Chart chart, String release, String namespace, String valuesFile, List<String> sets) {
        RenderCache cache = chart.digest() == null ? null : RenderCache.get();
        String key = null;
        if (cache != null) {
            // the values file is among the chart's files, and so in its digest, with what it holds
            List<String> arguments = new java.util.ArrayList<>(List.of(release, namespace, String.valueOf(kubeVersion), String.valueOf(valuesFile)));
            arguments.addAll(sets);
            key = RenderCache.key(chart.digest(), arguments);
            String kept = cache.find(key);
            if (kept != null) {
                return kept;
            }
        }
        String rendered = render(chart.path(), release, namespace, valuesFile, sets);
        if (cache != null) {
            cache.keep(key, rendered);
        }
        return rendered;
    }

    private String render(Path chart, String release, String namespace, String valuesFile, List<String> sets) {
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

    /** The chart's files as Helm loads them (for the tests). */
    Map<String, byte[]> chartFiles() {
        return chartFiles;
    }

    /**
     * The local dependencies of the chart and their conditions, when Helm's processing of the declared
     * dependencies can be left to castle. For a chart that declares dependencies, Helm 3 merges and
     * deep-copies the values of the whole release several times more (chartutil.ProcessDependencies:
     * the conditions, then the import-values, which copy every subchart's values into the parent's
     * even when no dependency imports any), although the subcharts it loads from charts/ render the
     * same without the declaration: helm template of 1,000 services took 7.3 s instead of 9.3 s and
     * 345 MB instead of 450 MB without it, the output byte for byte the same. So every render loads a
     * copy of the chart that declares none, without the subcharts whose condition is false
     * ({@link #disabled}). That holds only for dependencies as castle declares them: a name, a
     * version, {@code file://charts/<name>} and at most one condition, with that subchart (of that
     * name and version, with no dependencies of its own) in charts/ and nothing else there. For any
     * other chart (one edited by hand, for castle diff), null: the chart is loaded as it is and Helm
     * decides.
     */
    static Map<String, String> conditions(String system, Map<String, byte[]> files) {
        return conditions(system, files, load(files.get(system + "/Chart.yaml")));
    }

    private static Map<String, String> conditions(String system, Map<String, byte[]> files, Map<String, Object> chart) {
        if (chart == null) {
            return null;
        }
        Map<String, String> conditions = new java.util.LinkedHashMap<>();
        Object declared = chart.getOrDefault("dependencies", List.of());
        if (!(declared instanceof List<?> dependencies)) {
            return null;
        }
        for (Object entry : dependencies) {
            if (!(entry instanceof Map<?, ?> dependency) || !PLAIN_DEPENDENCY.containsAll(dependency.keySet())
                    || !(dependency.get("name") instanceof String name) || !(dependency.get("version") instanceof String version)
                    || !("file://charts/" + name).equals(dependency.get("repository"))) {
                return null;
            }
            Object condition = dependency.get("condition");
            if (condition != null && !(condition instanceof String path && !path.contains(","))) {
                return null;
            }
            byte[] subchart = files.get(system + "/charts/" + name + "/Chart.yaml");
            if (subchart == null || !declares(subchart, "name", name) || !declares(subchart, "version", version)
                    || topLevel(subchart, "dependencies") != null
                    || conditions.put(name, condition == null ? "" : ((String) condition).strip()) != null) {
                return null;
            }
        }
        for (String path : files.keySet()) {
            if (path.startsWith(system + "/charts/")) {
                String[] parts = path.substring(system.length() + "/charts/".length()).split("/");
                if (parts.length < 2 || !conditions.containsKey(parts[0]) || (parts.length > 2 && parts[1].equals("charts"))) {
                    return null;
                }
            }
        }
        return conditions;
    }

    private static final java.util.Set<Object> PLAIN_DEPENDENCY = java.util.Set.of("name", "version", "repository", "condition");
    /**
     * What follows a top-level key of a YAML file as castle writes them (block style, the key plain or
     * quoted), its quotes removed; null when no line starts with that key. Read from the lines, as a
     * thousand subcharts' files are read for it.
     */
    static String topLevel(byte[] yaml, String key) {
        String text = yaml == null ? "" : text(yaml);
        for (int start = 0, end; start < text.length(); start = end + 1) {
            end = text.indexOf('\n', start);
            end = end < 0 ? text.length() : end;
            char quote = text.charAt(start) == '\'' || text.charAt(start) == '"' ? text.charAt(start) : 0;
            int at = start + (quote == 0 ? 0 : 1);
            if (text.startsWith(key, at)) {
                at += key.length() + (quote != 0 && at + key.length() < end && text.charAt(at + key.length()) == quote ? 1 : 0);
                while (at < end && (text.charAt(at) == ' ' || text.charAt(at) == '\t')) {
                    at++;
                }
                if (at < end && text.charAt(at) == ':') {
                    String value = text.substring(at + 1, end).strip();
                    boolean quoted = value.length() >= 2 && (value.charAt(0) == '\'' || value.charAt(0) == '"')
                            && value.charAt(value.length() - 1) == value.charAt(0);
                    return quoted ? value.substring(1, value.length() - 1) : value;
                }
            }
        }
        return null;
    }

    private static boolean declares(byte[] chartYaml, String key, String value) {
        return value.equals(topLevel(chartYaml, key));
    }

    /**
     * The dependencies whose condition is false with these values, as Helm decides it: the value at
     * the condition's path in the release's values ({@code --set} over {@code -f} over the chart's
     * values.yaml), a dependency without a value there being enabled. Null when that needs more of
     * Helm's rules than this (a path through what is not a map, a value that is not a boolean, a --set
     * that is not a plain path, a subchart's own default for the path): then Helm evaluates the
     * conditions itself. Decided once per values file and sets.
     */
    java.util.SortedSet<String> disabled(String valuesFile, List<String> sets) {
        return disabledFor.computeIfAbsent(valuesFile + "\n" + String.join("\n", sets),
                key -> java.util.Optional.ofNullable(decideDisabled(valuesFile, sets))).orElse(null);
    }

    private java.util.SortedSet<String> decideDisabled(String valuesFile, List<String> sets) {
        java.util.SortedSet<String> disabled = new java.util.TreeSet<>();
        if (conditions.values().stream().allMatch(String::isEmpty)) {
            return disabled;
        }
        Map<String, Object> overrides = valuesFile == null ? Map.of() : load(chartFiles.get(system + "/" + valuesFile));
        Map<String, Object> chartValues = defaults();
        SetValues setValues = SetValues.of(sets);
        if (overrides == null || chartValues == null || setValues == null) {
            return null;
        }
        for (Map.Entry<String, String> dependency : conditions.entrySet()) {
            if (dependency.getValue().isEmpty()) {
                continue;
            }
            List<String> path = List.of(dependency.getValue().split("\\.", -1));
            Object value = setValues.at(dependency.getValue());
            for (Map<String, Object> layer : List.of(overrides, chartValues)) {
                if (value == ABSENT) {
                    value = at(layer, path);
                }
            }
            if (value == ABSENT && !(path.size() >= 2 && conditions.containsKey(path.get(0))
                    && topLevel(chartFiles.get(system + "/charts/" + path.get(0) + "/values.yaml"), path.get(1)) == null)) {
                return null;
            }
            if (value == null || (value != ABSENT && !(value instanceof Boolean))) {
                return null;
            }
            if (Boolean.FALSE.equals(value)) {
                disabled.add(dependency.getKey());
            }
        }
        return disabled;
    }

    /** No value at a path (Helm's ErrNoValue); null stands for a path castle leaves to Helm. */
    private static final Object ABSENT = new Object();

    /** A --set key that is not a plain dotted path (an index, an escape, a list of values). */
    private static final java.util.regex.Pattern NOT_A_PATH = java.util.regex.Pattern.compile("[\\[\\],\\\\{}]");

    /**
     * What a render's --sets give: each key's value (the last set of it) and every path a key lies
     * under, read once for all the conditions (castle sets a value or more per service).
     */
    private record SetValues(Map<String, String> values, java.util.Set<String> under) {
        /** Null for a --set that is not a plain path. */
        static SetValues of(List<String> sets) {
            Map<String, String> values = new java.util.HashMap<>();
            java.util.Set<String> under = new java.util.HashSet<>();
            for (String set : sets) {
                int eq = set.indexOf('=');
                String key = set.substring(0, eq);
                if (NOT_A_PATH.matcher(key).find() || set.indexOf(',', eq) >= 0) {
                    return null;
                }
                values.put(key, set.substring(eq + 1));
                for (int dot = key.indexOf('.'); dot >= 0; dot = key.indexOf('.', dot + 1)) {
                    under.add(key.substring(0, dot));
                }
            }
            return new SetValues(values, under);
        }

        /** The value the sets give the path: ABSENT when none touches it, null when one does in ways not read here. */
        Object at(String path) {
            if (under.contains(path)) {
                return null;
            }
            for (int dot = path.indexOf('.'); dot >= 0; dot = path.indexOf('.', dot + 1)) {
                if (values.containsKey(path.substring(0, dot))) {
                    return null;
                }
            }
            String text = values.get(path);
            return text == null ? ABSENT : text.equals("true") ? Boolean.TRUE : text.equals("false") ? Boolean.FALSE : null;
        }
    }

    private static Object at(Map<String, Object> values, List<String> path) {
        Object node = values;
        for (String key : path) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            if (!map.containsKey(key)) {
                return ABSENT;
            }
            node = map.get(key);
        }
        return node;
    }

    /** The chart's values.yaml, parsed once; null when it is not a map. */
    private synchronized Map<String, Object> defaults() {
        if (defaults == null) {
            byte[] values = chartFiles.get(system + "/values.yaml");
            defaults = java.util.Optional.ofNullable(values == null ? Map.of() : load(values));
        }
        return defaults.orElse(null);
    }

    /** A YAML map; null for anything else, or YAML that SnakeYAML refuses (Helm then reports it its own way). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> load(byte[] yaml) {
        if (yaml == null) {
            return null;
        }
        org.yaml.snakeyaml.LoaderOptions options = new org.yaml.snakeyaml.LoaderOptions();
        options.setCodePointLimit(Integer.MAX_VALUE);
        try {
            Object tree = new org.yaml.snakeyaml.Yaml(options).load(text(yaml));
            return tree == null ? Map.of() : tree instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The chart's files without the disabled subcharts, its Chart.yaml declaring no dependencies. */
    private Map<String, byte[]> without(java.util.Set<String> disabled) {
        Map<String, byte[]> files = new java.util.TreeMap<>();
        chartFiles.forEach((path, content) -> {
            String subchart = subchartOf(system, path);
            if (subchart == null || !disabled.contains(subchart)) {
                files.put(path, content);
            }
        });
        files.put(system + "/Chart.yaml", undeclared);
        return files;
    }

    /** The key of a chart without the disabled subcharts, for the {@code variant} of it a render needs. */
    private static String without(java.util.Set<String> disabled, String variant) {
        return "without " + disabled + ", " + variant;
    }

    /** The subchart a file of the chart lies in; null for the parent's own files. */
    private static String subchartOf(String system, String path) {
        return path.startsWith(system + "/charts/") ? RenderedDocument.chartOf(system, path) : null;
    }

    /** A template file that only defines named templates (a partial): Helm renders no object from it. */
    private static boolean isPartial(String path) {
        return path.substring(path.lastIndexOf('/') + 1).startsWith("_");
    }

    /** A scratch copy of the chart as a render loads it, and the digest of its files for kept renders (else null). */
    private record Chart(Path path, String digest) {
    }

    /**
     * The scratch copy of the chart under {@code key}, written by the first render that needs it (the
     * others wait for it): one archive, or a folder beyond Helm's limits.
     */
    private Chart chart(String key, java.util.function.Supplier<Map<String, byte[]>> files) {
        java.util.concurrent.FutureTask<Chart> written = new java.util.concurrent.FutureTask<>(() -> {
            Map<String, byte[]> content = files.get();
            return new Chart(write(content), keepable && RenderCache.get() != null ? RenderCache.digest(content) : null);
        });
        java.util.concurrent.FutureTask<Chart> chart = charts.putIfAbsent(key, written);
        if (chart == null) {
            chart = written;
            chart.run();
        }
        try {
            return chart.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the chart was written for Helm", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? new UncheckedIOException(io) : new IllegalStateException(e.getCause());
        }
    }

    private Path write(Map<String, byte[]> files) throws IOException {
        Path dir = Files.createDirectory(scratch.resolve("chart-" + chartCount.incrementAndGet()));
        if (archive) {
            Path chart = dir.resolve(system + ".tgz");
            writeArchive(chart, files);
            return chart;
        }
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Path path = dir.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.write(path, file.getValue());
        }
        return dir.resolve(system);
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
