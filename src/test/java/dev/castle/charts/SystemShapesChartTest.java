package dev.castle.charts;

import static dev.castle.charts.PodChecks.get;
import static dev.castle.charts.PodChecks.list;
import static dev.castle.charts.PodChecks.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.castle.testing.KubeSchemaValidator;
import dev.castle.testing.Tools;

/**
 * What the shapes of issue 13 render, with Helm 3 and Helm 4 (the generic checks, strict validation
 * and reachability, run on the same descriptors in ChartToolsTest and NetworkReachabilityTest):
 * egress to names as a ServiceEntry and a CiliumNetworkPolicy toFQDNs, switched by their values and
 * by the service's; extra Services on the same pods and in the quota; shared ServiceAccounts and
 * ConfigMaps whose change rolls exactly the readers; versions as Deployments behind one Service,
 * split by Istio subsets or a GAMMA route whose weights add up to 100.
 */
@Tag("integration")
class SystemShapesChartTest {
    static Stream<Path> helms() {
        return Stream.of(Tools.helm3(), Tools.helm4());
    }

    private static Path descriptor(String name) {
        return Tools.projectDir().resolve("src/test/resources/descriptors/valid/" + name);
    }

    private static List<Map<String, Object>> render(Path helm, Path chart, Path dir, String... set) {
        List<String> command = new ArrayList<>(List.of(helm.toString(), "template", "rel", chart.toString(), "--namespace", "ns"));
        for (String s : set) {
            command.add(s.contains("=\"") ? "--set-string" : "--set");
            command.add(s.replace("=\"", "="));
        }
        return KubeSchemaValidator.documents(Tools.run(dir, command).assertOk().stdout());
    }

