package dev.castle.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.castle.load.ConfigFileReader;
import dev.castle.load.DescriptorLoader;
import dev.castle.load.Node;
import dev.castle.merge.EnvironmentMerge;
import dev.castle.model.GitOpsBinder;
import dev.castle.model.ModelBinder;
import dev.castle.model.SystemModel;
import dev.castle.render.Renderer;
import dev.castle.render.TemplateEngine;
import dev.castle.testing.KubeSchemaValidator;

/**
 * The GitOps manifests alone, without Helm: for a chart in Git, in an OCI registry and in an HTTP
 * repository, every object validates strictly against the Argo CD and Flux CRD schemas and says
 * what each environment needs: the chart and its version, the environment's values, the namespace,
 * the release name, the ignore rules for autoscaled replicas and generated credentials.
 */
class GitOpsContributorTest {
    private static final String SYSTEM = """
            apiVersion: castle/v1alpha1
            kind: System
            metadata: {name: shop, version: 1.4.0}
            services:
              web:
                image: ghcr.io/acme/web:1.0.0
                ports: {http: 8080}
                autoscaling: {minReplicas: 2, maxReplicas: 6}
                dependsOn: [db]
              api:
                image: ghcr.io/acme/api:1.0.0
                ports: {http: 8080}
                canary: {strategy: argo-rollouts, image: {tag: 1.1.0}}
                autoscaling: {maxReplicas: 4}
            infrastructure:
              db: {type: postgresql}
            environments:
              dev:
                services: {web: {autoscaling: {minReplicas: 1, maxReplicas: 2}}}
              prod: {namespace: shop}
            """;

