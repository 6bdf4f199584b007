package dev.castle.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.castle.load.ConfigFileReader;
import dev.castle.load.DescriptorLoader;
import dev.castle.load.Node;
import dev.castle.merge.EnvironmentMerge;
import dev.castle.model.Dependency;
import dev.castle.model.Infrastructure;
import dev.castle.model.ManagedCharts;
import dev.castle.model.ModelBinder;
import dev.castle.model.NetworkPolicies;
import dev.castle.model.Quantity;
import dev.castle.model.SystemModel;

/**
 * Unit tier, no Helm: components run by operators and claims, from the descriptor to the values
 * castle writes: the wiring of each caller, the managed subcharts and how environments switch to
 * them, the network policies' peers and the quota.
 */
class OperatorValuesTest {
    static SystemModel bind(String yaml) throws Exception {
        Node root = new DescriptorLoader().load(Path.of("castle.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
        return new ModelBinder(new ConfigFileReader(Path.of("."))).bind(root, EnvironmentMerge.environments(root));
    }

    static final String SYSTEM = """
            apiVersion: castle/v1alpha1
            kind: System
            metadata: {name: shop, version: 1.0.0}
            infrastructure:
              db: {type: postgresql, database: orders}
              events: {type: kafka}
              mq: {type: rabbitmq, mode: operator, database: jobs}
              docs: {type: mongodb, mode: operator, database: Docs_Db, username: reader}
              cache:
                type: redis
                mode: claim
                claim: {apiVersion: cache.example.org/v1, kind: Redis}
            services:
              web:
                image: ghcr.io/acme/web:1.0.0
                ports: {http: 8080}
                dependsOn: [db, {name: events, topics: [orders]}, mq, docs, cache]
            environments:
              prod:
                infrastructure:
                  db: {mode: operator, operator: {pooler: {}}}
                  events: {mode: operator, operator: {instances: 5}}
              staging:
                infrastructure:
                  db: {mode: operator, storage: {size: 1Gi}}
            """;

    private static Dependency edge(SystemModel system, String name) {
        return system.service("web").orElseThrow().dependsOn().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }

    private static SystemModel env(SystemModel system, String name) {
        return system.environments().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow().model();
    }

    @Test
    void callersAreWiredToTheOperatorsServicesAndSecrets() throws Exception {
        SystemModel prod = env(bind(SYSTEM), "prod");
        Dependency db = edge(prod, "db");
        assertEquals(Dependency.Kind.operator, db.kind());
        assertEquals("{release}-db-pooler", db.host(), "the pooler's Service when there is one");
        assertEquals(new Dependency.Credentials("{release}-db-app", Map.of("DB_USERNAME", "username", "DB_PASSWORD", "password"),
                Optional.empty()), db.credentials().orElseThrow());
        Dependency events = edge(prod, "events");
        assertEquals("{release}-events-kafka-bootstrap", events.host());
        assertEquals(new Dependency.Credentials("{release}-events-web", Map.of("EVENTS_PASSWORD", "password",
                "EVENTS_SASL_JAAS_CONFIG", "sasl.jaas.config"), Optional.empty()), events.credentials().orElseThrow());
        assertEquals("{release}-events-web", events.textVariables().get("EVENTS_USERNAME"), "the KafkaUser's name");
        assertEquals("{host}:{port}", events.textVariables().get("EVENTS_URL"));
        assertEquals(List.of("orders"), events.topics());
        Dependency mq = edge(prod, "mq");
        assertEquals("{release}-mq", mq.host());
        assertEquals("{release}-mq-default-user", mq.credentials().orElseThrow().secret());
        assertEquals("amqp://{host}:{port}/jobs", mq.textVariables().get("MQ_URL"));
        Dependency docs = edge(prod, "docs");
        assertEquals("{release}-docs-svc", docs.host());
        assertEquals("{release}-docs-docs-db-reader", docs.credentials().orElseThrow().secret(), "<name>-<db>-<user>, as a DNS name");
        assertEquals("mongodb://{host}:{port}/Docs_Db?replicaSet={release}-docs", docs.textVariables().get("DOCS_URL"));
        Dependency cache = edge(prod, "cache");
        assertEquals(Dependency.Kind.claim, cache.kind());
        assertEquals(new Dependency.Credentials("{release}-cache-connection", Map.of("CACHE_HOST", "endpoint", "CACHE_USERNAME", "username",
                "CACHE_PASSWORD", "password"), Optional.of("endpoint")), cache.credentials().orElseThrow());
        assertEquals("redis://$(CACHE_HOST):{port}", cache.textVariables().get("CACHE_URL"));
        assertFalse(cache.textVariables().containsKey("CACHE_HOST"), "the host comes from the connection Secret");
    }

    @Test
    void dependencyValuesCarryTheSecretAndTheHostKey() throws Exception {
        SystemModel system = bind(SYSTEM);
        @SuppressWarnings("unchecked")
        Map<String, Object> cache = (Map<String, Object>) ServiceValues.dependencies(system.service("web").orElseThrow()).get("cache");
        assertNull(cache.get("host"), "no host: the start-up wait reads it from the Secret");
        assertEquals(Map.of("secret", "{release}-cache-connection", "hostKey", "endpoint", "env",
                Map.of("CACHE_HOST", "endpoint", "CACHE_USERNAME", "username", "CACHE_PASSWORD", "password")), cache.get("credentials"));
    }

    @Test
    void eachModeUsedGetsOneSubchartWhoseDefaultsComeFromTheFirstModelThatUsesIt() throws Exception {
        SystemModel system = bind(SYSTEM);
        List<ManagedCharts.Chart> charts = ManagedCharts.of(system);
        assertEquals(List.of("cache-claim", "db-operator", "docs-operator", "events-operator", "mq-operator"),
                charts.stream().map(ManagedCharts.Chart::name).sorted().toList());
        ManagedCharts.Chart db = charts.stream().filter(c -> c.name().equals("db-operator")).findFirst().orElseThrow();
        assertTrue(db.infra().operator().pooler().isPresent(), "prod comes before staging");
        Map<String, Object> parent = ParentChartContributor.parentValues(system).tree();
        assertEquals(Map.of("enabled", true), parent.get("db"));
        assertEquals(Map.of("enabled", false), parent.get("db-operator"));
        assertEquals(Map.of("enabled", true), parent.get("mq-operator"));

        Map<String, Object> prod = EnvironmentValuesContributor.of(system, system.environments().stream()
                .filter(e -> e.name().equals("prod")).findFirst().orElseThrow());
        assertEquals(Map.of("enabled", false), prod.get("db"), "the embedded chart is off");
        assertEquals(Map.of("enabled", true), prod.get("db-operator"), "the operator's on, with its defaults");
        assertEquals(Map.of("enabled", true), prod.get("events-operator"));
        Map<String, Object> staging = EnvironmentValuesContributor.of(system, system.environments().stream()
                .filter(e -> e.name().equals("staging")).findFirst().orElseThrow());
        @SuppressWarnings("unchecked")
        Map<String, Object> stagingDb = (Map<String, Object>) staging.get("db-operator");
        assertEquals(true, stagingDb.get("enabled"));
        assertEquals(Map.of("enabled", false), stagingDb.get("pooler"), "staging has no pooler");
        assertEquals(Map.of("size", "1Gi"), stagingDb.get("storage"));
    }

    @Test
    void strimziUsersAndTopicsComeFromTheCallers() throws Exception {
        SystemModel prod = env(bind(SYSTEM), "prod");
        Map<String, Object> values = OperatorValues.forComponent(prod, prod.infrastructure("events").orElseThrow()).tree();
        assertEquals(Map.of("web", Map.of("enabled", true, "topics", List.of("orders"))), values.get("users"));
        assertEquals(Map.of("orders", Map.of("enabled", true, "topicName", "orders", "partitions", 3, "replicas", 3, "config", Map.of())),
                values.get("topics"));
        assertEquals(5, values.get("replicas"));
        assertEquals("orders-created", OperatorValues.topicId("Orders_Created"));
    }

    @Test
    void callersReachTheOperatorsPodsByTheirLabelsAndTheClaimByItsCidr() throws Exception {
        SystemModel prod = env(bind(SYSTEM), "prod");
        List<NetworkPolicies.Rule> egress = NetworkPolicies.of(prod).get("web").egress();
        assertEquals(new NetworkPolicies.Rule(new NetworkPolicies.Labels(Map.of("cnpg.io/poolerName", "{release}-db-pooler")),
                List.of(new NetworkPolicies.PortRef(5432, dev.castle.model.Service.Protocol.TCP))), egress.get(0));
        assertEquals(new NetworkPolicies.Labels(Map.of("strimzi.io/cluster", "{release}-events", "strimzi.io/kind", "Kafka",
                "strimzi.io/broker-role", "true")), egress.get(1).peer());
        assertEquals(new NetworkPolicies.Labels(Map.of("app.kubernetes.io/name", "{release}-mq", "app.kubernetes.io/component", "rabbitmq")),
                egress.get(2).peer());
        assertEquals(new NetworkPolicies.Labels(Map.of("app", "{release}-docs-svc")), egress.get(3).peer());
        assertEquals(new NetworkPolicies.Cidr("0.0.0.0/0"), egress.get(4).peer());
        assertFalse(NetworkPolicies.of(prod).containsKey("db"), "castle isolates its own pods only");
    }

    @Test
    void theQuotaCountsEveryPodAndClaimOfTheOperators() throws Exception {
        SystemModel prod = env(bind(SYSTEM), "prod");
        Infrastructure db = prod.infrastructure("db").orElseThrow();
        List<OperatorPods.Pods> pods = OperatorPods.of(db);
        assertEquals(List.of(3, 1, 2), pods.stream().map(OperatorPods.Pods::count).toList(), "instances, the bootstrap or join Job, PgBouncer");
        assertEquals(3, pods.stream().mapToInt(OperatorPods.Pods::claims).sum());
        assertEquals(0, Quantity.parse("24Gi").compareTo(pods.stream().map(OperatorPods.Pods::storage).reduce(BigDecimal.ZERO, BigDecimal::add)));
        List<OperatorPods.Pods> mongo = OperatorPods.of(prod.infrastructure("docs").orElseThrow());
        assertEquals(Map.of("cpu", "350m", "memory", "640Mi"), mongo.get(0).requests(), "mongod and the agent");
        assertEquals(6, mongo.get(0).claims(), "a data and a logs volume per member");
        assertEquals(List.of(), OperatorPods.of(prod.infrastructure("cache").orElseThrow()), "a claim runs nothing here");
        Map<String, Object> hard = NamespaceQuota.hard(prod);
        Map<String, Object> none = NamespaceQuota.hard(bind(SYSTEM.replace("dependsOn: [db, {name: events, topics: [orders]}, mq, docs, cache]", "")
                .replaceAll("(?s)infrastructure:.*?services:", "services:").replaceAll("(?s)environments:.*", "")));
        assertTrue(Integer.parseInt((String) hard.get("pods")) > Integer.parseInt((String) none.get("pods")) + 17, hard + " vs " + none);
    }
}
