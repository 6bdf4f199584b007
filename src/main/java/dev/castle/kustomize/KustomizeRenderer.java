package dev.castle.kustomize;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

import dev.castle.model.ManagedCharts;
import dev.castle.model.Operations;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;
import dev.castle.text.Yaml;
import dev.castle.plan.NamespaceObject;

/**
 * The Kustomize output, derived from the generated chart by Helm's own engine:
 * <ul>
 * <li>{@code base/<component>/}: what {@code helm template} renders with the default values, a file
 * per object (test hooks and generated credentials left out);</li>
 * <li>{@code overlays/<env>/}: the base plus, for each object that the environment's values change,
 * a JSON 6902 patch of exactly what changes; objects the environment adds or removes;</li>
 * <li>{@code overlays/<env>-canary/}: the environment plus the canaries of its services.</li>
 * </ul>
 * Overlays use current fields only (resources, namespace, patches) and need no helm at apply time.
 */
public final class KustomizeRenderer {
    private static final String KUSTOMIZATION_HEADER = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n";
    private final boolean ownTemplates;

    /**
     * With {@code ownTemplates} false (a chart made with --templates), every document Helm renders is
     * parsed whole, so that output that is not valid YAML is refused even where castle would not read it.
     */
    public KustomizeRenderer(boolean ownTemplates) {
        this.ownTemplates = ownTemplates;
    }

