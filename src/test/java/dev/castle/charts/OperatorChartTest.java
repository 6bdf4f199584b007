package dev.castle.charts;

import static dev.castle.charts.OperatorFixtures.Variable;
import static dev.castle.charts.OperatorFixtures.name;
import static dev.castle.charts.OperatorFixtures.ofKind;
import static dev.castle.charts.PodChecks.get;
import static dev.castle.charts.PodChecks.list;
import static dev.castle.charts.PodChecks.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.castle.cli.Pipeline;
import dev.castle.model.Quantity;
import dev.castle.model.SystemModel;
import dev.castle.testing.KubeSchemaValidator;
import dev.castle.testing.Tools;

/**
 * Given a descriptor with every operator castle knows and a Crossplane claim
 * (descriptors/valid/operators.yaml), when Helm 3 and Helm 4 render the chart for a cluster that
 * serves the operators' APIs, then every custom resource validates strictly against the
 * operator's CRD schema (the claim, whose schema the cluster defines, as an object); nothing is
 * rendered for a cluster without the APIs unless forced; every caller's variables point at the
 * Services and the Secret names and keys each operator documents ({@link OperatorFixtures}), its
 * start-up waits too; the network policies let exactly the declared callers reach the operators'
 * pods (by the labels the operators give them) on their client ports; and the namespace quota
 * counts the pods and claims the operators create.
 */
@Tag("integration")
class OperatorChartTest {
    private static final Path DESCRIPTOR = Tools.projectDir().resolve("src/test/resources/descriptors/valid/operators.yaml");
    private static final String RELEASE = "rel";
    /** The namespace the release is rendered in (the pods of {@link RenderedTraffic} are there). */
    private static final String NAMESPACE = "shopns";
    private static final String CLAIM_API = "database.example.org/v1alpha1/MySQLInstance";

    @TempDir
    static Path out;
    static Path chart;
    static SystemModel model;
    static Set<String> claimKinds;

    @BeforeAll
    static void generate() throws Exception {
        model = Pipeline.model(DESCRIPTOR);
        chart = Generation.generate(DESCRIPTOR, out);
        claimKinds = OperatorFixtures.claimKinds(model);
    }

    static String render(Path helm, List<String> extra) {
        List<String> command = new ArrayList<>(List.of(helm.toString(), "template", RELEASE, chart.toString(), "--namespace", NAMESPACE));
        command.addAll(extra);
        return Tools.run(out, command).assertOk().stdout();
    }

    static List<Map<String, Object>> renderWithApis(Path helm) {
        return KubeSchemaValidator.documents(render(helm, OperatorFixtures.apiVersions(CLAIM_API)));
    }

    private static final List<String> OPERATOR_KINDS = List.of("Cluster", "Pooler", "ScheduledBackup", "Kafka", "KafkaNodePool",
            "KafkaTopic", "KafkaUser", "RabbitmqCluster", "MongoDBCommunity", "MySQLInstance");

    private static Map<String, Integer> kindCounts(List<Map<String, Object>> docs) {
        Map<String, Integer> counts = new TreeMap<>();
        docs.stream().map(d -> (String) d.get("kind")).filter(OPERATOR_KINDS::contains).forEach(k -> counts.merge(k, 1, Integer::sum));
        return counts;
    }

