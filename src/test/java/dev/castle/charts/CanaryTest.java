package dev.castle.charts;

import static dev.castle.charts.PodChecks.get;
import static dev.castle.charts.PodChecks.list;
import static dev.castle.charts.PodChecks.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.castle.testing.KubeSchemaValidator;
import dev.castle.testing.Tools;

/**
 * Given a system with one canary per strategy (canaries.yaml), when Helm 3 and Helm 4 render it
 * with every canary off and then with {@code --set <service>.canary.enabled=true,<service>.canary.weight=30},
 * then both renders validate strictly (custom resources included) and, per strategy, the weights
 * add up to 100 and match, the tracks have disjoint selectors and their own images, the stable
 * Service keeps canary pods out (except with Istio, whose subsets split them), no selector of any
 * object changes, route objects keep their names, Flagger's service has no castle Service, and
 * Argo's service is a Rollout that its autoscaler targets.
 */
@Tag("integration")
class CanaryTest {
    private static final String RELEASE = "canaries";
    private static final String NAMESPACE = "canaries";
    private static final List<String> APIS = List.of("gateway.networking.k8s.io/v1/HTTPRoute", "gateway.networking.k8s.io/v1/GRPCRoute",
            "networking.istio.io/v1/VirtualService", "networking.istio.io/v1/DestinationRule", "argoproj.io/v1alpha1/Rollout",
            "flagger.app/v1beta1/Canary", "monitoring.coreos.com/v1/ServiceMonitor", "monitoring.coreos.com/v1/PodMonitor",
            "monitoring.coreos.com/v1/PrometheusRule", "cert-manager.io/v1/Certificate");
    /** Services with a canary, and their strategy. */
    private static final Map<String, String> STRATEGIES = new TreeMap<>(Map.of("web", "gateway-api", "ledger", "gateway-api",
            "api", "ingress-nginx", "catalog", "istio", "orders", "argo-rollouts", "reviews", "argo-rollouts", "payments", "flagger"));
    /** Strategies where castle runs the canary track and sets its weight (Argo Rollouts' steps and Flagger's analysis set theirs). */
    private static final Set<String> MANAGED = Set.of("gateway-api", "istio", "ingress-nginx");
    private static final List<String> ROUTE_KINDS = List.of("HTTPRoute", "GRPCRoute", "VirtualService", "DestinationRule", "Ingress");

    @TempDir
    static Path out;
    static Path chart;
    /** Renders by helm binary: canaries off, and on at weight 30. */
    static final Map<Path, List<Map<String, Object>>> OFF = new LinkedHashMap<>();
    static final Map<Path, List<Map<String, Object>>> ON = new LinkedHashMap<>();