    static Map<String, String> generate(String yaml, Optional<String> repository) throws Exception {
        Node root = new DescriptorLoader().load(Path.of("castle.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
        SystemModel model = new ModelBinder(new ConfigFileReader(Path.of("."))).bind(root, EnvironmentMerge.environments(root));
        model = GitOpsBinder.withCommandLine(model, repository, Optional.empty());
        OutputPlan plan = new Planner().plan(model);
        assertEquals(model.gitops().isPresent(), plan.roots().contains("gitops/shop"), "the GitOps folder is a root of the write");
        Map<String, String> files = new TreeMap<>();
        new Renderer(new TemplateEngine(Optional.empty())).render(plan).forEach((path, bytes) -> {
            if (path.startsWith("gitops/") || path.matches("shop/values-.*\\.yaml")) {
                files.put(path, new String(bytes, StandardCharsets.UTF_8));
            }
        });
        return files;
    }

    /** Every object validates strictly; kustomizations list exactly the files of their folder. */
    static Map<String, Map<String, Object>> validated(Map<String, String> files) {
        Map<String, Map<String, Object>> objects = new TreeMap<>();
        files.forEach((path, text) -> {
            if (!path.startsWith("gitops/") || !path.endsWith(".yaml")) {
                return;
            }
            Map<String, Object> doc = KubeSchemaValidator.documents(text).get(0);
            if ("kustomize.config.k8s.io/v1beta1".equals(doc.get("apiVersion"))) {
                String dir = path.substring(0, path.lastIndexOf('/') + 1);
                @SuppressWarnings("unchecked")
                List<String> resources = (List<String>) doc.get("resources");
                List<String> siblings = files.keySet().stream().filter(p -> p.startsWith(dir) && p.indexOf('/', dir.length()) < 0)
                        .map(p -> p.substring(dir.length())).filter(n -> !n.equals("kustomization.yaml")).sorted().toList();
                assertEquals(siblings, resources.stream().sorted().toList(), path + " lists its folder");
                return;
            }
            KubeSchemaValidator.shared().assertValid(text);
            objects.put(path, doc);
        });
        return objects;
    }

    @SuppressWarnings("unchecked")
    static Object at(Object node, Object... path) {
        Object current = node;
        for (Object step : path) {
            current = step instanceof Integer i ? ((List<Object>) current).get(i) : ((Map<String, Object>) current).get(step);
        }
        return current;
    }

    @Test
    void theChartInGit() throws Exception {
        Map<String, String> files = generate(SYSTEM + """
                gitops: {repository: "https://git.example.com/acme/deploy.git", revision: refs/tags/v1.4.0, path: deploy/out}
                """, Optional.empty());
        Map<String, Map<String, Object>> objects = validated(files);
        assertEquals(List.of("gitops/shop/README.md", "gitops/shop/argocd/applications/kustomization.yaml",
                "gitops/shop/argocd/applications/shop-dev.yaml", "gitops/shop/argocd/applications/shop-prod.yaml",
                "gitops/shop/argocd/applicationset.yaml",
                "gitops/shop/flux/helm/shop-dev/helmrelease.yaml", "gitops/shop/flux/helm/shop-dev/kustomization.yaml",
                "gitops/shop/flux/helm/shop-dev/namespace.yaml", "gitops/shop/flux/helm/shop-dev/source.yaml",
                "gitops/shop/flux/helm/shop-prod/helmrelease.yaml", "gitops/shop/flux/helm/shop-prod/kustomization.yaml",
                "gitops/shop/flux/helm/shop-prod/namespace.yaml", "gitops/shop/flux/helm/shop-prod/source.yaml",
                "gitops/shop/flux/kustomize/shop-dev/flux-kustomization.yaml", "gitops/shop/flux/kustomize/shop-dev/gitrepository.yaml",
                "gitops/shop/flux/kustomize/shop-dev/kustomization.yaml",
                "gitops/shop/flux/kustomize/shop-prod/flux-kustomization.yaml", "gitops/shop/flux/kustomize/shop-prod/gitrepository.yaml",
                "gitops/shop/flux/kustomize/shop-prod/kustomization.yaml"),
                files.keySet().stream().filter(p -> p.startsWith("gitops/")).toList());

        Map<String, Object> app = objects.get("gitops/shop/argocd/applications/shop-prod.yaml");
        assertEquals("argocd", at(app, "metadata", "namespace"));
        assertEquals(Map.of("repoURL", "https://git.example.com/acme/deploy.git", "targetRevision", "refs/tags/v1.4.0",
                "path", "deploy/out/shop", "helm", Map.of("releaseName", "shop", "valueFiles", List.of("values-prod.yaml"))),
                at(app, "spec", "source"));
        assertEquals(Map.of("server", "https://kubernetes.default.svc", "namespace", "shop"), at(app, "spec", "destination"));
        assertEquals(List.of("CreateNamespace=true", "RespectIgnoreDifferences=true"), at(app, "spec", "syncPolicy", "syncOptions"));
        assertEquals("restricted", at(app, "spec", "syncPolicy", "managedNamespaceMetadata", "labels", "pod-security.kubernetes.io/enforce"));
        assertEquals(List.of(
                Map.of("group", "argoproj.io", "kind", "Rollout", "name", "shop-api", "jsonPointers", List.of("/spec/replicas")),
                Map.of("group", "apps", "kind", "Deployment", "name", "shop-web", "jsonPointers", List.of("/spec/replicas")),
                Map.of("group", "", "kind", "Secret", "name", "shop-db", "jsonPointers", List.of("/data"))),
                at(app, "spec", "ignoreDifferences"), "autoscaled replicas and the credentials made in the cluster");

        Map<String, Object> release = objects.get("gitops/shop/flux/helm/shop-dev/helmrelease.yaml");
        assertEquals("shop", at(release, "spec", "releaseName"));
        assertEquals("shop-dev", at(release, "spec", "targetNamespace"));
        assertEquals(Map.of("chart", "./deploy/out/shop", "reconcileStrategy", "Revision",
                "valuesFiles", List.of("./deploy/out/shop/values-dev.yaml"), "sourceRef", Map.of("kind", "GitRepository", "name", "shop-dev"),
                "interval", "10m"), at(release, "spec", "chart", "spec"));
        assertEquals(List.of(Map.of("paths", List.of("/spec/replicas"), "target", Map.of("group", "argoproj.io", "kind", "Rollout", "name", "shop-api")),
                Map.of("paths", List.of("/spec/replicas"), "target", Map.of("group", "apps", "kind", "Deployment", "name", "shop-web"))),
                at(release, "spec", "driftDetection", "ignore"));
        assertEquals(Map.of("name", "refs/tags/v1.4.0"), at(objects.get("gitops/shop/flux/helm/shop-dev/source.yaml"), "spec", "ref"));
        Map<String, Object> kustomization = objects.get("gitops/shop/flux/kustomize/shop-prod/flux-kustomization.yaml");
        assertEquals("./deploy/out/kustomize/shop/overlays/prod", at(kustomization, "spec", "path"));
        assertEquals(true, at(kustomization, "spec", "wait"));
        assertEquals(true, at(kustomization, "spec", "prune"));
        assertEquals("shop", at(objects.get("gitops/shop/flux/helm/shop-prod/namespace.yaml"), "metadata", "name"));

        Map<String, Object> set = objects.get("gitops/shop/argocd/applicationset.yaml");
        assertEquals(List.of(Map.of("environment", "dev", "name", "shop-dev", "namespace", "shop-dev", "valuesFile", "values-dev.yaml",
                        "overlay", "deploy/out/kustomize/shop/overlays/dev"),
                Map.of("environment", "prod", "name", "shop-prod", "namespace", "shop", "valuesFile", "values-prod.yaml",
                        "overlay", "deploy/out/kustomize/shop/overlays/prod")),
                at(set, "spec", "generators", 0, "list", "elements"));
        assertEquals(at(app, "spec", "ignoreDifferences"), at(set, "spec", "template", "spec", "ignoreDifferences"));
        Matcher placeholders = Pattern.compile("\\{\\{[^}]*}}").matcher(files.get("gitops/shop/argocd/applicationset.yaml"));
        List<String> found = new ArrayList<>();
        while (placeholders.find()) {
            found.add(placeholders.group());
        }
        assertTrue(List.of("{{.name}}", "{{.environment}}", "{{.namespace}}", "{{.valuesFile}}").containsAll(found),
                "the ApplicationSet evaluates only castle's names: " + found);
        assertTrue(files.get("gitops/shop/README.md").contains("| `shop-prod` | prod | `shop` |"));
    }

    @Test
    void aChartInAnOciRegistry() throws Exception {
        Map<String, String> files = generate(SYSTEM + """
                gitops: {chart: {repository: "oci://ghcr.io/acme/charts", version: 1.4.0+build.7}, flux: {namespace: flux, interval: 1m}}
                """, Optional.empty());
        Map<String, Map<String, Object>> objects = validated(files);
        assertFalse(files.keySet().stream().anyMatch(p -> p.contains("flux/kustomize")), "no Git repository: no Kustomize overlay to read");
        Map<String, Object> source = objects.get("gitops/shop/flux/helm/shop-dev/source.yaml");
        assertEquals("OCIRepository", source.get("kind"));
        assertEquals("oci://ghcr.io/acme/charts/shop", at(source, "spec", "url"));
        assertEquals(Map.of("tag", "1.4.0_build.7"), at(source, "spec", "ref"), "helm push tags + as _");
        Map<String, Object> release = objects.get("gitops/shop/flux/helm/shop-dev/helmrelease.yaml");
        assertEquals(Map.of("kind", "OCIRepository", "name", "shop-dev"), at(release, "spec", "chartRef"));
        assertEquals(KubeSchemaValidator.documents(files.get("shop/values-dev.yaml")).get(0), at(release, "spec", "values"),
                "chartRef takes no values file: the environment's values inline, as values-dev.yaml has them");
        assertEquals("flux", at(release, "metadata", "namespace"));
        assertEquals(Map.of(), KubeSchemaValidator.documents(files.get("shop/values-prod.yaml")).get(0));
        assertFalse(((Map<?, ?>) at(objects.get("gitops/shop/flux/helm/shop-prod/helmrelease.yaml"), "spec")).containsKey("values"),
                "prod changes nothing");
        Map<String, Object> app = objects.get("gitops/shop/argocd/applications/shop-dev.yaml");
        assertEquals(Map.of("repoURL", "ghcr.io/acme/charts", "chart", "shop", "targetRevision", "1.4.0+build.7",
                "helm", Map.of("releaseName", "shop", "valueFiles", List.of("values-dev.yaml"))), at(app, "spec", "source"));
    }

    @Test
    void aChartInAnHttpRepositoryTheKustomizeSourceAndNoEnvironments() throws Exception {
        Map<String, String> files = generate(SYSTEM.substring(0, SYSTEM.indexOf("environments:")) + """
                gitops:
                  repository: "ssh://git@git.example.com/acme/deploy.git"
                  chart: {repository: "https://charts.example.com"}
                  argocd: {namespace: gitops, project: shop, server: "https://prod.k8s.example.com", automated: false}
                """, Optional.empty());
        Map<String, Map<String, Object>> objects = validated(files);
        assertTrue(objects.containsKey("gitops/shop/argocd/applications/shop.yaml"), "no environments: one target, the chart's defaults");
        Map<String, Object> app = objects.get("gitops/shop/argocd/applications/shop.yaml");
        assertEquals(Map.of("repoURL", "https://charts.example.com", "chart", "shop", "targetRevision", "1.4.0",
                "helm", Map.of("releaseName", "shop")), at(app, "spec", "source"));
        assertEquals("shop", at(app, "spec", "destination", "namespace"));
        assertEquals("https://prod.k8s.example.com", at(app, "spec", "destination", "server"));
        assertEquals(null, at(app, "spec", "syncPolicy", "automated"));
        Map<String, Object> release = objects.get("gitops/shop/flux/helm/shop/helmrelease.yaml");
        assertEquals(Map.of("chart", "shop", "version", "1.4.0", "sourceRef", Map.of("kind", "HelmRepository", "name", "shop"),
                "interval", "10m"), at(release, "spec", "chart", "spec"));
        assertEquals("HelmRepository", objects.get("gitops/shop/flux/helm/shop/source.yaml").get("kind"));
        assertEquals("./charts-out/kustomize/shop/base", at(objects.get("gitops/shop/flux/kustomize/shop/flux-kustomization.yaml"), "spec", "path"));

        Map<String, String> kustomizeSource = generate(SYSTEM + """
                gitops: {argocd: {source: kustomize}}
                """, Optional.of("https://git.example.com/acme/deploy.git"));
        Map<String, Object> overlay = validated(kustomizeSource).get("gitops/shop/argocd/applications/shop-dev.yaml");
        assertEquals(Map.of("repoURL", "https://git.example.com/acme/deploy.git", "targetRevision", "main",
                "path", "charts-out/kustomize/shop/overlays/dev"), at(overlay, "spec", "source"), "the command line's repository");
    }

    @Test
    void withoutGitOpsNothingIsWrittenThere() throws Exception {
        assertTrue(generate(SYSTEM, Optional.empty()).keySet().stream().noneMatch(p -> p.startsWith("gitops/")));
    }
}