    /** The tree under {@code root} (the plan's {@code kustomize/<system>/}), from the rendered chart files. */
    public Map<String, byte[]> render(SystemModel system, Map<String, byte[]> chartFiles, String root) {
        String name = system.metadata().name();
        Map<String, byte[]> files = new TreeMap<>();
        List<String> sets = forcedCustomResources(system);
        List<String> canaryServices = system.services().stream().filter(s -> s.canary().isPresent()).map(Service::name).toList();
        ExecutorService renders = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), daemon());
        try (HelmEngine helm = new HelmEngine(name, chartFiles, false, ownTemplates)) {
            // Every render the output needs, asked for at once: Helm renders them on every core, those of
            // a large system in parts.
            int parts = ownTemplates ? parts(helm.subcharts(), Runtime.getRuntime().availableProcessors()) : 0;
            List<Future<List<RenderedDocument>>> base = submit(renders, helm, name, name, null, sets, parts);
            Map<String, List<Future<List<RenderedDocument>>>> envs = new LinkedHashMap<>();
            Map<String, Future<List<RenderedDocument>>> canaries = new LinkedHashMap<>();
            for (SystemModel.Environment environment : system.environments()) {
                String values = "values-" + environment.name() + ".yaml";
                envs.put(environment.name(), submit(renders, helm, name, environment.namespace(), values, sets, parts));
                if (!canaryServices.isEmpty()) {
                    List<String> canarySets = new ArrayList<>(sets);
                    canaryServices.stream().filter(environment::enabled).forEach(s -> canarySets.add(s + ".canary.enabled=true"));
                    canaries.put(environment.name(), renders.submit(() -> render(helm.templateOf(name, environment.namespace(), values, canarySets,
                            canaryServices, ownTemplates))));
                }
            }
            writeBase(files, root + "base/", name, results(base));
            for (SystemModel.Environment environment : system.environments()) {
                List<RenderedDocument> env = results(envs.get(environment.name()));
                writeOverlay(files, root + "overlays/" + environment.name() + "/", "../../base", environment.namespace(), results(base), env);
                String overlay = root + "overlays/" + environment.name() + "/";
                put(files, overlay + "namespace.yaml", Yaml.dump(NamespaceObject.of(system, environment.namespace(), environment.name())));
                addResource(files, overlay + "kustomization.yaml", "namespace.yaml");
                if (canaries.containsKey(environment.name())) {
                    // The canary render holds the parent's objects and the canary services' own; every other
                    // subchart renders as in the environment (a subchart sees its own values and the globals).
                    List<RenderedDocument> canary = new ArrayList<>(result(canaries.get(environment.name())));
                    env.stream().filter(d -> !d.chart(name).equals(name) && !canaryServices.contains(d.chart(name))).forEach(canary::add);
                    writeOverlay(files, root + "overlays/" + environment.name() + "-canary/", "../" + environment.name(),
                            environment.namespace(), env, canary);
                }
            }
        } finally {
            renders.shutdownNow();
        }
        return files;
    }

    /**
     * A render asked for: in {@code parts} parts and the parent's, or whole when {@code parts} is below
     * two (see {@link HelmEngine#template(String, String, String, List, int, int)}).
     */
    private List<Future<List<RenderedDocument>>> submit(ExecutorService renders, HelmEngine helm, String release, String namespace,
                                                         String values, List<String> sets, int parts) {
        if (parts < 2) {
            return List.of(renders.submit(() -> render(helm.template(release, namespace, values, sets))));
        }
        List<Future<List<RenderedDocument>>> pieces = new ArrayList<>();
        for (int part = -1; part < parts; part++) {
            int index = part;
            pieces.add(renders.submit(() -> render(helm.template(release, namespace, values, sets, index, parts))));
        }
        return pieces;
    }

    /**
     * How many parts a render of a chart with that many subcharts goes in: one per core, with at least
     * 50 subcharts a part (each part loads the parent's values and the library again). On two cores,
     * generate of 1,000 services took 9.0-9.2 s instead of 10.5 s, of 100 services 1.50 s instead of
     * 1.59 s; output byte for byte the same.
     */
    static int parts(int subcharts, int cores) {
        return Math.min(cores, subcharts / 50);
    }

    private List<RenderedDocument> render(String helmOutput) {
        return kept(RenderedDocument.split(helmOutput, !ownTemplates));
    }

    /** The documents of a render asked for in parts, in the order of the parts. */
    private static List<RenderedDocument> results(List<Future<List<RenderedDocument>>> parts) {
        List<RenderedDocument> documents = new ArrayList<>();
        parts.forEach(part -> documents.addAll(result(part)));
        return documents;
    }

    /** The result of a render; what it threw, as thrown. */
    private static List<RenderedDocument> result(Future<List<RenderedDocument>> render) {
        try {
            return render.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while Helm rendered the chart", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static ThreadFactory daemon() {
        return task -> {
            Thread thread = new Thread(task, "castle-helm");
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Adds a file to the resources of a kustomization written by this renderer. */
    @SuppressWarnings("unchecked")
    private static void addResource(Map<String, byte[]> files, String kustomizationPath, String resource) {
        Map<String, Object> kustomization = new org.yaml.snakeyaml.Yaml().load(new String(files.get(kustomizationPath), StandardCharsets.UTF_8));
        List<Object> resources = new ArrayList<>((List<Object>) kustomization.get("resources"));
        resources.add(resource);
        kustomization.put("resources", resources);
        files.put(kustomizationPath, Yaml.dump(kustomization).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Refuses Helm's output when a document of it is not valid YAML, as the Kustomize output of a
     * chart made with --templates does ({@link HelmEngine.RenderFailure}).
     */
    public static void checkYaml(String helmOutput) {
        RenderedDocument.split(helmOutput, true);
    }

    /** Custom resources the descriptor asks for, rendered whatever cluster the overlays are applied to. */
    public static List<String> forcedCustomResources(SystemModel system) {
        List<String> sets = new ArrayList<>();
        sets.add("global.offline=true");
        for (Service s : system.services()) {
            Operations ops = s.operations();
            if (ops.metrics().isPresent()) {
                sets.add(s.name() + ".metrics.force=true");
            }
            if (!ops.alerts().isEmpty()) {
                sets.add(s.name() + ".alerts.force=true");
            }
            ops.autoscaling().ifPresent(a -> {
                if (a.keda().isPresent()) {
                    sets.add(s.name() + ".keda.force=true");
                }
                if (a.vpa()) {
                    sets.add(s.name() + ".vpa.force=true");
                }
            });
            if (ops.expose().flatMap(Operations.Expose::tls).filter(t -> t.certificate() && t.issuer().isPresent()).isPresent()) {
                sets.add(s.name() + ".tls.force=true");
            }
        }
        if (system.gateway().create()) {
            sets.add("gateway.force=true");
        }
        if (system.observability().instrumentation()) {
            sets.add("instrumentation.force=true");
        }
        ManagedCharts.of(system).forEach(chart -> sets.add(chart.name() + ".force=true"));
        return sets;
    }

    /** helm test pods are Helm's business; generated credentials never reach a file. */
    static List<RenderedDocument> kept(List<RenderedDocument> documents) {
        return documents.stream()
                .filter(d -> !"test".equals(d.annotations().get("helm.sh/hook")))
                .filter(d -> !d.kind().equals("Secret"))
                .toList();
    }

    private static void writeBase(Map<String, byte[]> files, String dir, String system, List<RenderedDocument> base) {
        Map<String, List<String>> byChart = new TreeMap<>();
        for (RenderedDocument doc : base) {
            String chart = doc.chart(system);
            String file = fileName(doc);
            put(files, dir + chart + "/" + file, doc.text());
            byChart.computeIfAbsent(chart, k -> new ArrayList<>()).add(file);
        }
        StringBuilder top = new StringBuilder(KUSTOMIZATION_HEADER).append("resources:\n");
        byChart.forEach((chart, resources) -> {
            top.append("  - ").append(chart).append('\n');
            StringBuilder kustomization = new StringBuilder(KUSTOMIZATION_HEADER).append("resources:\n");
            resources.stream().sorted().forEach(r -> kustomization.append("  - ").append(r).append('\n'));
            put(files, dir + chart + "/kustomization.yaml", kustomization.toString());
        });
        put(files, dir + "kustomization.yaml", top.toString());
    }

    /**
     * An overlay of {@code parent}: patches for what changed from {@code before} to {@code after}, plus
     * added and removed objects, each list in the order of the files' names (not in the order Helm
     * rendered the objects, which the renders in parts do not keep).
     */
    private static void writeOverlay(Map<String, byte[]> files, String dir, String parent, String namespace,
                                     List<RenderedDocument> unsortedBefore, List<RenderedDocument> unsortedAfter) {
        List<RenderedDocument> before = inFileOrder(unsortedBefore);
        List<RenderedDocument> after = inFileOrder(unsortedAfter);
        Map<String, RenderedDocument> old = new LinkedHashMap<>();
        before.forEach(d -> old.put(d.key(), d));
        Map<String, RenderedDocument> now = new LinkedHashMap<>();
        after.forEach(d -> now.put(d.key(), d));
        List<String> resources = new ArrayList<>(List.of(parent));
        List<Map<String, Object>> patches = new ArrayList<>();
        for (RenderedDocument doc : after) {
            RenderedDocument previous = old.get(doc.key());
            if (previous == null) {
                String file = "resources/" + fileName(doc);
                put(files, dir + file, doc.text());
                resources.add(file);
            } else if (!previous.text().equals(doc.text())) {
                List<Map<String, Object>> operations = JsonPatch.between(previous.object(), doc.object());
                if (!operations.isEmpty()) {
                    String file = "patches/" + fileName(doc);
                    put(files, dir + file, Yaml.dump(operations));
                    patches.add(patch(file, doc));
                }
            }
        }
        for (RenderedDocument doc : before) {
            if (!now.containsKey(doc.key())) {
                String file = "patches/delete-" + fileName(doc);
                Map<String, Object> delete = new LinkedHashMap<>();
                delete.put("$patch", "delete");
                delete.put("apiVersion", doc.apiVersion());
                delete.put("kind", doc.kind());
                delete.put("metadata", new LinkedHashMap<>(Map.of("name", doc.name())));
                put(files, dir + file, Yaml.dump(delete));
                patches.add(new LinkedHashMap<>(Map.of("path", file)));
            }
        }
        Map<String, Object> kustomization = new LinkedHashMap<>();
        kustomization.put("apiVersion", "kustomize.config.k8s.io/v1beta1");
        kustomization.put("kind", "Kustomization");
        kustomization.put("namespace", namespace);
        kustomization.put("resources", resources);
        if (!patches.isEmpty()) {
            kustomization.put("patches", patches);
        }
        put(files, dir + "kustomization.yaml", Yaml.dump(kustomization));
    }

    private static List<RenderedDocument> inFileOrder(List<RenderedDocument> documents) {
        return documents.stream().sorted(java.util.Comparator.comparing(KustomizeRenderer::fileName)
                .thenComparing(RenderedDocument::key)).toList();
    }

    private static Map<String, Object> patch(String file, RenderedDocument doc) {
        Map<String, Object> target = new LinkedHashMap<>();
        String apiVersion = doc.apiVersion();
        int slash = apiVersion.indexOf('/');
        if (slash >= 0) {
            target.put("group", apiVersion.substring(0, slash));
        }
        target.put("version", apiVersion.substring(slash + 1));
        target.put("kind", doc.kind());
        target.put("name", doc.name());
        Map<String, Object> patch = new LinkedHashMap<>();
        patch.put("path", file);
        patch.put("target", target);
        return patch;
    }

    static String fileName(RenderedDocument doc) {
        return doc.kind().toLowerCase(Locale.ROOT) + "-" + doc.name() + ".yaml";
    }

    private static void put(Map<String, byte[]> files, String path, String text) {
        byte[] previous = files.put(path, text.getBytes(StandardCharsets.UTF_8));
        if (previous != null && !Objects.equals(new String(previous, StandardCharsets.UTF_8), text)) {
            throw new IllegalStateException("two objects for " + path);
        }
    }
}