    private static List<Map<String, Object>> kind(List<Map<String, Object>> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    private static Map<String, Object> named(List<Map<String, Object>> docs, String kind, String name) {
        return kind(docs, kind).stream().filter(d -> name.equals(get(d, "metadata", "name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("helms")
    void egressToNames(Path helm, @TempDir Path out) {
        Path chart = Generation.generate(descriptor("egress.yaml"), out);
        List<Map<String, Object>> docs = render(helm, chart, out);
        Map<String, Object> google = named(docs, "ServiceEntry", "rel-currency-googleapis");
        assertEquals(List.of("googleapis.com", "*.googleapis.com"), get(google, "spec", "hosts"));
        assertEquals("NONE", get(google, "spec", "resolution"), "wildcards cannot be resolved by DNS");
        assertEquals("DNS", get(named(docs, "ServiceEntry", "rel-payments-stripe"), "spec", "resolution"));
        assertEquals(2, kind(docs, "ServiceEntry").size(), "only destinations with names: " + kind(docs, "ServiceEntry"));
        Map<String, Object> cilium = named(docs, "CiliumNetworkPolicy", "rel-currency-egress");
        assertEquals(Map.of("app.kubernetes.io/name", "currency", "app.kubernetes.io/instance", "rel"), get(cilium, "spec", "endpointSelector", "matchLabels"));
        String egress = String.valueOf(get(cilium, "spec", "egress"));
        assertTrue(egress.contains("matchName=googleapis.com") && egress.contains("matchPattern=*.googleapis.com") && egress.contains("dns=[{matchPattern=*}]"), egress);
        assertFalse(kind(docs, "CiliumNetworkPolicy").stream().anyMatch(d -> String.valueOf(get(d, "metadata", "name")).contains("logger")),
                "the logger reaches an address block only");
        Map<String, Object> payments = named(docs, "NetworkPolicy", "rel-payments");
        assertTrue(String.valueOf(get(payments, "spec", "egress")).contains("cidr=2001:db8::/32"), "the IPv6 block as an ipBlock");

        List<Map<String, Object>> off = render(helm, chart, out, "currency.enabled=false", "externalEgress.serviceEntries=false");
        assertTrue(kind(off, "ServiceEntry").isEmpty());
        assertEquals(List.of("rel-payments-egress"), kind(off, "CiliumNetworkPolicy").stream().map(d -> get(d, "metadata", "name")).toList());
        assertTrue(kind(render(helm, chart, out, "networkPolicies.enabled=false"), "CiliumNetworkPolicy").isEmpty(), "no policies: no Cilium policy");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("helms")
    void extraServicesSelectTheSamePods(Path helm, @TempDir Path out) {
        Path chart = Generation.generate(descriptor("extra-services.yaml"), out);
        List<Map<String, Object>> docs = render(helm, chart, out);
        Map<String, Object> main = named(docs, "Service", "rel-frontend");
        Map<String, Object> external = named(docs, "Service", "rel-frontend-external");
        assertEquals(get(main, "spec", "selector"), get(external, "spec", "selector"));
        assertEquals("LoadBalancer", get(external, "spec", "type"));
        assertEquals(80, get(map(list(get(external, "spec", "ports")).get(0)), "port"));
        assertEquals("http", get(map(list(get(external, "spec", "ports")).get(0)), "targetPort"));
        assertEquals(30900, get(map(list(get(named(docs, "Service", "rel-frontend-admin"), "spec", "ports")).get(0)), "nodePort"));
        Map<String, Object> quota = kind(docs, "ResourceQuota").get(0);
        assertEquals("1", String.valueOf(get(quota, "spec", "hard", "services.loadbalancers")));
        assertEquals("2", String.valueOf(get(quota, "spec", "hard", "services.nodeports")), "the LoadBalancer's port and the NodePort's");
        assertFalse(render(helm, chart, out, "frontend.extraServices.external.enabled=false").stream()
                .anyMatch(d -> "rel-frontend-external".equals(get(d, "metadata", "name"))));
        Map<String, Object> route = named(docs, "HTTPRoute", "rel-frontend");
        assertFalse(map(get(route, "spec")).containsKey("hostnames"), "the catch-all route has no hostnames");
        Map<String, Object> ingress = named(docs, "Ingress", "rel-store");
        assertFalse(map(list(get(ingress, "spec", "rules")).get(0)).containsKey("host"), "the Ingress rule has no host");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("helms")
    void sharedAccountsAndConfig(Path helm, @TempDir Path out) {
        Path chart = Generation.generate(descriptor("shared.yaml"), out);
        List<Map<String, Object>> docs = render(helm, chart, out);
        Map<String, Object> account = named(docs, "ServiceAccount", "rel-social");
        assertEquals("social@acme.iam.gserviceaccount.com", get(account, "metadata", "annotations", "iam.gke.io/gcp-service-account"));
        Map<String, String> accounts = new TreeMap<>();
        Map<String, Map<String, Object>> annotations = new TreeMap<>();
        for (Map<String, Object> d : kind(docs, "Deployment")) {
            String name = String.valueOf(get(d, "metadata", "name"));
            accounts.put(name, String.valueOf(get(d, "spec", "template", "spec", "serviceAccountName")));
            annotations.put(name, map(get(d, "spec", "template", "metadata", "annotations")));
        }
        assertEquals(Map.of("rel-compose-post", "rel-social", "rel-home-timeline", "rel-social", "rel-media", "rel-media", "rel-legacy", "default"), accounts);
        assertTrue(String.valueOf(named(docs, "ConfigMap", "rel-social").get("data")).contains("{{ .Release.Name }} is text"), "file text as written");

        List<Map<String, Object>> changed = render(helm, chart, out, "global.sharedConfig.tuning.THREADS=\"16");
        assertEquals("16", get(named(changed, "ConfigMap", "rel-tuning"), "data", "THREADS"));
        for (Map<String, Object> d : kind(changed, "Deployment")) {
            String name = String.valueOf(get(d, "metadata", "name"));
            Map<String, Object> now = map(get(d, "spec", "template", "metadata", "annotations"));
            boolean reads = name.equals("rel-home-timeline") || name.equals("rel-media");
            assertEquals(reads, !now.equals(annotations.get(name)), name + " rolls exactly when it reads the changed config");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("helms")
    void versionsBehindOneService(Path helm, @TempDir Path out) {
        Path chart = Generation.generate(descriptor("versions.yaml"), out);
        List<Map<String, Object>> docs = render(helm, chart, out);
        Map<String, Object> service = named(docs, "Service", "rel-reviews");
        Map<String, Object> selector = map(get(service, "spec", "selector"));
        Map<String, String> images = new TreeMap<>();
        for (String v : List.of("v1", "v2", "v3")) {
            Map<String, Object> deployment = named(docs, "Deployment", "rel-reviews-" + v);
            Map<String, Object> labels = map(get(deployment, "spec", "template", "metadata", "labels"));
            assertEquals(v, labels.get("version"));
            assertTrue(NetworkPolicyEvaluator.selects(Map.of("matchLabels", selector), labels), "the Service reaches " + v);
            images.put(v, String.valueOf(get(map(list(get(deployment, "spec", "template", "spec", "containers")).get(0)), "image")));
        }
        assertEquals(Map.of("v1", "docker.io/istio/examples-bookinfo-reviews-v1:1.20.3", "v2", "docker.io/istio/examples-bookinfo-reviews-v2:1.20.3",
                "v3", "docker.io/istio/examples-bookinfo-reviews-v3:1.20.3"), images);
        assertFalse(kind(docs, "Deployment").stream().anyMatch(d -> "rel-reviews".equals(get(d, "metadata", "name"))), "no unversioned Deployment");
        assertEquals(2, get(named(docs, "Deployment", "rel-reviews-v3"), "spec", "replicas"));
        List<Object> routes = list(get(named(docs, "VirtualService", "rel-reviews"), "spec", "http"));
        assertEquals("v3", get(map(list(get(map(routes.get(0)), "route")).get(0)), "destination", "subset"), "the header route first");
        assertEquals(Map.of("exact", "jason"), get(map(list(get(map(routes.get(0)), "match")).get(0)), "headers", "end-user"));
        int total = 0;
        for (Object r : list(get(map(routes.get(1)), "route"))) {
            total += (Integer) map(r).get("weight");
        }
        assertEquals(100, total);
        assertEquals(3, list(get(named(docs, "DestinationRule", "rel-reviews"), "spec", "subsets")).size());

        Map<String, Object> grpc = named(docs, "GRPCRoute", "rel-ratings-versions");
        assertEquals("rel-ratings", get(map(list(get(grpc, "spec", "parentRefs")).get(0)), "name"));
        List<Object> rules = list(get(grpc, "spec", "rules"));
        assertEquals(Map.of("name", "rel-ratings-next", "port", 9090), map(list(get(map(rules.get(0)), "backendRefs")).get(0)));
        Map<String, Integer> weights = new TreeMap<>();
        for (Object b : list(get(map(rules.get(1)), "backendRefs"))) {
            weights.put(String.valueOf(map(b).get("name")), (Integer) map(b).get("weight"));
        }
        assertEquals(Map.of("rel-ratings-next", 10, "rel-ratings-stable", 90), weights, "unwritten weights share what is left");
        for (String v : List.of("next", "stable")) {
            Map<String, Object> versionService = named(docs, "Service", "rel-ratings-" + v);
            Map<String, Object> podLabels = map(get(named(docs, "Deployment", "rel-ratings-" + v), "spec", "template", "metadata", "labels"));
            Map<String, Object> other = map(get(named(docs, "Deployment", "rel-ratings-" + (v.equals("next") ? "stable" : "next")), "spec", "template", "metadata", "labels"));
            Map<String, Object> versionSelector = Map.of("matchLabels", map(get(versionService, "spec", "selector")));
            assertTrue(NetworkPolicyEvaluator.selects(versionSelector, podLabels) && !NetworkPolicyEvaluator.selects(versionSelector, other),
                    "the Service of " + v + " selects exactly its pods");
        }
        assertNotEquals(get(named(render(helm, chart, out, "reviews.versions.v1.weight=30", "reviews.versions.v2.weight=70"), "VirtualService", "rel-reviews"),
                "spec"), get(named(docs, "VirtualService", "rel-reviews"), "spec"), "weights are values");

        // an autoscaled service with versions: a HorizontalPodAutoscaler per version Deployment, which leaves replicas to it
        List<Map<String, Object>> autoscalers = kind(docs, "HorizontalPodAutoscaler");
        assertEquals(List.of("rel-details-v1", "rel-details-v2"), autoscalers.stream().map(h -> String.valueOf(get(h, "metadata", "name"))).sorted().toList());
        for (String v : List.of("v1", "v2")) {
            Map<String, Object> hpa = named(docs, "HorizontalPodAutoscaler", "rel-details-" + v);
            assertEquals(Map.of("apiVersion", "apps/v1", "kind", "Deployment", "name", "rel-details-" + v), get(hpa, "spec", "scaleTargetRef"));
            assertEquals(2, get(hpa, "spec", "minReplicas"));
            assertEquals(5, get(hpa, "spec", "maxReplicas"));
            assertFalse(map(get(named(docs, "Deployment", "rel-details-" + v), "spec")).containsKey("replicas"), "the autoscaler sets " + v + "'s replicas");
        }
        assertEquals(2, get(named(docs, "Deployment", "rel-reviews-v3"), "spec", "replicas"), "a version that does not autoscale keeps its replicas");
        // exposed through the Gateway: its route splits between the versions' Services as the mesh route does, on every path
        Map<String, Object> edge = named(docs, "HTTPRoute", "rel-details");
        assertEquals(List.of("details.example.com"), get(edge, "spec", "hostnames"));
        List<Object> edgeRules = list(get(edge, "spec", "rules"));
        assertEquals(List.of(Map.of("name", "rel-details-v2", "port", 9080)), get(map(edgeRules.get(0)), "backendRefs"), "the header route first");
        assertEquals(List.of("/details", "/api/details"), list(get(map(edgeRules.get(0)), "matches")).stream()
                .map(m -> get(map(m), "path", "value")).toList());
        assertEquals(List.of(Map.of("name", "rel-details-v1", "port", 9080, "weight", 80), Map.of("name", "rel-details-v2", "port", 9080, "weight", 20)),
                get(map(edgeRules.get(1)), "backendRefs"));
        assertEquals(get(map(list(get(named(docs, "HTTPRoute", "rel-details-versions"), "spec", "rules")).get(1)), "backendRefs"),
                get(map(edgeRules.get(1)), "backendRefs"), "the same split inside the mesh");
        List<Map<String, Object>> vpas = kind(render(helm, chart, out, "details.vpa.enabled=true", "details.vpa.force=true"), "VerticalPodAutoscaler");
        assertEquals(List.of("rel-details-v1", "rel-details-v2"), vpas.stream().map(h -> String.valueOf(get(h, "spec", "targetRef", "name"))).sorted().toList(),
                "a VerticalPodAutoscaler per version too");
    }
}
