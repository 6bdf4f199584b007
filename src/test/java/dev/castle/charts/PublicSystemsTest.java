package dev.castle.charts;

import static dev.castle.charts.PodChecks.get;
import static dev.castle.charts.PodChecks.list;
import static dev.castle.charts.PodChecks.map;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.castle.testing.KubeSchemaValidator;
import dev.castle.testing.Tools;

/**
 * Given each public system of src/test/resources/systems, when Helm renders its chart, then the
 * images find what the real system gives them: a Service by each host name and port their code,
 * configuration files and manifests call, and each variable they read with the real value (the
 * release named after the system, Secret keys shown as {@code <secret name/key>}). The chart checks
 * themselves (Helm 3 and 4, strict validation, pod policy, reachability equal to the declared edges,
 * Kustomize) run on these systems in ChartToolsTest, NetworkReachabilityTest, KustomizeTest and the
 * other tests that take Generation.descriptors().
 */
@Tag("integration")
class PublicSystemsTest {
    private static final Path SYSTEMS = Tools.projectDir().resolve("src/test/resources/systems");

    static Stream<Arguments> systems() throws Exception {
        return Stream.of(
                Arguments.of("podinfo", services("frontend:80 backend:9898 backend:9999 cache:6379 database-replica:3306 database-primary:3306"),
                        Map.of("frontend", Map.of("BACKEND_URL", "http://backend:9898/echo", "CACHE_SERVER", "tcp://cache:6379"),
                                "backend", Map.of("CACHE_SERVER", "tcp://cache:6379"),
                                "warm-cache", Map.of("FRONTEND_URL", "http://frontend:80"))),
                Arguments.of("sock-shop", services("front-end:80 catalogue:80 carts:80 orders:80 payment:80 user:80 shipping:80 queue-master:80 "
                                + "carts-db:27017 orders-db:27017 user-db:27017 catalogue-db:3306 session-db:6379 rabbitmq:5672"),
                        Map.of("user", Map.of("mongo", "user-db:27017"),
                                "catalogue", Map.of("CATALOGUE_DSN", "catalogue_user:<secret catalogue-db/password>@tcp(catalogue-db:3306)/socksdb"),
                                "front-end", Map.of("SESSION_REDIS", "true"))),
                Arguments.of("bookinfo", services("bookinfo-productpage:9080 bookinfo-details:9080 bookinfo-reviews:9080 bookinfo-ratings:9080"),
                        Map.of("productpage", Map.of("DETAILS_HOSTNAME", "bookinfo-details", "DETAILS_SERVICE_PORT", "9080",
                                        "REVIEWS_HOSTNAME", "bookinfo-reviews", "REVIEWS_SERVICE_PORT", "9080"),
                                "reviews", Map.of("RATINGS_HOSTNAME", "bookinfo-ratings", "RATINGS_SERVICE_PORT", "9080", "LOG_DIR", "/tmp/logs"))),
                Arguments.of("social-network", socialNetworkServices(),
                        Map.of("nginx-thrift", Map.of("fqdn_suffix", ".<field metadata.namespace>.svc.cluster.local"),
                                "media-frontend", Map.of("fqdn_suffix", ".<field metadata.namespace>.svc.cluster.local"))),
                // the Services of deployment/kubernetes-manifests/quickstart-k8s: the names and ports the code and nginx.conf call
                Arguments.of("train-ticket", services("""
                        ts-admin-basic-info-service:18767 ts-admin-order-service:16112 ts-admin-route-service:16113
                        ts-admin-travel-service:16114 ts-admin-user-service:16115 ts-assurance-mongo:27017 ts-assurance-service:18888
                        ts-auth-mongo:27017 ts-auth-service:12340 ts-avatar-service:17001 ts-basic-service:15680
                        ts-cancel-service:18885 ts-config-mongo:27017 ts-config-service:15679 ts-consign-mongo:27017
                        ts-consign-price-mongo:27017 ts-consign-price-service:16110 ts-consign-service:16111 ts-contacts-mongo:27017
                        ts-contacts-service:12347 ts-execute-service:12386 ts-food-map-mongo:27017 ts-food-map-service:18855
                        ts-food-mongo:27017 ts-food-service:18856 ts-inside-payment-mongo:27017 ts-inside-payment-service:18673
                        ts-news-service:12862 ts-notification-service:17853 ts-order-mongo:27017 ts-order-other-mongo:27017
                        ts-order-other-service:12032 ts-order-service:12031 ts-payment-mongo:27017 ts-payment-service:19001
                        ts-preserve-other-service:14569 ts-preserve-service:14568 ts-price-mongo:27017 ts-price-service:16579
                        ts-rebook-service:18886 ts-route-mongo:27017 ts-route-plan-service:14578 ts-route-service:11178
                        ts-seat-service:18898 ts-security-mongo:27017 ts-security-service:11188 ts-station-mongo:27017
                        ts-station-service:12345 ts-ticket-office-mongo:27017 ts-ticket-office-service:16108
                        ts-ticketinfo-service:15681 ts-train-mongo:27017 ts-train-service:14567 ts-travel-mongo:27017
                        ts-travel-plan-service:14322 ts-travel-service:12346 ts-travel2-mongo:27017 ts-travel2-service:16346
                        ts-ui-dashboard:8080 ts-user-mongo:27017 ts-user-service:12342 ts-verification-code-service:15678
                        ts-voucher-mysql:3306 ts-voucher-service:16101"""),
                        // the voucher service logs in as root with the password in its code: root's password from the Secret, from any host
                        Map.of("ts-voucher-mysql", Map.of("MYSQL_ROOT_PASSWORD", "<secret ts-voucher-mysql/root-password>", "MYSQL_ROOT_HOST", "%"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("systems")
    void theImagesFindWhatTheRealSystemGivesThem(String system, List<String> services, Map<String, Map<String, String>> variables,
                                                 @TempDir Path out) {
        List<Map<String, Object>> docs = render(system, out);
        TreeSet<String> rendered = new TreeSet<>();
        for (Map<String, Object> doc : docs) {
            if ("Service".equals(doc.get("kind"))) {
                for (Object port : list(get(doc, "spec", "ports"))) {
                    rendered.add(get(doc, "metadata", "name") + ":" + get(port, "port") + "/" + map(port).getOrDefault("protocol", "TCP"));
                }
            }
        }
        List<String> missing = services.stream().filter(s -> !rendered.contains(s)).toList();
        assertEquals(List.of(), missing, "Services the real system's images call, of " + rendered);
        Map<String, Map<String, String>> expected = new TreeMap<>();
        Map<String, Map<String, String>> actual = new TreeMap<>();
        variables.forEach((service, vars) -> {
            expected.put(service, new TreeMap<>(vars));
            Map<String, String> env = RenderedEnv.of(docs, service);
            Map<String, String> got = new TreeMap<>();
            vars.keySet().forEach(name -> got.put(name, env.get(name)));
            actual.put(service, got);
        });
        assertEquals(expected, actual, "the variables the images read");
    }

    @Test
    void bookinfoRunsThreeReviewsVersionsBehindOneServiceAndItsProductPageRoute(@TempDir Path out) {
        List<Map<String, Object>> docs = render("bookinfo", out);
        Map<String, String> images = new TreeMap<>();
        for (Map<String, Object> doc : docs) {
            Object pod = get(doc, "spec", "template", "metadata", "labels");
            if ("Deployment".equals(doc.get("kind")) && "reviews".equals(get(pod, "app.kubernetes.io/name"))) {
                images.put(get(pod, "version") + "", get(list(get(doc, "spec", "template", "spec", "containers")).get(0), "image") + "");
            }
        }
        assertEquals(Map.of("v1", "registry.istio.io/release/examples-bookinfo-reviews-v1:1.20.3",
                "v2", "registry.istio.io/release/examples-bookinfo-reviews-v2:1.20.3",
                "v3", "registry.istio.io/release/examples-bookinfo-reviews-v3:1.20.3"), images, "the reviews Deployments by version");
        assertEquals(null, get(Generation.named(docs, "Service", "bookinfo-reviews"), "spec", "selector", "version"),
                "the one Service reviews selects every version");
        Map<String, Object> route = Generation.named(docs, "HTTPRoute", "bookinfo-reviews-versions");
        assertEquals("bookinfo-reviews", get(list(get(route, "spec", "parentRefs")).get(0), "name"), "routed for callers of the Service");
        List<Object> rules = list(get(route, "spec", "rules"));
        assertEquals(List.of(Map.of("name", "end-user", "value", "jason")), get(list(get(rules.get(0), "matches")).get(0), "headers"));
        assertEquals(List.of("bookinfo-reviews-v2:null"), backends(rules.get(0)), "jason sees v2");
        assertEquals(List.of("bookinfo-reviews-v1:50", "bookinfo-reviews-v2:0", "bookinfo-reviews-v3:50"), backends(rules.get(1)),
                "everybody else: half v1, half v3");
        // the product page's catch-all route, as gateway-api/bookinfo-gateway.yaml matches it
        List<String> matches = list(get(list(get(Generation.named(docs, "HTTPRoute", "bookinfo-productpage"), "spec", "rules")).get(0), "matches"))
                .stream().map(m -> get(m, "path", "type") + " " + get(m, "path", "value")).toList();
        assertEquals(List.of("Exact /productpage", "PathPrefix /static", "Exact /login", "Exact /logout", "PathPrefix /api/v1/products"), matches);
        assertEquals(null, get(Generation.named(docs, "HTTPRoute", "bookinfo-productpage"), "spec", "hostnames"), "no host names");
        // only v2 and v3 call ratings: only their pods reach it
        NetworkPolicyEvaluator policies = new NetworkPolicyEvaluator(docs, "bookinfo");
        NetworkPolicyEvaluator.Pod ratings = new NetworkPolicyEvaluator.Pod("ratings", "bookinfo", map(get(Generation.named(docs, "Deployment",
                "bookinfo-ratings"), "spec", "template", "metadata", "labels")));
        Map<String, Boolean> reach = new TreeMap<>();
        for (String version : List.of("v1", "v2", "v3")) {
            NetworkPolicyEvaluator.Pod reviews = new NetworkPolicyEvaluator.Pod("reviews-" + version, "bookinfo", map(get(Generation.named(docs,
                    "Deployment", "bookinfo-reviews-" + version), "spec", "template", "metadata", "labels")));
            reach.put(version, policies.allowed(reviews, ratings, 9080, "TCP"));
        }
        assertEquals(Map.of("v1", false, "v2", true, "v3", true), reach, "reviews versions that reach ratings");
    }

    @Test
    void socialNetworkSharesOneConfigAmongTheElevenCppServicesItsFrontEndsCloneFromGitHubItsRedisStoresReadRedisConf(@TempDir Path out) {
        List<Map<String, Object>> docs = render("social-network", out);
        assertEquals(List.of(), docs.stream().filter(d -> "ConfigMap".equals(d.get("kind")) && map(get(d, "data")).containsKey("service-config.json"))
                .toList(), "service-config.json, with the login tokens' key, is in no ConfigMap");
        assertEquals(List.of("jaeger-config.yml"), List.copyOf(map(get(Generation.named(docs, "ConfigMap", "social-network-social"), "data")).keySet()));
        String dir = "/social-network-microservices/config/";
        Map<String, Map<String, String>> files = new TreeMap<>();
        for (Map<String, Object> doc : docs) {
            if ("Deployment".equals(doc.get("kind"))) {
                files.put((String) get(doc, "spec", "template", "metadata", "labels", "app.kubernetes.io/name"), PodChecks.fileMounts(doc));
            }
        }
        TreeSet<String> readers = new TreeSet<>();
        files.forEach((service, mounts) -> {
            if (mounts.containsKey(dir + "service-config.json")) {
                assertEquals("secret social-network-config, key service-config.json", mounts.get(dir + "service-config.json"), service);
                assertEquals("configMap social-network-social, key jaeger-config.yml", mounts.get(dir + "jaeger-config.yml"), service);
                readers.add(service);
            }
        });
        assertEquals(new TreeSet<>(List.of("compose-post-service", "home-timeline-service", "media-service", "post-storage-service",
                "social-graph-service", "text-service", "unique-id-service", "url-shorten-service", "user-mention-service", "user-service",
                "user-timeline-service")), readers, "the C++ services that read both files where their binaries read them");

        // the front ends: their own nginx.conf over the image's, the cluster DNS as resolver; nginx-thrift's tracer and token key
        String openresty = "/usr/local/openresty/nginx/";
        Map<String, String> thrift = files.get("nginx-thrift");
        assertEquals("configMap social-network-nginx-thrift, key nginx.conf", thrift.get(openresty + "conf/nginx.conf"));
        assertEquals("configMap social-network-nginx-thrift, key jaeger-config.json", thrift.get(openresty + "jaeger-config.json"));
        assertEquals("secret social-network-config, key service-config.json", thrift.get(openresty + "service-config.json"));
        assertEquals("configMap social-network-media-frontend, key nginx.conf", files.get("media-frontend").get(openresty + "conf/nginx.conf"));
        String nginx = (String) get(Generation.named(docs, "ConfigMap", "social-network-nginx-thrift"), "data", "nginx.conf");
        for (String path : List.of("/api/user/register", "/api/user/login", "/api/user/follow", "/api/user/unfollow", "/api/user/get_follower",
                "/api/user/get_followee", "/api/post/compose", "/api/user-timeline/read", "/api/home-timeline/read", "/wrk2-api/user/register",
                "/wrk2-api/user/follow", "/wrk2-api/user/unfollow", "/wrk2-api/post/compose", "/wrk2-api/user-timeline/read",
                "/wrk2-api/home-timeline/read")) {
            assertEquals(true, nginx.contains("location " + path + " { content_by_lua_block { require(\"" + path.substring(1) + "\")."),
                    "nginx-thrift answers " + path + " with its Lua handler");
        }
        assertEquals(true, nginx.contains("opentracing_load_tracer /usr/local/lib/libjaegertracing_plugin.so " + openresty + "jaeger-config.json;"));
        assertEquals(true, nginx.contains("io.open(\"" + openresty + "service-config.json\""), "the token key from the mounted Secret");
        String media = (String) get(Generation.named(docs, "ConfigMap", "social-network-media-frontend"), "data", "nginx.conf");
        for (String conf : List.of(nginx, media)) {
            assertEquals(true, conf.contains("resolver kube-dns.kube-system.svc.cluster.local valid=10s ipv6=off;"), "the cluster DNS");
            assertEquals(true, conf.contains("env fqdn_suffix;"), "the handlers' suffix of the services' names");
        }
        String tracer = (String) get(Generation.named(docs, "ConfigMap", "social-network-nginx-thrift"), "data", "jaeger-config.json");
        assertEquals(true, tracer.contains("\"localAgentHostPort\": \"jaeger:6831\""), tracer);
        assertEquals(true, list(get(Generation.named(docs, "Service", "jaeger"), "spec", "ports")).stream()
                .anyMatch(port -> Integer.valueOf(6831).equals(get(port, "port")) && "UDP".equals(get(port, "protocol"))), "Jaeger's agent, as named there");
        TreeSet<String> toGitHub = new TreeSet<>();
        for (Map<String, Object> doc : docs) {
            if ("NetworkPolicy".equals(doc.get("kind"))) {
                for (Object rule : list(get(doc, "spec", "egress"))) {
                    for (Object to : list(get(rule, "to"))) {
                        // github.com's address lies in 140.82.112.0/20
                        if ("140.82.112.0/20".equals(get(to, "ipBlock", "cidr"))) {
                            assertEquals(List.of(Map.of("port", 443, "protocol", "TCP")), get(rule, "ports"), "HTTPS only");
                            toGitHub.add((String) get(doc, "spec", "podSelector", "matchLabels", "app.kubernetes.io/name"));
                        }
                    }
                }
            }
        }
        assertEquals(new TreeSet<>(List.of("media-frontend", "nginx-thrift")), toGitHub, "the pods whose init container clones DeathStarBench");
        for (String redis : List.of("home-timeline-redis", "social-graph-redis", "user-timeline-redis")) {
            Object server = list(get(Generation.named(docs, "StatefulSet", "social-network-" + redis), "spec", "template", "spec", "containers")).get(0);
            assertEquals("/usr/local/etc/redis/redis.conf", list(get(server, "args")).get(0), redis + " reads its redis.conf");
            assertEquals(true, ((String) get(Generation.named(docs, "ConfigMap", "social-network-" + redis + "-server"), "data", "redis.conf"))
                    .contains("io-threads 8"), redis + ": eight I/O threads");
        }
    }

    @Test
    void podinfosCacheRunsWithItsRedisConfAndItsWorkloadsRollAsTheRealOnes(@TempDir Path out) {
        List<Map<String, Object>> docs = render("podinfo", out);
        String conf = (String) get(Generation.named(docs, "ConfigMap", "podinfo-cache-server"), "data", "redis.conf");
        List<String> settings = conf.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertEquals(List.of("maxmemory 64mb", "maxmemory-policy allkeys-lru", "save \"\"", "appendonly no"), settings);
        Object cache = list(get(Generation.named(docs, "StatefulSet", "podinfo-cache"), "spec", "template", "spec", "containers")).get(0);
        assertEquals("/usr/local/etc/redis/redis.conf", list(get(cache, "args")).get(0), "redis-server reads the file");
        for (String name : List.of("frontend", "backend", "database-replica")) {
            Object spec = get(Generation.named(docs, "Deployment", "podinfo-" + name), "spec");
            assertEquals(List.of(3, 60, 5, 0), List.of(get(spec, "minReadySeconds"), get(spec, "progressDeadlineSeconds"), get(spec, "revisionHistoryLimit"),
                    get(spec, "strategy", "rollingUpdate", "maxUnavailable")), name + " rolls as the real Deployment");
        }
        Object primary = get(Generation.named(docs, "StatefulSet", "podinfo-database-primary"), "spec");
        assertEquals(List.of(3, 5), List.of(get(primary, "minReadySeconds"), get(primary, "revisionHistoryLimit")), "the primary rolls as the real one");
    }

    @Test
    void sockShopsRabbitMqRunsTheRealVersionWithItsExporterScrapedByAnnotation(@TempDir Path out) {
        List<Map<String, Object>> docs = render("sock-shop", out);
        Map<String, Object> rabbitmq = Generation.named(docs, "StatefulSet", "sock-shop-rabbitmq");
        Object annotations = get(rabbitmq, "spec", "template", "metadata", "annotations");
        assertEquals(List.of("true", "9419", "/metrics"), List.of(get(annotations, "prometheus.io/scrape"), get(annotations, "prometheus.io/port"),
                get(annotations, "prometheus.io/path")), "the pod asks Prometheus to scrape it");
        Object server = list(get(rabbitmq, "spec", "template", "spec", "containers")).get(0);
        assertEquals("docker.io/library/rabbitmq:3.6.8-management", get(server, "image"), "the real version");
        assertEquals(null, get(server, "env"), "no RABBITMQ_DEFAULT_*: the 3.6 entrypoint would write them into the read-only rabbitmq.config");
        assertEquals(true, list(get(server, "volumeMounts")).stream().anyMatch(m -> "/etc/rabbitmq/rabbitmq.config".equals(get(m, "mountPath"))),
                "castle's rabbitmq.config (Erlang terms) is where the 3.6 image reads it");
        Object configMap = Generation.named(docs, "ConfigMap", "sock-shop-rabbitmq");
        assertEquals(Map.of("rabbitmq.config", "[ { rabbit, [ { loopback_users, [ ] }, { vm_memory_high_watermark, { absolute, 429496729 } } ] } ].\n"),
                get(configMap, "data"), "guest from the callers, as the 3.6.8 image's own file; 40% of the 1Gi limit, which 3.6 does not see");
        assertEquals(List.of("rabbitmqctl", "-q", "status"), get(server, "livenessProbe", "exec", "command"), "3.6 has no rabbitmq-diagnostics");
        Object exporter = list(get(rabbitmq, "spec", "template", "spec", "initContainers")).stream()
                .filter(c -> "exporter".equals(get(c, "name"))).findFirst().orElseThrow();
        assertEquals("docker.io/kbudde/rabbitmq-exporter:1.0.0", get(exporter, "image"), "the exporter beside the server, as the real pod");
        assertEquals(true, list(get(exporter, "ports")).contains(Map.of("name", "metrics", "containerPort", 9419, "protocol", "TCP")),
                "the exporter serves the metrics");
        Map<Object, Object> env = new java.util.TreeMap<>();
        list(get(exporter, "env")).forEach(e -> env.put(get(e, "name"), get(e, "value")));
        assertEquals(Map.of("PUBLISH_PORT", "9419", "RABBIT_CAPABILITIES", "no_sort", "RABBIT_PASSWORD", "guest", "RABBIT_URL", "http://127.0.0.1:15672",
                "RABBIT_USER", "guest"), env, "it reads the management API on localhost as guest, in JSON (BERT only from 3.6.9)");
        assertEquals(true, list(get(Generation.named(docs, "Service", "rabbitmq"), "spec", "ports")).stream().anyMatch(p -> "metrics".equals(get(p, "name"))),
                "the metrics port on the Service rabbitmq");
        assertEquals(true, list(get(Generation.named(docs, "NetworkPolicy", "sock-shop-rabbitmq"), "spec", "ingress")).stream()
                .anyMatch(r -> list(get(r, "ports")).contains(Map.of("port", 9419, "protocol", "TCP"))
                        && list(get(r, "from")).stream().allMatch(f -> get(f, "namespaceSelector") != null)), "Prometheus's namespace reaches it");
    }

    @Test
    void trainTicketsVoucherStoreRunsMysql56(@TempDir Path out) {
        List<Map<String, Object>> docs = render("train-ticket", out);
        Object server = list(get(Generation.named(docs, "StatefulSet", "train-ticket-ts-voucher-mysql"), "spec", "template", "spec", "containers")).get(0);
        assertEquals("docker.io/library/mysql:5.6.35", get(server, "image"), "the real version");
        assertEquals(List.of("--datadir=/var/lib/mysql/data"), get(server, "args"), "mysql_install_db initializes a subdirectory of the volume");
    }

    private static List<String> backends(Object rule) {
        return list(get(rule, "backendRefs")).stream().map(b -> get(b, "name") + ":" + get(b, "weight")).toList();
    }

    private static List<Map<String, Object>> render(String system, Path out) {
        Path chart = Generation.generate(SYSTEMS.resolve(system).resolve("castle.yaml"), out);
        return KubeSchemaValidator.documents(Tools.run(out, Tools.helm4().toString(), "template", system,
                chart.toString(), "--namespace", system).assertOk().stdout());
    }

    /** name:port (TCP) or name:port/PROTOCOL, separated by white space. */
    private static List<String> services(String text) {
        return Arrays.stream(text.trim().split("\\s+")).map(s -> s.contains("/") ? s : s + "/TCP").toList();
    }

    /** Every peer of the services' service-config.json, by the address and port they read there, and the Jaeger agent. */
    private static List<String> socialNetworkServices() throws Exception {
        JsonNode config = new ObjectMapper().readTree(Files.readString(SYSTEMS.resolve("social-network/config/service-config.json")));
        List<String> services = new ArrayList<>(List.of("jaeger:6831/UDP", "nginx-thrift:8080/TCP", "media-frontend:8081/TCP"));
        config.fields().forEachRemaining(e -> {
            if (e.getValue().has("addr")) {
                services.add(e.getValue().get("addr").asText() + ":" + e.getValue().get("port").asInt() + "/TCP");
            }
        });
        return services;
    }
}
