package dev.castle.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.castle.model.Canary;
import dev.castle.model.GitOps;
import dev.castle.model.Infrastructure;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * The GitOps manifests at {@code gitops/<system>/}, per environment (or for the chart's defaults
 * when there is none): an Argo CD Application (and one ApplicationSet of them all), a Flux
 * HelmRelease with its source (an OCIRepository or HelmRepository for a published chart, else the
 * GitRepository that holds the chart), and a Flux Kustomization of the environment's Kustomize
 * overlay with its GitRepository. Each folder is a kustomization that {@code kubectl apply -k} (or a
 * Flux Kustomization of the cluster's repository) applies.
 *
 * <p>What they need from the generated objects: the chart installed under the system's name in the
 * environment's namespace, created with the Pod Security Standards labels; the replicas of
 * autoscaled workloads left to their autoscaler (Argo CD ignoreDifferences, Flux drift detection);
 * the credentials Secrets made in the cluster never compared. Ordering comes from the charts: the
 * credentials hooks first, Secrets from secret managers in sync wave -1, then the services by their
 * start-up dependencies (see {@link SyncWaves}); Flux waits until everything is ready.
 */
final class GitOpsContributor implements Contributor {
    static final String ROOT = "gitops/";
    static final String HELM_CHART_MEDIA_TYPE = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";

    /** Where one environment runs: its name (empty for the chart's defaults), namespace and values. */
    record Target(String name, String environment, String namespace, SystemModel model, String valuesFile,
                  Map<String, Object> values, String overlay) {
    }

    private final ChartValuesMemo memo;

    /** {@code memo}: the plan's chart values, so each environment's overrides are built once (values-ENV.yaml has them too). */
    GitOpsContributor(ChartValuesMemo memo) {
        this.memo = memo;
    }

    @Override
    public List<PlannedFile> contribute(SystemModel system) {
        if (system.gitops().isEmpty()) {
            return List.of();
        }
        GitOps gitops = system.gitops().get();
        String dir = root(system) + "/";
        List<PlannedFile> files = new ArrayList<>();
        List<Target> targets = targets(system, memo);
        List<String> applications = new ArrayList<>();
        for (Target target : targets) {
            String file = target.name() + ".yaml";
            files.add(new PlannedFile.YamlDocument(dir + "argocd/applications/" + file, application(system, gitops, target)));
            applications.add(file);
            String helm = dir + "flux/helm/" + target.name() + "/";
            List<String> helmFiles = new ArrayList<>(List.of("namespace.yaml", "source.yaml", "helmrelease.yaml"));
            files.add(new PlannedFile.YamlDocument(helm + "namespace.yaml",
                    NamespaceObject.of(system, target.namespace(), target.environment().isEmpty() ? "default" : target.environment())));
            files.add(new PlannedFile.YamlDocument(helm + "source.yaml", chartSource(system, gitops, target)));
            files.add(new PlannedFile.YamlDocument(helm + "helmrelease.yaml", helmRelease(system, gitops, target)));
            files.add(new PlannedFile.YamlDocument(helm + "kustomization.yaml", kustomization(helmFiles)));
            if (gitops.repository().isPresent()) {
                String kustomize = dir + "flux/kustomize/" + target.name() + "/";
                files.add(new PlannedFile.YamlDocument(kustomize + "gitrepository.yaml", gitRepository(system, gitops, target)));
                files.add(new PlannedFile.YamlDocument(kustomize + "flux-kustomization.yaml", fluxKustomization(system, gitops, target)));
                files.add(new PlannedFile.YamlDocument(kustomize + "kustomization.yaml",
                        kustomization(List.of("gitrepository.yaml", "flux-kustomization.yaml"))));
            }
        }
        files.add(new PlannedFile.YamlDocument(dir + "argocd/applications/kustomization.yaml", kustomization(applications)));
        files.add(new PlannedFile.YamlDocument(dir + "argocd/applicationset.yaml", applicationSet(system, gitops, targets)));
        files.add(new PlannedFile.FromTemplate(dir + "README.md", "gitops/README.md.ftl", readme(system, gitops, targets)));
        return files;
    }

    /** The folder of the system's GitOps manifests, relative to the output folder. */
    static String root(SystemModel system) {
        return ROOT + system.metadata().name();
    }

    static List<Target> targets(SystemModel system, ChartValuesMemo memo) {
        String name = system.metadata().name();
        List<Target> targets = new ArrayList<>();
        for (SystemModel.Environment environment : system.environments()) {
            targets.add(new Target(name + "-" + environment.name(), environment.name(), environment.namespace(), environment.model(),
                    "values-" + environment.name() + ".yaml", memo.overrides(environment, () -> EnvironmentValuesContributor.of(system, environment, memo)),
                    "overlays/" + environment.name()));
        }
        if (targets.isEmpty()) {
            targets.add(new Target(name, "", name, system, "", Map.of(), "base"));
        }
        return targets;
    }

    private static Map<String, Object> metadata(SystemModel system, String name, String namespace, String environment) {
        Map<String, Object> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/part-of", system.metadata().name());
        labels.put("app.kubernetes.io/managed-by", "castle");
        if (!environment.isEmpty()) {
            labels.put("castle.dev/environment", environment);
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        metadata.put("namespace", namespace);
        metadata.put("labels", labels);
        return metadata;
    }

    private static Map<String, Object> object(String apiVersion, String kind, Map<String, Object> metadata, Map<String, Object> spec) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("apiVersion", apiVersion);
        object.put("kind", kind);
        object.put("metadata", metadata);
        object.put("spec", spec);
        return object;
    }

    static Map<String, Object> kustomization(List<String> resources) {
        Map<String, Object> kustomization = new LinkedHashMap<>();
        kustomization.put("apiVersion", "kustomize.config.k8s.io/v1beta1");
        kustomization.put("kind", "Kustomization");
        kustomization.put("resources", resources);
        return kustomization;
    }

    /** Where the chart is in the Git repository, and where the Kustomize output is. */
    private static String chartPath(SystemModel system, GitOps gitops) {
        return gitops.path() + "/" + system.metadata().name();
    }

    private static String overlayPath(SystemModel system, GitOps gitops, Target target) {
        return gitops.path() + "/kustomize/" + system.metadata().name() + "/" + target.overlay();
    }

    // ---- Argo CD ----

    /** The Application's source: the published chart, the chart in Git, or the environment's Kustomize overlay. */
    private static Map<String, Object> argoSource(SystemModel system, GitOps gitops, String valuesFile, String overlay) {
        Map<String, Object> source = new LinkedHashMap<>();
        if (gitops.argocd().source() == GitOps.ArgoSource.kustomize) {
            source.put("repoURL", gitops.repository().orElseThrow());
            source.put("targetRevision", gitops.revision());
            source.put("path", overlay);
            return source;
        }
        if (gitops.chart().isPresent()) {
            GitOps.Chart chart = gitops.chart().get();
            source.put("repoURL", chart.oci() ? chart.repository().substring("oci://".length()) : chart.repository());
            source.put("chart", system.metadata().name());
            source.put("targetRevision", chart.version());
        } else {
            source.put("repoURL", gitops.repository().orElseThrow());
            source.put("targetRevision", gitops.revision());
            source.put("path", chartPath(system, gitops));
        }
        Map<String, Object> helm = new LinkedHashMap<>();
        helm.put("releaseName", system.metadata().name());
        if (!valuesFile.isEmpty()) {
            helm.put("valueFiles", List.of(valuesFile));
        }
        source.put("helm", helm);
        return source;
    }

    private static Map<String, Object> applicationSpec(SystemModel system, GitOps gitops, Map<String, Object> source, String namespace,
                                                       Map<String, Object> namespaceLabels, List<Map<String, Object>> ignore) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("project", gitops.argocd().project());
        spec.put("source", source);
        spec.put("destination", Schemas.of("server", gitops.argocd().server(), "namespace", namespace));
        Map<String, Object> syncPolicy = new LinkedHashMap<>();
        if (gitops.argocd().automated()) {
            syncPolicy.put("automated", Schemas.of("prune", true, "selfHeal", true));
        }
        syncPolicy.put("syncOptions", List.of("CreateNamespace=true", "RespectIgnoreDifferences=true"));
        syncPolicy.put("managedNamespaceMetadata", Schemas.of("labels", namespaceLabels));
        syncPolicy.put("retry", Schemas.of("limit", 5, "backoff",
                Schemas.of("duration", "10s", "factor", 2, "maxDuration", "5m")));
        spec.put("syncPolicy", syncPolicy);
        if (!ignore.isEmpty()) {
            spec.put("ignoreDifferences", ignore);
        }
        return spec;
    }

    private static Map<String, Object> application(SystemModel system, GitOps gitops, Target target) {
        Map<String, Object> metadata = metadata(system, target.name(), gitops.argocd().namespace(), target.environment());
        metadata.put("finalizers", List.of("resources-finalizer.argocd.argoproj.io"));
        Map<String, Object> source = argoSource(system, gitops, target.valuesFile(), overlayPath(system, gitops, target));
        return object("argoproj.io/v1alpha1", "Application", metadata, applicationSpec(system, gitops, source, target.namespace(),
                NamespaceObject.labels(system, target.environment().isEmpty() ? "default" : target.environment()),
                argoIgnoreDifferences(system, List.of(target))));
    }

    /**
     * One Application per environment from a list generator; the template's only placeholders are
     * the environment's name and namespace (castle's validated names), so no user text is ever
     * evaluated by the ApplicationSet controller's templates.
     */
    private static Map<String, Object> applicationSet(SystemModel system, GitOps gitops, List<Target> targets) {
        String name = system.metadata().name();
        List<Object> elements = new ArrayList<>();
        boolean environments = !targets.get(0).environment().isEmpty();
        for (Target target : targets) {
            Map<String, Object> element = new LinkedHashMap<>();
            element.put("environment", environments ? target.environment() : "default");
            element.put("name", target.name());
            element.put("namespace", target.namespace());
            element.put("valuesFile", target.valuesFile());
            element.put("overlay", overlayPath(system, gitops, target));
            elements.add(element);
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("goTemplate", true);
        spec.put("goTemplateOptions", List.of("missingkey=error"));
        spec.put("generators", List.of(Schemas.of("list", Schemas.of("elements", elements))));
        Map<String, Object> templateMetadata = metadata(system, "{{.name}}", gitops.argocd().namespace(), "{{.environment}}");
        templateMetadata.remove("namespace");
        templateMetadata.put("finalizers", List.of("resources-finalizer.argocd.argoproj.io"));
        Map<String, Object> source = argoSource(system, gitops, environments ? "{{.valuesFile}}" : "", "{{.overlay}}");
        Map<String, Object> template = new LinkedHashMap<>();
        template.put("metadata", templateMetadata);
        template.put("spec", applicationSpec(system, gitops, source, "{{.namespace}}",
                NamespaceObject.labels(system, "{{.environment}}"), argoIgnoreDifferences(system, targets)));
        spec.put("template", template);
        spec.put("syncPolicy", Schemas.of("preserveResourcesOnDeletion", true));
        return object("argoproj.io/v1alpha1", "ApplicationSet", metadata(system, name, gitops.argocd().namespace(), ""), spec);
    }

    /** The workload kind a service runs as, with its API group. */
    private static String[] workload(Service s) {
        boolean rollout = s.canary().map(Canary::strategy).filter(strategy -> strategy == Canary.Strategy.ARGO_ROLLOUTS).isPresent();
        if (rollout) {
            return new String[] {"argoproj.io", "Rollout"};
        }
        return new String[] {"apps", s.workload().name()};
    }

    /** Replicas of autoscaled workloads belong to their autoscaler; the credentials Secrets are made in the cluster. */
    private static List<Map<String, Object>> argoIgnoreDifferences(SystemModel system, List<Target> targets) {
        String release = system.metadata().name();
        Set<List<Object>> seen = new LinkedHashSet<>();
        List<Map<String, Object>> ignore = new ArrayList<>();
        for (Target target : targets) {
            for (Service s : target.model().services()) {
                if (s.operations().autoscaling().isPresent() && !s.workload().isBatch()) {
                    String[] kind = workload(s);
                    add(ignore, seen, kind[0], kind[1], release + "-" + s.name(), "/spec/replicas");
                }
            }
            for (Infrastructure c : target.model().infrastructure()) {
                if (c.generatesCredentials()) {
                    add(ignore, seen, "", "Secret", release + "-" + c.name(), "/data");
                }
            }
        }
        return ignore;
    }

    private static void add(List<Map<String, Object>> ignore, Set<List<Object>> seen, String group, String kind, String name, String pointer) {
        if (seen.add(List.of(group, kind, name, pointer))) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("group", group);
            entry.put("kind", kind);
            entry.put("name", name);
            entry.put("jsonPointers", List.of(pointer));
            ignore.add(entry);
        }
    }

    // ---- Flux ----

    private static String sourceApi() {
        return "source.toolkit.fluxcd.io/v1";
    }

    private static Map<String, Object> gitRepository(SystemModel system, GitOps gitops, Target target) {
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put(gitops.revisionKind().name(), gitops.revision());
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("interval", gitops.flux().interval());
        spec.put("url", gitops.repository().orElseThrow());
        spec.put("ref", ref);
        return object(sourceApi(), "GitRepository", metadata(system, target.name(), gitops.flux().namespace(), target.environment()), spec);
    }

    /** The chart's source: the published chart's OCI repository or Helm repository, else the Git repository. */
    private static Map<String, Object> chartSource(SystemModel system, GitOps gitops, Target target) {
        if (gitops.chart().isEmpty()) {
            return gitRepository(system, gitops, target);
        }
        GitOps.Chart chart = gitops.chart().get();
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("interval", gitops.flux().interval());
        Map<String, Object> metadata = metadata(system, target.name(), gitops.flux().namespace(), target.environment());
        if (chart.oci()) {
            spec.put("url", chart.repository().replaceAll("/+$", "") + "/" + system.metadata().name());
            // helm push tags a version with + as _
            spec.put("ref", Schemas.of("tag", chart.version().replace('+', '_')));
            spec.put("layerSelector", Schemas.of("mediaType", HELM_CHART_MEDIA_TYPE, "operation", "copy"));
            return object(sourceApi(), "OCIRepository", metadata, spec);
        }
        spec.put("url", chart.repository());
        return object(sourceApi(), "HelmRepository", metadata, spec);
    }

    private static Map<String, Object> helmRelease(SystemModel system, GitOps gitops, Target target) {
        String name = system.metadata().name();
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("interval", gitops.flux().interval());
        spec.put("releaseName", name);
        spec.put("targetNamespace", target.namespace());
        spec.put("storageNamespace", target.namespace());
        spec.put("timeout", "10m");
        Map<String, Object> sourceRef = new LinkedHashMap<>();
        if (gitops.chart().map(GitOps.Chart::oci).orElse(false)) {
            sourceRef.put("kind", "OCIRepository");
            sourceRef.put("name", target.name());
            spec.put("chartRef", sourceRef);
        } else {
            Map<String, Object> chart = new LinkedHashMap<>();
            sourceRef.put("kind", gitops.chart().isPresent() ? "HelmRepository" : "GitRepository");
            sourceRef.put("name", target.name());
            if (gitops.chart().isPresent()) {
                chart.put("chart", name);
                chart.put("version", gitops.chart().get().version());
                if (!target.valuesFile().isEmpty()) {
                    chart.put("valuesFiles", List.of(target.valuesFile()));
                }
            } else {
                // the chart's version changes seldom: a new commit must be enough to upgrade
                chart.put("chart", "./" + chartPath(system, gitops));
                chart.put("reconcileStrategy", "Revision");
                if (!target.valuesFile().isEmpty()) {
                    chart.put("valuesFiles", List.of("./" + chartPath(system, gitops) + "/" + target.valuesFile()));
                }
            }
            chart.put("sourceRef", sourceRef);
            chart.put("interval", gitops.flux().interval());
            spec.put("chart", Schemas.of("spec", chart));
        }
        spec.put("install", Schemas.of("createNamespace", true, "remediation", Schemas.of("retries", 3)));
        spec.put("upgrade", Schemas.of("cleanupOnFail", true, "remediation",
                Schemas.of("retries", 3, "remediateLastFailure", true)));
        List<Map<String, Object>> ignore = new ArrayList<>();
        for (Map<String, Object> entry : argoIgnoreDifferences(system, List.of(target))) {
            if (entry.get("kind").equals("Secret")) {
                continue;
            }
            Map<String, Object> selector = new LinkedHashMap<>();
            if (!((String) entry.get("group")).isEmpty()) {
                selector.put("group", entry.get("group"));
            }
            selector.put("kind", entry.get("kind"));
            selector.put("name", entry.get("name"));
            ignore.add(Schemas.of("paths", entry.get("jsonPointers"), "target", selector));
        }
        Map<String, Object> drift = new LinkedHashMap<>();
        drift.put("mode", "enabled");
        if (!ignore.isEmpty()) {
            drift.put("ignore", ignore);
        }
        spec.put("driftDetection", drift);
        if (gitops.chart().map(GitOps.Chart::oci).orElse(false) && !target.values().isEmpty()) {
            // chartRef takes no values files: the environment's values, as values-<env>.yaml holds them
            spec.put("values", target.values());
        }
        return object("helm.toolkit.fluxcd.io/v2", "HelmRelease", metadata(system, target.name(), gitops.flux().namespace(),
                target.environment()), spec);
    }

    private static Map<String, Object> fluxKustomization(SystemModel system, GitOps gitops, Target target) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("interval", gitops.flux().interval());
        spec.put("sourceRef", Schemas.of("kind", "GitRepository", "name", target.name()));
        spec.put("path", "./" + overlayPath(system, gitops, target));
        spec.put("prune", true);
        spec.put("wait", true);
        spec.put("timeout", "10m");
        return object("kustomize.toolkit.fluxcd.io/v1", "Kustomization", metadata(system, target.name(), gitops.flux().namespace(),
                target.environment()), spec);
    }

    private static Map<String, Object> readme(SystemModel system, GitOps gitops, List<Target> targets) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("system", system.metadata().name());
        data.put("root", root(system));
        data.put("repository", Markdown.text(gitops.repository().orElse("")));
        data.put("revision", Markdown.text(gitops.revision()));
        data.put("chart", gitops.chart().map(c -> Markdown.text(c.repository() + " " + c.version())).orElse(""));
        data.put("argocdNamespace", gitops.argocd().namespace());
        data.put("argocdSource", gitops.argocd().source().name());
        data.put("fluxNamespace", gitops.flux().namespace());
        List<Map<String, Object>> environments = new ArrayList<>();
        for (Target target : targets) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", target.name());
            entry.put("environment", target.environment().isEmpty() ? "default" : target.environment());
            entry.put("namespace", target.namespace());
            environments.add(entry);
        }
        data.put("environments", environments);
        return data;
    }
}