    @BeforeAll
    static void generateAndRender() {
        Generation.generate(Tools.projectDir().resolve("src/test/resources/descriptors/valid/canaries.yaml"), out);
        chart = out.resolve(RELEASE);
        List<String> on = new ArrayList<>();
        STRATEGIES.forEach((s, strategy) -> on.add(s + ".canary.enabled=true" + (MANAGED.contains(strategy) ? "," + s + ".canary.weight=30" : "")));
        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            OFF.put(helm, render(helm, List.of()));
            ON.put(helm, render(helm, on));
        }
    }

    static List<Map<String, Object>> render(Path helm, List<String> sets) {
        Tools.Result result = run(helm, sets).assertOk();
        KubeSchemaValidator.shared().assertValid(result.stdout());
        List<Map<String, Object>> docs = KubeSchemaValidator.documents(result.stdout());
        assertEquals(List.of(), new PodChecks(docs).check(), helm + " " + sets + ": pods that break the restricted profile or the lint rules");
        return docs;
    }

    static Tools.Result run(Path helm, List<String> sets) {
        List<String> command = new ArrayList<>(List.of(helm.toString(), "template", RELEASE, chart.toString(), "--namespace", NAMESPACE));
        APIS.forEach(api -> command.addAll(List.of("--api-versions", api)));
        sets.forEach(set -> command.addAll(List.of("--set", set)));
        return Tools.run(out, command);
    }

    @Test
    void gatewayApiWeighsTheRouteOfTheGatewayOrOfTheMesh() {
        forEachRender((helm, off, on) -> {
            Map<String, Object> offRoute = named(off, "HTTPRoute", "canaries-web");
            assertTrue(list(get(offRoute, "spec", "rules")).stream().allMatch(r -> list(map(r).get("backendRefs")).size() == 1),
                    "without a canary the route sends to the stable Service only");
            List<Object> rules = list(get(named(on, "HTTPRoute", "canaries-web"), "spec", "rules"));
            Map<String, Object> first = map(rules.get(0));
            assertEquals(List.of("canaries-web-canary"), names(list(first.get("backendRefs"))), "the header and cookie rule comes first, to the canary");
            Set<String> matched = new TreeSet<>();
            for (Object m : list(first.get("matches"))) {
                assertTrue(List.of("/", "/static", "/login").contains(get(m, "path", "value")), "every path of the route");
                assertEquals("/login".equals(get(m, "path", "value")) ? "Exact" : "PathPrefix", get(m, "path", "type"),
                        "an exact path stays exact in the canary's header rule");
                Map<String, Object> header = map(list(map(m).get("headers")).get(0));
                matched.add(header.get("name") + "=" + header.get("value"));
            }
            assertEquals(Set.of("X-Canary=always", "Cookie=^(.*?;)?(canary=always)(;.*)?$"), matched);
            assertWeights(map(rules.get(1)).get("backendRefs"), "canaries-web", "canaries-web-canary", 30);

            assertTrue(kind(off, "HTTPRoute").stream().noneMatch(r -> "canaries-ledger".equals(get(r, "metadata", "name"))),
                    "the mesh route comes with the canary");
            Map<String, Object> mesh = named(on, "HTTPRoute", "canaries-ledger");
            Map<String, Object> parent = map(list(get(mesh, "spec", "parentRefs")).get(0));
            assertEquals(Map.of("group", "", "kind", "Service", "name", "canaries-ledger", "port", 8080), parent, "a GAMMA route of the Service");
            assertWeights(map(list(get(mesh, "spec", "rules")).get(0)).get("backendRefs"), "canaries-ledger", "canaries-ledger-canary", 30);
        });
    }

    @Test
    void istioSplitsOneServiceBySubsets() {
        forEachRender((helm, off, on) -> {
            for (List<Map<String, Object>> docs : List.of(off, on)) {
                Map<String, Object> rule = named(docs, "DestinationRule", "canaries-catalog");
                assertEquals("canaries-catalog", get(rule, "spec", "host"));
                assertEquals(List.of(Map.of("name", "stable", "labels", Map.of("castle.dev/track", "stable")),
                        Map.of("name", "canary", "labels", Map.of("castle.dev/track", "canary"))), get(rule, "spec", "subsets"));
                Map<String, Object> service = named(docs, "Service", "canaries-catalog");
                assertNull(map(get(service, "spec", "selector")).get("castle.dev/track"), "the Service selects both tracks");
            }
            List<Object> offRoutes = list(get(named(off, "VirtualService", "canaries-catalog"), "spec", "http"));
            assertEquals(1, offRoutes.size());
            assertEquals(List.of(Map.of("destination", Map.of("host", "canaries-catalog", "subset", "stable"), "weight", 100)),
                    map(offRoutes.get(0)).get("route"));
            Map<String, Object> vs = named(on, "VirtualService", "canaries-catalog");
            assertEquals(List.of("canaries-catalog"), get(vs, "spec", "hosts"));
            List<Object> http = list(get(vs, "spec", "http"));
            Map<String, Object> header = map(http.get(0));
            assertEquals(Map.of("x-catalog-canary", Map.of("exact", "always")), get(list(header.get("match")).get(0), "headers"), "header route first");
            assertEquals("canary", get(list(header.get("route")).get(0), "destination", "subset"));
            Map<String, Integer> weights = new TreeMap<>();
            for (Object d : list(map(http.get(1)).get("route"))) {
                weights.put((String) get(d, "destination", "subset"), ((Number) map(d).get("weight")).intValue());
            }
            assertEquals(Map.of("stable", 70, "canary", 30), weights, "weights add up to 100");
        });
    }

    @Test
    void ingressNginxAddsACanaryIngressBesideTheMainOne() {
        forEachRender((helm, off, on) -> {
            assertTrue(kind(off, "Ingress").stream().noneMatch(i -> "canaries-api-canary".equals(get(i, "metadata", "name"))));
            Map<String, Object> main = named(on, "Ingress", "canaries-api");
            Map<String, Object> canary = named(on, "Ingress", "canaries-api-canary");
            assertEquals(Map.of("nginx.ingress.kubernetes.io/canary", "true", "nginx.ingress.kubernetes.io/canary-weight", "30",
                    "nginx.ingress.kubernetes.io/canary-by-header", "X-Api-Canary", "nginx.ingress.kubernetes.io/canary-by-header-value", "yes-please",
                    "nginx.ingress.kubernetes.io/canary-by-cookie", "api_canary"), get(canary, "metadata", "annotations"));
            assertEquals(get(main, "spec", "ingressClassName"), get(canary, "spec", "ingressClassName"));
            assertEquals(hostsAndPaths(main), hostsAndPaths(canary), "same hosts and paths");
            for (Object rule : list(get(canary, "spec", "rules"))) {
                for (Object path : list(get(rule, "http", "paths"))) {
                    assertEquals("canaries-api-canary", get(path, "backend", "service", "name"));
                    assertServicePort(on, "canaries-api-canary", ((Number) get(path, "backend", "service", "port", "number")).intValue());
                }
            }
        });
    }

    @Test
    void argoRolloutsReplacesTheDeploymentWithARollout() {
        forEachRender((helm, off, on) -> {
            for (List<Map<String, Object>> docs : List.of(off, on)) {
                for (String service : List.of("orders", "reviews")) {
                    String name = "canaries-" + service;
                    assertTrue(kind(docs, "Deployment").stream().noneMatch(d -> service.equals(get(d, "spec", "template", "metadata", "labels", "app.kubernetes.io/name"))),
                            "no Deployment for " + service);
                    Map<String, Object> rollout = named(docs, "Rollout", name);
                    Map<String, Object> canary = map(get(rollout, "spec", "strategy", "canary"));
                    assertEquals(name, canary.get("stableService"));
                    assertEquals(name + "-canary", canary.get("canaryService"));
                    Map<String, Object> pods = map(get(rollout, "spec", "template", "metadata", "labels"));
                    for (String s : List.of(name, name + "-canary")) {
                        Map<String, Object> selector = map(get(named(docs, "Service", s), "spec", "selector"));
                        assertTrue(pods.entrySet().containsAll(selector.entrySet()), s + " selects the Rollout's pods");
                    }
                }
                Map<String, Object> hpa = named(docs, "HorizontalPodAutoscaler", "canaries-orders");
                assertEquals(Map.of("apiVersion", "argoproj.io/v1alpha1", "kind", "Rollout", "name", "canaries-orders"), get(hpa, "spec", "scaleTargetRef"));
                assertNull(get(named(docs, "Rollout", "canaries-orders"), "spec", "replicas"), "the autoscaler sets the replicas");

                Map<String, Object> orders = map(get(named(docs, "Rollout", "canaries-orders"), "spec", "strategy", "canary"));
                String route = (String) get(list(get(orders, "trafficRouting", "plugins", "argoproj-labs/gatewayAPI", "httpRoutes")).get(0), "name");
                assertWeights(map(list(get(named(docs, "HTTPRoute", route), "spec", "rules")).get(0)).get("backendRefs"),
                        "canaries-orders", "canaries-orders-canary", 0);
                assertEquals(List.of(Map.of("name", "canary-header")), get(orders, "trafficRouting", "managedRoutes"));
                List<Object> steps = list(orders.get("steps"));
                assertEquals(List.of(20, 50), steps.stream().map(s -> map(s).get("setWeight")).filter(Objects::nonNull).toList());
                assertEquals("canary-header", get(steps.get(1), "setHeaderRoute", "name"));

                Map<String, Object> reviews = map(get(named(docs, "Rollout", "canaries-reviews"), "spec", "strategy", "canary"));
                Map<String, Object> virtualService = map(get(reviews, "trafficRouting", "istio", "virtualService"));
                Map<String, Object> vs = named(docs, "VirtualService", (String) virtualService.get("name"));
                Map<String, Object> primary = list(get(vs, "spec", "http")).stream().map(PodChecks::map)
                        .filter(r -> list(virtualService.get("routes")).contains(r.get("name"))).findFirst().orElseThrow();
                int total = list(primary.get("route")).stream().mapToInt(d -> ((Number) map(d).get("weight")).intValue()).sum();
                assertEquals(100, total, "weights of the Rollout's route");
            }
            assertEquals("ghcr.io/acme/orders:5.0.0", image(named(off, "Rollout", "canaries-orders")));
            assertEquals("ghcr.io/acme/orders:5.1.0", image(named(on, "Rollout", "canaries-orders")), "canary.enabled starts a rollout of the canary image");
        });
    }

    @Test
    void flaggerGetsItsCanaryAndNoService() {
        forEachRender((helm, off, on) -> {
            for (List<Map<String, Object>> docs : List.of(off, on)) {
                assertTrue(kind(docs, "Service").stream().noneMatch(s -> "payments".equals(get(s, "metadata", "labels", "app.kubernetes.io/name"))),
                        "Flagger creates the Services of payments");
                assertTrue(docs.stream().filter(d -> List.of("HTTPRoute", "GRPCRoute").contains(d.get("kind")))
                        .noneMatch(r -> "canaries-payments".equals(get(r, "metadata", "name"))), "Flagger creates the HTTPRoute of payments");
                Map<String, Object> canary = named(docs, "Canary", "canaries-payments");
                Map<String, Object> target = map(get(canary, "spec", "targetRef"));
                Map<String, Object> deployment = named(docs, (String) target.get("kind"), (String) target.get("name"));
                Map<String, Object> autoscaler = map(get(canary, "spec", "autoscalerRef"));
                assertEquals("Deployment", get(named(docs, (String) autoscaler.get("kind"), (String) autoscaler.get("name")), "spec", "scaleTargetRef", "kind"));
                assertEquals("gatewayapi:v1", get(canary, "spec", "provider"));
                assertEquals(List.of(Map.of("name", "public", "namespace", "gateway-system")), get(canary, "spec", "service", "gatewayRefs"));
                assertEquals(Map.of("interval", "30s", "threshold", 3, "maxWeight", 60, "stepWeight", 20),
                        Map.of("interval", get(canary, "spec", "analysis", "interval"), "threshold", get(canary, "spec", "analysis", "threshold"),
                                "maxWeight", get(canary, "spec", "analysis", "maxWeight"), "stepWeight", get(canary, "spec", "analysis", "stepWeight")));
                assertEquals(Set.of("request-success-rate", "request-duration"),
                        Set.copyOf(names(list(get(canary, "spec", "analysis", "metrics")))));
                assertEquals(Map.of("app", "canaries-payments"), get(deployment, "spec", "selector", "matchLabels"),
                        "the single selector label Flagger renames in the primary");

                // the primary Flagger makes: the same pod labels but app: <value>-primary
                Map<String, Object> targetPods = map(get(deployment, "spec", "template", "metadata", "labels"));
                Map<String, Object> primaryPods = new TreeMap<>(targetPods);
                primaryPods.put("app", "canaries-payments-primary");
                Map<String, Object> budget = map(get(named(docs, "PodDisruptionBudget", "canaries-payments"), "spec", "selector"));
                assertTrue(NetworkPolicyEvaluator.selects(budget, primaryPods), "the budget covers the primary pods");
                assertSamePolicies(docs, "payments", targetPods, primaryPods);
            }
            assertEquals("ghcr.io/acme/payments:0.9.0", image(named(off, "Deployment", "canaries-payments")));
            assertEquals("ghcr.io/acme/payments:0.10.0", image(named(on, "Deployment", "canaries-payments")), "canary.enabled starts an analysis");
        });
    }

    @Test
    void tracksHaveDisjointSelectorsTheirImagesAndTheStableServiceKeepsCanaryPodsOut() {
        Map<String, String[]> images = Map.of(
                "web", new String[] {"ghcr.io/acme/web:1.0.0", "ghcr.io/acme/web:1.1.0"},
                "api", new String[] {"ghcr.io/acme/api:2.0.0", "ghcr.io/acme/api:2.1.0"},
                "catalog", new String[] {"ghcr.io/acme/catalog:3.0.0", "registry.example.com/acme/catalog-next:3.1.0"},
                "ledger", new String[] {"ghcr.io/acme/ledger:4.0.0", "ghcr.io/acme/ledger:4.0.0"});
        forEachRender((helm, off, on) -> {
            for (var entry : images.entrySet()) {
                String service = entry.getKey();
                String name = "canaries-" + service;
                String kind = service.equals("ledger") ? "StatefulSet" : "Deployment";
                assertTrue(kind(off, kind).stream().noneMatch(d -> (name + "-canary").equals(get(d, "metadata", "name"))), "no canary track when off");
                Map<String, Object> stable = named(on, kind, name);
                Map<String, Object> canary = named(on, kind, name + "-canary");
                Map<String, Object> stablePods = map(get(stable, "spec", "template", "metadata", "labels"));
                Map<String, Object> canaryPods = map(get(canary, "spec", "template", "metadata", "labels"));
                Map<String, Object> stableSelector = map(get(stable, "spec", "selector"));
                Map<String, Object> canarySelector = map(get(canary, "spec", "selector"));
                assertEquals("stable", stablePods.get("castle.dev/track"));
                assertEquals("canary", canaryPods.get("castle.dev/track"));
                assertTrue(NetworkPolicyEvaluator.selects(stableSelector, stablePods) && !NetworkPolicyEvaluator.selects(stableSelector, canaryPods),
                        service + ": the stable selector takes only stable pods");
                assertTrue(NetworkPolicyEvaluator.selects(canarySelector, canaryPods) && !NetworkPolicyEvaluator.selects(canarySelector, stablePods),
                        service + ": the canary selector takes only canary pods");
                assertEquals(entry.getValue()[0], image(stable), service + " stable image");
                assertEquals(entry.getValue()[1], image(canary), service + " canary image");
                assertEquals(image(named(off, kind, name)), image(stable), "the stable track is untouched by the canary");

                Map<String, Object> serviceSelector = map(get(named(on, "Service", name), "spec", "selector"));
                assertTrue(NetworkPolicyEvaluator.selects(Map.of("matchLabels", serviceSelector), stablePods));
                assertEquals(service.equals("catalog"), NetworkPolicyEvaluator.selects(Map.of("matchLabels", serviceSelector), canaryPods),
                        service + ": the stable Service " + (service.equals("catalog") ? "selects both tracks (Istio subsets split them)" : "keeps canary pods out"));
                if (!service.equals("catalog")) {
                    Map<String, Object> canaryService = map(get(named(on, "Service", name + "-canary"), "spec", "selector"));
                    assertTrue(NetworkPolicyEvaluator.selects(Map.of("matchLabels", canaryService), canaryPods)
                            && !NetworkPolicyEvaluator.selects(Map.of("matchLabels", canaryService), stablePods), service + ": the canary Service");
                }
                assertSamePolicies(on, service, stablePods, canaryPods);
            }
            String env = list(get(named(on, "Deployment", "canaries-web-canary"), "spec", "template", "spec", "containers")).toString();
            assertTrue(env.contains("FEATURE_X") && env.contains("canaries-web-canary"), "the canary's env and ConfigMap");
            assertFalse(list(get(named(on, "Deployment", "canaries-web"), "spec", "template", "spec", "containers")).toString().contains("FEATURE_X"));
            Map<String, Object> config = named(on, "ConfigMap", "canaries-web-canary");
            assertEquals(Map.of("THEME", "dark", "GREETING", "hello"), config.get("data"));
            assertEquals(Map.of("THEME", "light", "GREETING", "hello"), named(on, "ConfigMap", "canaries-web").get("data"));
        });
    }

    @Test
    void noSelectorChangesAndRouteObjectsKeepTheirNames() {
        forEachRender((helm, off, on) -> {
            Map<String, Map<String, Object>> before = selectors(off);
            Map<String, Map<String, Object>> after = selectors(on);
            int compared = 0;
            for (var object : before.entrySet()) {
                if (after.containsKey(object.getKey())) {
                    assertEquals(object.getValue(), after.get(object.getKey()), object.getKey() + ": selectors with and without canaries");
                    compared++;
                }
            }
            assertTrue(compared > 40, "objects compared: " + compared);
            Set<String> routesBefore = routeObjects(off);
            Set<String> routesAfter = routeObjects(on);
            assertTrue(routesAfter.containsAll(routesBefore), "every route object keeps its name: " + routesBefore + " " + routesAfter);
            for (String route : routesAfter) {
                String name = route.substring(route.indexOf('/') + 1);
                assertTrue(STRATEGIES.keySet().stream().anyMatch(s -> name.equals("canaries-" + s) || route.startsWith("Ingress/") && name.equals("canaries-" + s + "-canary")),
                        route + " is named after its service");
            }
        });
    }

    @Test
    void valuesSchemaRefusesABadWeightAndAnotherStrategy() {
        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            String weight = run(helm, List.of("web.canary.weight=101")).assertFailed().stderr();
            assertTrue(weight.contains("weight"), weight);
            String strategy = run(helm, List.of("web.canary.strategy=istio")).assertFailed().stderr();
            assertTrue(strategy.contains("strategy"), strategy);
            List<Map<String, Object>> fifty = render(helm, List.of("web.canary.enabled=true", "web.canary.weight=50"));
            assertWeights(map(list(get(named(fifty, "HTTPRoute", "canaries-web"), "spec", "rules")).get(1)).get("backendRefs"),
                    "canaries-web", "canaries-web-canary", 50);
        }
    }

    // --- helpers -------------------------------------------------------------------------------

    interface RenderCheck {
        void check(Path helm, List<Map<String, Object>> off, List<Map<String, Object>> on);
    }

    private static void forEachRender(RenderCheck check) {
        for (Path helm : OFF.keySet()) {
            check.check(helm, OFF.get(helm), ON.get(helm));
        }
    }

    /** Callers reach the other pods exactly as they reach the stable ones, and the other pods reach what the stable ones reach. */
    private static void assertSamePolicies(List<Map<String, Object>> docs, String service, Map<String, Object> stable, Map<String, Object> other) {
        NetworkPolicyEvaluator policies = new NetworkPolicyEvaluator(docs, NAMESPACE);
        NetworkPolicyEvaluator.Pod stablePod = new NetworkPolicyEvaluator.Pod(service, NAMESPACE, stable);
        NetworkPolicyEvaluator.Pod otherPod = new NetworkPolicyEvaluator.Pod(service + "-other", NAMESPACE, other);
        int allowed = 0;
        for (RenderedTraffic.Workload workload : new RenderedTraffic(docs, NAMESPACE).workloads) {
            NetworkPolicyEvaluator.Pod peer = new NetworkPolicyEvaluator.Pod(workload.name(), NAMESPACE, workload.pod().labels());
            for (int port : List.of(80, 8080, 8443, 9090, 9464)) {
                boolean in = policies.allowed(peer, stablePod, port, "TCP");
                boolean out = policies.allowed(stablePod, peer, port, "TCP");
                assertEquals(in, policies.allowed(peer, otherPod, port, "TCP"), peer.name() + " -> " + service + ":" + port);
                assertEquals(out, policies.allowed(otherPod, peer, port, "TCP"), service + " -> " + peer.name() + ":" + port);
                allowed += (in ? 1 : 0) + (out ? 1 : 0);
            }
        }
        assertNotEquals(0, allowed, service + " talks to someone");
    }

    /** Every selector of every object, by kind/name and the path where it sits. */
    private static Map<String, Map<String, Object>> selectors(List<Map<String, Object>> docs) {
        Map<String, Map<String, Object>> all = new TreeMap<>();
        for (Map<String, Object> doc : docs) {
            Map<String, Object> found = new TreeMap<>();
            collect(doc, "", found);
            all.put(doc.get("kind") + "/" + get(doc, "metadata", "name"), found);
        }
        return all;
    }

    private static void collect(Object node, String path, Map<String, Object> found) {
        if (node instanceof Map<?, ?> m) {
            for (var e : m.entrySet()) {
                String key = String.valueOf(e.getKey());
                String at = path + "/" + key;
                if (Set.of("selector", "podSelector", "namespaceSelector", "labelSelector", "subsets").contains(key)) {
                    found.put(at, e.getValue());
                } else {
                    collect(e.getValue(), at, found);
                }
            }
        } else if (node instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                collect(l.get(i), path + "/" + i, found);
            }
        }
    }

    private static Set<String> routeObjects(List<Map<String, Object>> docs) {
        Set<String> routes = new TreeSet<>();
        docs.stream().filter(d -> ROUTE_KINDS.contains(d.get("kind")))
                .forEach(d -> routes.add(d.get("kind") + "/" + get(d, "metadata", "name")));
        return routes;
    }

    private static void assertWeights(Object backendRefs, String stable, String canary, int canaryWeight) {
        Map<String, Integer> weights = new TreeMap<>();
        for (Object ref : list(backendRefs)) {
            weights.put((String) map(ref).get("name"), ((Number) map(ref).get("weight")).intValue());
        }
        assertEquals(Map.of(stable, 100 - canaryWeight, canary, canaryWeight), weights, "weights add up to 100");
    }

    private static List<String> names(List<Object> items) {
        return items.stream().map(i -> (String) map(i).get("name")).toList();
    }

    private static Set<String> hostsAndPaths(Map<String, Object> ingress) {
        Set<String> set = new TreeSet<>();
        for (Object rule : list(get(ingress, "spec", "rules"))) {
            for (Object path : list(get(rule, "http", "paths"))) {
                set.add(map(rule).get("host") + map(path).get("path").toString() + " " + map(path).get("pathType"));
            }
        }
        return set;
    }

    private static String image(Map<String, Object> workload) {
        return (String) map(list(get(workload, "spec", "template", "spec", "containers")).get(0)).get("image");
    }

    private static void assertServicePort(List<Map<String, Object>> docs, String service, int port) {
        assertTrue(list(get(named(docs, "Service", service), "spec", "ports")).stream()
                .anyMatch(p -> ((Number) map(p).get("port")).intValue() == port), service + " has port " + port);
    }

    private static List<Map<String, Object>> kind(List<Map<String, Object>> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    private static Map<String, Object> named(List<Map<String, Object>> docs, String kind, String name) {
        Optional<Map<String, Object>> found = docs.stream().filter(d -> kind.equals(d.get("kind")) && name.equals(get(d, "metadata", "name"))).findFirst();
        return found.orElseThrow(() -> new AssertionError("no " + kind + "/" + name));
    }
}