    @Test
    void everyCustomResourceValidatesStrictlyWithHelm3And4() {
        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            Tools.Result lint = Tools.run(out, helm.toString(), "lint", "--strict", chart.toString()).assertOk();
            assertFalse(lint.stdout().contains("[WARNING]"), helm + " lint --strict warned:\n" + lint.stdout());
            String rendered = render(helm, OperatorFixtures.apiVersions(CLAIM_API));
            KubeSchemaValidator.shared().assertValid(rendered, claimKinds);
            List<Map<String, Object>> docs = KubeSchemaValidator.documents(rendered);
            assertEquals(Map.of("Cluster", 2, "Pooler", 1, "ScheduledBackup", 1, "Kafka", 1, "KafkaNodePool", 1, "KafkaTopic", 2,
                    "KafkaUser", 2, "RabbitmqCluster", 1, "MongoDBCommunity", 1, "MySQLInstance", 1), kindCounts(docs), helm + ": resources");
            assertEquals(List.of(), new PodChecks(docs).check(), helm + ": the services' pods");
            Map<String, Object> claim = ofKind(docs, "MySQLInstance").get(0);
            assertEquals(Map.of("storageGB", 20, "version", "8.0", "tier", Map.of("class", "small")), get(claim, "spec", "parameters"));
            assertEquals("mysql-aws", get(claim, "spec", "compositionRef", "name"));
            assertEquals(Map.of("provider", "aws"), get(claim, "spec", "compositionSelector", "matchLabels"));
            // the user's password: made once in the cluster by the credentials Job, never written in a manifest
            assertTrue(ofKind(docs, "Secret").isEmpty(), "no Secret holds a password");
            Map<String, Object> job = ofKind(docs, "Job").stream().filter(j -> name(j).equals(RELEASE + "-catalog-db-credentials"))
                    .findFirst().orElseThrow(() -> new AssertionError("the MongoDB user's credentials Job"));
            Map<String, Variable> jobEnv = OperatorFixtures.variables(map(list(get(job, "spec", "template", "spec", "containers")).get(0)));
            Map<String, Object> mongoUser = map(list(get(ofKind(docs, "MongoDBCommunity").get(0), "spec", "users")).get(0));
            assertEquals(Variable.literal((String) get(mongoUser, "passwordSecretRef", "name")), jobEnv.get("SECRET_NAME"),
                    "the operator reads the Secret the Job makes");
        }
    }

    @Test
    void resourcesAppearOnlyWhenTheClusterServesTheirApiOrWhenForced() {
        Path helm = Tools.helm4();
        assertEquals(Map.of(), kindCounts(KubeSchemaValidator.documents(render(helm, List.of()))), "a cluster without the operators");
        List<String> forced = new ArrayList<>();
        for (String chartName : List.of("orders-db-operator", "accounts-db-operator", "events-operator", "jobs-operator",
                "catalog-db-operator", "ledger-claim")) {
            forced.addAll(List.of("--set", chartName + ".force=true"));
        }
        String rendered = render(helm, forced);
        KubeSchemaValidator.shared().assertValid(rendered, claimKinds);
        assertEquals(10, kindCounts(KubeSchemaValidator.documents(rendered)).size(), "every kind, forced");
        List<Map<String, Object>> v1 = KubeSchemaValidator.documents(render(helm, List.of("--api-versions", "kafka.strimzi.io/v1/Kafka")));
        List<String> strimzi = v1.stream().filter(d -> String.valueOf(d.get("apiVersion")).startsWith("kafka.strimzi.io/"))
                .map(d -> d.get("kind") + " " + d.get("apiVersion")).sorted().distinct().toList();
        assertEquals(List.of("Kafka kafka.strimzi.io/v1", "KafkaNodePool kafka.strimzi.io/v1", "KafkaTopic kafka.strimzi.io/v1",
                "KafkaUser kafka.strimzi.io/v1"), strimzi, "Strimzi 1.x serves kafka.strimzi.io/v1 only");
        assertTrue(v1.stream().noneMatch(d -> "Cluster".equals(d.get("kind"))), "only the API the cluster serves");
    }

    @Test
    void callersReadTheServicesAndSecretsTheOperatorsDocument() {
        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            List<Map<String, Object>> docs = renderWithApis(helm);
            String ledgerSecret = OperatorFixtures.connectionSecret(docs, "ledger", claimKinds);
            Map<String, Object> ledgerClaim = ofKind(docs, "MySQLInstance").get(0);
            assertEquals(RELEASE + "-ledger-connection", ledgerSecret);
            assertEquals(RELEASE + "-ledger", name(ledgerClaim));

            Map<String, Variable> api = OperatorFixtures.variables(container(docs, "api"));
            Map<String, Variable> expected = new TreeMap<>();
            expected.putAll(OperatorFixtures.expectedVariables(docs, "api", "orders-db", "ORDERS_DB", Map.of()));
            expected.putAll(OperatorFixtures.expectedVariables(docs, "api", "accounts-db", "ACCOUNTS_DB", Map.of()));
            expected.putAll(OperatorFixtures.expectedVariables(docs, "api", "events", "EVENTS", Map.of()));
            expected.putAll(OperatorFixtures.expectedVariables(docs, "api", "jobs", "JOBS", Map.of()));
            expected.putAll(OperatorFixtures.expectedVariables(docs, "api", "catalog-db", "CATALOG_DB", Map.of()));
            expected.put("LEDGER_HOST", Variable.fromSecret(ledgerSecret, "address"));
            expected.put("LEDGER_USERNAME", Variable.fromSecret(ledgerSecret, "user"));
            expected.put("LEDGER_PASSWORD", Variable.fromSecret(ledgerSecret, "pass"));
            expected.put("LEDGER_PORT", Variable.literal("3306"));
            assertEquals(27, expected.size(), "every operator wired");
            expected.forEach((variable, value) -> assertEquals(value, api.get(variable), helm + ": api's " + variable));
            assertEquals(Variable.literal("postgresql://" + RELEASE + "-orders-db-pooler:5432/orders"), api.get("ORDERS_DB_URL"));
            assertEquals(Variable.literal(RELEASE + "-events-kafka-bootstrap:9092"), api.get("EVENTS_URL"));
            assertEquals(Variable.literal("amqp://" + RELEASE + "-jobs:5672/reports"), api.get("JOBS_URL"));
            assertEquals(Variable.literal("mongodb://" + RELEASE + "-catalog-db-svc:27017/Catalog_Data?replicaSet=" + RELEASE + "-catalog-db"),
                    api.get("CATALOG_DB_URL"));
            assertEquals(Variable.literal("mysql://$(LEDGER_HOST):3306/ledger"), api.get("LEDGER_URL"));
            List<String> order = list(container(docs, "api").get("env")).stream().map(e -> (String) map(e).get("name")).toList();
            assertTrue(order.indexOf("LEDGER_HOST") < order.indexOf("LEDGER_URL"), "$(LEDGER_HOST) is defined before LEDGER_URL: " + order);

            Map<String, Variable> worker = OperatorFixtures.variables(container(docs, "worker"));
            Map<String, Variable> workerExpected = new TreeMap<>(OperatorFixtures.expectedVariables(docs, "worker", "events", "EVENTS", Map.of()));
            workerExpected.putAll(OperatorFixtures.expectedVariables(docs, "worker", "jobs", "JOBS",
                    Map.of("username", "BROKER_USER", "password", "BROKER_PASSWORD")));
            workerExpected.forEach((variable, value) -> assertEquals(value, worker.get(variable), helm + ": worker's " + variable));
            assertEquals(Variable.literal("amqp://" + RELEASE + "-jobs:5672/reports"), worker.get("BROKER_URL"));

            Map<String, Variable> waits = waits(docs, "api");
            assertEquals(Variable.literal(RELEASE + "-orders-db-pooler"), waits.get("orders-db"));
            assertEquals(Variable.literal(RELEASE + "-accounts-db-rw"), waits.get("accounts-db"));
            assertEquals(Variable.literal(RELEASE + "-events-kafka-bootstrap"), waits.get("events"));
            assertEquals(Variable.literal(RELEASE + "-jobs"), waits.get("jobs"));
            assertEquals(Variable.literal(RELEASE + "-catalog-db-svc"), waits.get("catalog-db"));
            assertEquals(Variable.fromSecret(ledgerSecret, "address"), waits.get("ledger"), "the claim's host, from its Secret");

            Map<String, Object> user = ofKind(docs, "KafkaUser").stream().filter(u -> name(u).equals(RELEASE + "-events-api")).findFirst().orElseThrow();
            Set<String> topics = new TreeSet<>();
            for (Object acl : list(get(user, "spec", "authorization", "acls"))) {
                if ("topic".equals(get(map(acl), "resource", "type"))) {
                    topics.add((String) get(map(acl), "resource", "name"));
                }
            }
            assertEquals(Set.of("orders.created", "audit_log"), topics, "api may use the topics it declares");
            assertEquals(Set.of("orders.created", "audit_log"), Set.copyOf(ofKind(docs, "KafkaTopic").stream()
                    .map(t -> (String) get(t, "spec", "topicName")).toList()));
            Map<String, Object> created = ofKind(docs, "KafkaTopic").stream().filter(t -> "orders.created".equals(get(t, "spec", "topicName")))
                    .findFirst().orElseThrow();
            assertEquals(6, get(created, "spec", "partitions"));
            assertEquals(Map.of("retention.ms", 604800000, "cleanup.policy", "delete"), get(created, "spec", "config"));
        }
    }

    private static Map<String, Object> workload(List<Map<String, Object>> docs, String service) {
        return docs.stream().filter(d -> "Deployment".equals(d.get("kind")) && name(d).equals(RELEASE + "-" + service)).findFirst()
                .orElseThrow(() -> new AssertionError("no Deployment " + service));
    }

    private static Map<String, Object> container(List<Map<String, Object>> docs, String service) {
        return map(list(get(workload(docs, service), "spec", "template", "spec", "containers")).get(0));
    }

    /** The HOST each start-up wait connects to, by dependency. */
    private static Map<String, Variable> waits(List<Map<String, Object>> docs, String service) {
        Map<String, Variable> waits = new TreeMap<>();
        for (Object c : list(get(workload(docs, service), "spec", "template", "spec", "initContainers"))) {
            Map<String, Object> init = map(c);
            waits.put(((String) init.get("name")).replaceFirst("^wait-for-", ""), OperatorFixtures.variables(init).get("HOST"));
        }
        return waits;
    }

    @Test
    void policiesAdmitExactlyTheDeclaredCallersOnTheOperatorsPods() {
        List<Map<String, Object>> docs = renderWithApis(Tools.helm4());
        assertReachability(model, docs);
        Map<String, Object> kafka = ofKind(docs, "Kafka").get(0);
        List<Object> peers = list(get(map(list(get(kafka, "spec", "kafka", "listeners")).get(0)), "networkPolicyPeers"));
        Set<String> admitted = new TreeSet<>();
        for (RenderedTraffic.Workload w : new RenderedTraffic(docs, NAMESPACE).workloads) {
            for (Object peer : peers) {
                if (NetworkPolicyEvaluator.selects(map(map(peer).get("podSelector")), w.pod().labels())) {
                    admitted.add(w.name());
                }
            }
        }
        assertEquals(Set.of("api", "worker"), admitted, "Strimzi's listener policy admits the services with a KafkaUser");
    }

    /**
     * Every castle pod may reach an operator's pod on a port exactly when it depends on that
     * component and the port is the component's client port; no castle policy isolates the
     * operators' pods; pods of another release's clusters are out of reach; a claim is reached at
     * its cidr on its port only.
     */
    static void assertReachability(SystemModel system, List<Map<String, Object>> docs) {
        NetworkPolicyEvaluator policies = new NetworkPolicyEvaluator(docs, NAMESPACE);
        List<RenderedTraffic.Workload> castlePods = new RenderedTraffic(docs, NAMESPACE).workloads;
        List<OperatorFixtures.OperatorPod> operatorPods = OperatorFixtures.pods(docs);
        assertFalse(operatorPods.isEmpty());
        List<OperatorFixtures.OperatorPod> strangers = new ArrayList<>();
        for (OperatorFixtures.OperatorPod pod : operatorPods) {
            Map<String, Object> labels = new LinkedHashMap<>();
            pod.labels().forEach((k, v) -> labels.put(k, String.valueOf(v).replace(RELEASE + "-", "other-")
                    .replace(system.metadata().name() + "-", "other-")));
            strangers.add(new OperatorFixtures.OperatorPod(pod.component(), pod.role() + " of another release", labels, pod.ports()));
        }
        Map<String, Integer> clientPort = Map.of("postgres instance", 5432, "pgbouncer", 5432, "kafka node", 9092,
                "rabbitmq node", 5672, "mongod", 27017);
        Set<String> expected = new TreeSet<>();
        Set<String> actual = new TreeSet<>();
        for (RenderedTraffic.Workload from : castlePods) {
            var caller = system.service(from.name());
            for (OperatorFixtures.OperatorPod to : operatorPods) {
                boolean calls = caller.map(s -> s.dependsOn().stream().anyMatch(d -> d.name().equals(to.component()))).orElse(false);
                boolean served = system.infrastructure(to.component()).map(i -> !(i.type() == dev.castle.model.Infrastructure.Type.postgresql
                        && i.operator().pooler().isPresent()) || to.role().equals("pgbouncer")).orElse(false);
                for (int port : to.ports()) {
                    String edge = from.name() + " -> " + to.component() + " " + to.role() + ":" + port;
                    if (calls && served && clientPort.get(to.role()) != null && clientPort.get(to.role()) == port) {
                        expected.add(edge);
                    }
                    NetworkPolicyEvaluator.Pod target = new NetworkPolicyEvaluator.Pod(to.role(), NAMESPACE, to.labels());
                    if (policies.allowed(from.pod(), target, port, "TCP")) {
                        actual.add(edge);
                    }
                }
            }
            for (OperatorFixtures.OperatorPod stranger : strangers) {
                for (int port : stranger.ports()) {
                    assertFalse(policies.allowed(from.pod(), new NetworkPolicyEvaluator.Pod("stranger", NAMESPACE, stranger.labels()), port, "TCP"),
                            from.name() + " reaches " + stranger.role() + " on " + port);
                }
            }
        }
        assertEquals(expected, actual, "castle pods -> operators' pods");
        for (OperatorFixtures.OperatorPod pod : operatorPods) {
            for (Map<String, Object> policy : ofKind(docs, "NetworkPolicy")) {
                assertFalse(NetworkPolicyEvaluator.selects(map(get(policy, "spec", "podSelector")), pod.labels()),
                        name(policy) + " isolates the operator's " + pod.role() + " pods");
            }
        }
        NetworkPolicyEvaluator.Pod outside = new NetworkPolicyEvaluator.Pod("managed", "<outside>", Map.of());
        for (var infra : system.infrastructure()) {
            if (infra.mode() != dev.castle.model.Infrastructure.Mode.claim) {
                continue;
            }
            for (RenderedTraffic.Workload from : castlePods) {
                boolean calls = system.service(from.name()).map(s -> s.dependsOn().stream().anyMatch(d -> d.name().equals(infra.name()))).orElse(false);
                assertEquals(calls, policies.allowed(from.pod(), outside, infra.port(), "TCP"), from.name() + " reaches the claimed " + infra.name());
            }
        }
    }

    /**
     * The data-platform example: embedded datastores by default and in dev, every one run by its
     * operator or claimed in prod, where the services read the operators' Secrets and reach only
     * the operators' pods; the Kustomize overlay of prod carries the same resources.
     */
    @Test
    void dataPlatformSwitchesFromEmbeddedToOperatorsAndClaimsInProd(@TempDir Path dataOut) throws Exception {
        Path descriptor = Tools.projectDir().resolve("examples/data-platform/castle.yaml");
        SystemModel data = Pipeline.model(descriptor);
        Path dataChart = Generation.generate(descriptor, dataOut);
        Set<String> kinds = OperatorFixtures.claimKinds(data);
        List<String> apis = OperatorFixtures.apiVersions("database.acme.io/v1alpha1/MySQLInstance", "cache.acme.io/v1alpha1/RedisInstance");
        List<String> datastores = List.of("events", "warehouse", "legacy", "documents", "cache", "jobs");
        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            for (String values : List.of("values.yaml", "values-dev.yaml")) {
                List<String> command = new ArrayList<>(List.of(helm.toString(), "template", "data", dataChart.toString(), "--namespace", NAMESPACE,
                        "-f", dataChart.resolve(values).toString()));
                command.addAll(apis);
                List<Map<String, Object>> docs = KubeSchemaValidator.documents(Tools.run(dataOut, command).assertOk().stdout());
                assertEquals(Map.of(), kindCounts(docs), values + ": no operator resource");
                Set<String> embedded = new TreeSet<>(ofKind(docs, "StatefulSet").stream().map(OperatorFixtures::name).toList());
                datastores.forEach(d -> assertTrue(embedded.contains("data-" + d), values + ": " + d + " is embedded"));
            }
            List<String> command = new ArrayList<>(List.of(helm.toString(), "template", "data", dataChart.toString(), "--namespace", NAMESPACE,
                    "-f", dataChart.resolve("values-prod.yaml").toString()));
            command.addAll(apis);
            String rendered = Tools.run(dataOut, command).assertOk().stdout();
            KubeSchemaValidator.shared().assertValid(rendered, kinds);
            List<Map<String, Object>> docs = KubeSchemaValidator.documents(rendered);
            assertEquals(List.of(), new PodChecks(docs).check(), helm + ": prod pods");
            assertEquals(List.of("data-stream-processor"), ofKind(docs, "StatefulSet").stream().map(OperatorFixtures::name).toList(),
                    "prod: no embedded datastore");
            assertEquals(Map.of("Cluster", 1, "Pooler", 1, "ScheduledBackup", 1, "Kafka", 1, "KafkaNodePool", 1, "KafkaTopic", 2,
                    "KafkaUser", 2, "RabbitmqCluster", 1, "MongoDBCommunity", 1), kindCounts(docs).entrySet().stream()
                    .filter(e -> !e.getKey().equals("MySQLInstance")).collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
            SystemModel prod = data.environments().stream().filter(e -> e.name().equals("prod")).findFirst().orElseThrow().model();
            Map<String, Variable> stream = OperatorFixtures.variables(container(docs, "stream-processor", "StatefulSet", "data"));
            Map<String, Variable> expected = new TreeMap<>();
            expected.putAll(OperatorFixtures.expectedVariables(docs, "stream-processor", "events", "EVENTS", Map.of()));
            expected.putAll(OperatorFixtures.expectedVariables(docs, "stream-processor", "documents", "DOCUMENTS", Map.of()));
            expected.putAll(OperatorFixtures.expectedVariables(docs, "stream-processor", "warehouse", "WAREHOUSE", Map.of()));
            String cache = docs.stream().filter(d -> "cache.acme.io/v1alpha1".equals(d.get("apiVersion"))).findFirst()
                    .map(d -> (String) get(d, "spec", "writeConnectionSecretToRef", "name")).orElseThrow();
            expected.put("CACHE_HOST", Variable.fromSecret(cache, "endpoint"));
            expected.put("CACHE_USERNAME", Variable.fromSecret(cache, "username"));
            expected.put("CACHE_PASSWORD", Variable.fromSecret(cache, "password"));
            expected.forEach((variable, value) -> assertEquals(value, stream.get(variable), helm + ": prod stream-processor's " + variable));
            Map<String, Variable> reporting = OperatorFixtures.variables(container(docs, "reporting", "Deployment", "data"));
            String legacy = docs.stream().filter(d -> "database.acme.io/v1alpha1".equals(d.get("apiVersion"))).findFirst()
                    .map(d -> (String) get(d, "spec", "writeConnectionSecretToRef", "name")).orElseThrow();
            assertEquals(Variable.literal("mysql://$(LEGACY_HOST):3306/crm"), reporting.get("CRM_DATABASE_URL"));
            assertEquals(Variable.fromSecret(legacy, "endpoint"), reporting.get("LEGACY_HOST"));
            OperatorFixtures.expectedVariables(docs, "reporting", "jobs", "JOBS", Map.of())
                    .forEach((variable, value) -> assertEquals(value, reporting.get(variable), helm + ": prod reporting's " + variable));
            assertReachability(prod, docs);
        }
    }

    private static Map<String, Object> container(List<Map<String, Object>> docs, String service, String kind, String release) {
        return docs.stream().filter(d -> kind.equals(d.get("kind")) && name(d).equals(release + "-" + service)).findFirst()
                .map(d -> map(list(get(d, "spec", "template", "spec", "containers")).get(0)))
                .orElseThrow(() -> new AssertionError("no " + kind + " " + service));
    }

    @Test
    void theNamespaceQuotaCountsThePodsAndClaimsOfTheOperators() {
        Path helm = Tools.helm4();
        List<Map<String, Object>> docs = renderWithApis(helm);
        Map<String, Object> with = map(get(ofKind(docs, "ResourceQuota").get(0), "spec", "hard"));
        Map<String, Object> without = map(get(ofKind(KubeSchemaValidator.documents(render(helm, List.of("-f",
                chart.resolve("values-offsite.yaml").toString()))), "ResourceQuota").get(0), "spec", "hard"));
        // what the operators create for the rendered resources, as their documentation describes it
        Totals t = new Totals();
        for (Map<String, Object> c : ofKind(docs, "Cluster")) {
            int n = ((Number) get(c, "spec", "instances")).intValue();
            t.add(n + 1, get(c, "spec", "resources"), n, get(c, "spec", "storage", "size")); // the instances, and the initdb or join Job's pod
        }
        for (Map<String, Object> p : ofKind(docs, "Pooler")) {
            t.add(((Number) get(p, "spec", "instances")).intValue(), map(list(get(p, "spec", "template", "spec", "containers")).get(0)).get("resources"), 0, 0);
        }
        for (Map<String, Object> pool : ofKind(docs, "KafkaNodePool")) {
            int n = ((Number) get(pool, "spec", "replicas")).intValue();
            t.add(n, get(pool, "spec", "resources"), n, get(pool, "spec", "storage", "size"));
        }
        for (Map<String, Object> k : ofKind(docs, "Kafka")) {
            t.add(1, get(k, "spec", "entityOperator", "topicOperator", "resources"), 0, 0); // the entity operator's pod: its two containers
            t.add(0, get(k, "spec", "entityOperator", "userOperator", "resources"), 0, 0, 1);
        }
        for (Map<String, Object> r : ofKind(docs, "RabbitmqCluster")) {
            int n = ((Number) get(r, "spec", "replicas")).intValue();
            t.add(n, get(r, "spec", "resources"), n, get(r, "spec", "persistence", "storage"));
        }
        for (Map<String, Object> m : ofKind(docs, "MongoDBCommunity")) {
            int n = ((Number) get(m, "spec", "members")).intValue();
            t.add(n, null, 0, 0);
            for (Object c : list(get(m, "spec", "statefulSet", "spec", "template", "spec", "containers"))) {
                t.add(0, map(c).get("resources"), 0, 0, n);
            }
            for (Object v : list(get(m, "spec", "statefulSet", "spec", "volumeClaimTemplates"))) {
                t.add(0, null, n, get(map(v), "spec", "resources", "requests", "storage"));
            }
        }
        BigDecimal pods = t.pods;
        BigDecimal cpu = t.cpu;
        BigDecimal memory = t.memory;
        BigDecimal claims = t.claims;
        BigDecimal storage = t.storage;
        BigDecimal headroom = new BigDecimal("1.25");
        assertClose(pods.multiply(headroom), delta(with, without, "pods"), BigDecimal.ONE, "pods");
        assertClose(cpu.multiply(headroom), delta(with, without, "requests.cpu"), new BigDecimal("0.2"), "requests.cpu");
        assertClose(memory.multiply(headroom), delta(with, without, "requests.memory"), BigDecimal.valueOf(2L << 20), "requests.memory");
        assertClose(claims.multiply(headroom), delta(with, without, "persistentvolumeclaims"), BigDecimal.ONE, "persistentvolumeclaims");
        assertClose(storage.multiply(headroom), delta(with, without, "requests.storage"), BigDecimal.valueOf(2L << 20), "requests.storage");
    }

    /** Pods, their requests, volume claims and storage, added up. */
    private static final class Totals {
        BigDecimal pods = BigDecimal.ZERO;
        BigDecimal cpu = BigDecimal.ZERO;
        BigDecimal memory = BigDecimal.ZERO;
        BigDecimal claims = BigDecimal.ZERO;
        BigDecimal storage = BigDecimal.ZERO;

        /** {@code pods} pods of a container of these resources, and {@code claims} claims of {@code size}. */
        void add(int pods, Object resources, int claims, Object size) {
            add(pods, resources, claims, size, pods);
        }

        /** As {@link #add(int, Object, int, Object)}, the container counted {@code containers} times. */
        void add(int pods, Object resources, int claims, Object size, int containers) {
            this.pods = this.pods.add(BigDecimal.valueOf(pods));
            if (resources != null) {
                cpu = cpu.add(requests(resources, "cpu").multiply(BigDecimal.valueOf(containers)));
                memory = memory.add(requests(resources, "memory").multiply(BigDecimal.valueOf(containers)));
            }
            this.claims = this.claims.add(BigDecimal.valueOf(claims));
            storage = storage.add(Quantity.parse(String.valueOf(size)).multiply(BigDecimal.valueOf(claims)));
        }
    }

    private static BigDecimal requests(Object resources, String what) {
        return Quantity.parse(String.valueOf(get(resources, "requests", what)));
    }

    private static BigDecimal delta(Map<String, Object> with, Map<String, Object> without, String key) {
        return Quantity.parse(String.valueOf(with.get(key))).subtract(Quantity.parse(String.valueOf(without.getOrDefault(key, "0"))));
    }

    private static void assertClose(BigDecimal expected, BigDecimal actual, BigDecimal tolerance, String what) {
        assertTrue(expected.subtract(actual).abs().compareTo(tolerance) <= 0,
                what + ": the quota grows by " + actual.stripTrailingZeros().toPlainString() + " with the operators, expected about "
                        + expected.stripTrailingZeros().toPlainString() + " (their pods plus the headroom)");
    }
}
