package dev.castle.charts;

import static dev.castle.charts.PodChecks.get;
import static dev.castle.charts.PodChecks.list;
import static dev.castle.charts.PodChecks.map;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import dev.castle.model.Infrastructure;
import dev.castle.model.SystemModel;

/**
 * What each operator creates from a rendered custom resource, written from the operators' own
 * documentation and source (not from castle's code), so that the tests compare castle's wiring
 * with the real names:
 * <ul>
 * <li>CloudNativePG (docs/src/applications.md, pkg/specs/pods.go, pkg/specs/pgbouncer/deployments.go):
 * Services {@code <cluster>-rw} and the Pooler's own name, Secret {@code <cluster>-app} with keys
 * username, password, host, port, dbname, uri; instance pods labelled cnpg.io/cluster,
 * cnpg.io/instanceName, cnpg.io/podRole=instance, cnpg.io/instanceRole, role,
 * app.kubernetes.io/{name=cloudnative-pg, instance=<cluster>, component=database}; pooler pods
 * cnpg.io/poolerName, cnpg.io/cluster, cnpg.io/podRole=pooler. The Cluster's own labels are not
 * copied to its pods.</li>
 * <li>Strimzi (user-operator KafkaUserModel, operator-common Labels, KafkaCluster): bootstrap Service
 * {@code <cluster>-kafka-bootstrap} on the listener's port; a KafkaUser's Secret has its name and the
 * keys password and sasl.jaas.config (SCRAM-SHA-512), its user name is the KafkaUser's name; node
 * pods {@code <cluster>-<pool>-<id>} labelled strimzi.io/{cluster, kind=Kafka, name=<cluster>-kafka,
 * pool-name, broker-role, controller-role, component-type=kafka}, app.kubernetes.io/{name=kafka,
 * instance=<cluster>, part-of=strimzi-<cluster>}, plus the Kafka's labels except app.kubernetes.io/*.</li>
 * <li>RabbitMQ Cluster Operator (internal/metadata/label.go, internal/resource/default_user_secret.go):
 * Service {@code <cluster>}, Secret {@code <cluster>-default-user} with username, password, host,
 * port, provider, type, default_user.conf; pods labelled app.kubernetes.io/{name=<cluster>,
 * component=rabbitmq, part-of=rabbitmq}, plus the cluster's labels except app.kubernetes.io/*.</li>
 * <li>MongoDB Community Operator (docs/deploy-configure.md, controllers/construct/mongodbstatefulset.go):
 * headless Service {@code <name>-svc}, per user the Secret {@code <name>-<auth-db>-<user>} made a
 * DNS name (lower case, other characters as '-') with username, password,
 * connectionString.standard, connectionString.standardSrv; pods labelled app=<name>-svc.</li>
 * <li>A Crossplane claim writes its connection details to spec.writeConnectionSecretToRef.name.</li>
 * </ul>
 */
public final class OperatorFixtures {
    /** A pod an operator runs: which component it serves (and how), its labels, its ports. */
    record OperatorPod(String component, String role, Map<String, Object> labels, List<Integer> ports) {
    }

    /** A variable as a container sees it: a literal, or a key of a Secret. */
    record Variable(String value, String secret, String key) {
        static Variable literal(String value) {
            return new Variable(value, null, null);
        }

        static Variable fromSecret(String secret, String key) {
            return new Variable(null, secret, key);
        }
    }

    private OperatorFixtures() {
    }

    static List<Map<String, Object>> ofKind(List<Map<String, Object>> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    static String name(Map<String, Object> doc) {
        return (String) get(doc, "metadata", "name");
    }

    /** Labels of the custom resource that Strimzi and the RabbitMQ operator copy to their pods. */
    private static Map<String, Object> propagated(Map<String, Object> resource) {
        Map<String, Object> labels = new LinkedHashMap<>();
        map(get(resource, "metadata", "labels")).forEach((k, v) -> {
            if (!k.startsWith("app.kubernetes.io/")) {
                labels.put(k, v);
            }
        });
        return labels;
    }

    /** The pods the operators run for the rendered resources, with their documented labels. */
    static List<OperatorPod> pods(List<Map<String, Object>> docs) {
        List<OperatorPod> pods = new ArrayList<>();
        for (Map<String, Object> cluster : ofKind(docs, "Cluster")) {
            String name = name(cluster);
            for (int i = 1; i <= ((Number) get(cluster, "spec", "instances")).intValue(); i++) {
                Map<String, Object> labels = new LinkedHashMap<>();
                labels.put("cnpg.io/cluster", name);
                labels.put("cnpg.io/instanceName", name + "-" + i);
                labels.put("cnpg.io/podRole", "instance");
                labels.put("cnpg.io/instanceRole", i == 1 ? "primary" : "replica");
                labels.put("role", i == 1 ? "primary" : "replica");
                labels.put("app.kubernetes.io/name", "cloudnative-pg");
                labels.put("app.kubernetes.io/instance", name);
                labels.put("app.kubernetes.io/component", "database");
                labels.put("app.kubernetes.io/managed-by", "cloudnative-pg");
                pods.add(new OperatorPod(component(cluster), "postgres instance", labels, List.of(5432, 8000)));
            }
        }
        for (Map<String, Object> pooler : ofKind(docs, "Pooler")) {
            String cluster = (String) get(pooler, "spec", "cluster", "name");
            Map<String, Object> labels = new LinkedHashMap<>();
            labels.put("cnpg.io/poolerName", name(pooler));
            labels.put("cnpg.io/cluster", cluster);
            labels.put("cnpg.io/podRole", "pooler");
            labels.put("app.kubernetes.io/name", "cloudnative-pg");
            labels.put("app.kubernetes.io/instance", cluster);
            labels.put("app.kubernetes.io/component", "pooler");
            labels.put("app.kubernetes.io/managed-by", "cloudnative-pg");
            pods.add(new OperatorPod(component(pooler), "pgbouncer", labels, List.of(5432)));
        }
        for (Map<String, Object> kafka : ofKind(docs, "Kafka")) {
            String cluster = name(kafka);
            for (Map<String, Object> pool : ofKind(docs, "KafkaNodePool")) {
                if (!cluster.equals(get(pool, "metadata", "labels", "strimzi.io/cluster"))) {
                    continue;
                }
                List<Object> roles = list(get(pool, "spec", "roles"));
                for (int id = 0; id < ((Number) get(pool, "spec", "replicas")).intValue(); id++) {
                    Map<String, Object> labels = propagated(kafka);
                    labels.put("strimzi.io/cluster", cluster);
                    labels.put("strimzi.io/kind", "Kafka");
                    labels.put("strimzi.io/name", cluster + "-kafka");
                    labels.put("strimzi.io/pool-name", name(pool));
                    labels.put("strimzi.io/pod-name", cluster + "-" + name(pool) + "-" + id);
                    labels.put("strimzi.io/broker-role", String.valueOf(roles.contains("broker")));
                    labels.put("strimzi.io/controller-role", String.valueOf(roles.contains("controller")));
                    labels.put("strimzi.io/component-type", "kafka");
                    labels.put("app.kubernetes.io/name", "kafka");
                    labels.put("app.kubernetes.io/instance", cluster);
                    labels.put("app.kubernetes.io/part-of", "strimzi-" + cluster);
                    pods.add(new OperatorPod(component(kafka), "kafka node", labels, List.of(9090, 9091, 9092)));
                }
            }
            Map<String, Object> labels = propagated(kafka);
            labels.put("strimzi.io/cluster", cluster);
            labels.put("strimzi.io/kind", "Kafka");
            labels.put("strimzi.io/name", cluster + "-entity-operator");
            labels.put("strimzi.io/component-type", "entity-operator");
            pods.add(new OperatorPod(component(kafka), "entity operator", labels, List.of(8080, 8081)));
        }
        for (Map<String, Object> rabbit : ofKind(docs, "RabbitmqCluster")) {
            for (int i = 0; i < ((Number) get(rabbit, "spec", "replicas")).intValue(); i++) {
                Map<String, Object> labels = propagated(rabbit);
                labels.put("app.kubernetes.io/name", name(rabbit));
                labels.put("app.kubernetes.io/component", "rabbitmq");
                labels.put("app.kubernetes.io/part-of", "rabbitmq");
                pods.add(new OperatorPod(component(rabbit), "rabbitmq node", labels, List.of(4369, 5672, 15672, 15692, 25672)));
            }
        }
        for (Map<String, Object> mongo : ofKind(docs, "MongoDBCommunity")) {
            for (int i = 0; i < ((Number) get(mongo, "spec", "members")).intValue(); i++) {
                pods.add(new OperatorPod(component(mongo), "mongod", Map.of("app", name(mongo) + "-svc"), List.of(27017)));
            }
        }
        return pods;
    }

    /** The component a resource was written for: the app.kubernetes.io/name castle labels it with. */
    static String component(Map<String, Object> resource) {
        return (String) get(resource, "metadata", "labels", "app.kubernetes.io/name");
    }

    /** The MongoDB Community Operator's normalization of a Secret name (a DNS subdomain). */
    static String mongodbSecret(String name, String db, String user) {
        String full = name + "-" + db + "-" + user;
        if (full.matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")) {
            return full;
        }
        return full.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("-+", "-").replaceAll("^-|-$", "");
    }

    /**
     * What a caller of a component gets, by the operators' documented names: the Service (host and
     * port), and the Secret and keys of each credential variable; {@code prefix} is the variable
     * prefix, {@code names} overrides of the standard names (HOST, PORT, URL, USERNAME, PASSWORD).
     */
    static Map<String, Variable> expectedVariables(List<Map<String, Object>> docs, String caller, String component, String prefix,
                                                   Map<String, String> names) {
        Map<String, Variable> vars = new LinkedHashMap<>();
        String host = prefix + "_HOST";
        String port = prefix + "_PORT";
        String username = names.getOrDefault("username", prefix + "_USERNAME");
        String password = names.getOrDefault("password", prefix + "_PASSWORD");
        for (Map<String, Object> cluster : ofKind(docs, "Cluster")) {
            if (component.equals(component(cluster))) {
                String service = ofKind(docs, "Pooler").stream().filter(p -> name(cluster).equals(get(p, "spec", "cluster", "name")))
                        .map(OperatorFixtures::name).findFirst().orElse(name(cluster) + "-rw");
                vars.put(host, Variable.literal(service));
                vars.put(port, Variable.literal("5432"));
                vars.put(username, Variable.fromSecret(name(cluster) + "-app", "username"));
                vars.put(password, Variable.fromSecret(name(cluster) + "-app", "password"));
            }
        }
        for (Map<String, Object> kafka : ofKind(docs, "Kafka")) {
            if (component.equals(component(kafka))) {
                String user = ofKind(docs, "KafkaUser").stream().filter(u -> name(kafka).equals(get(u, "metadata", "labels", "strimzi.io/cluster")))
                        .map(OperatorFixtures::name).filter(n -> n.endsWith("-" + caller)).findFirst()
                        .orElseThrow(() -> new AssertionError("no KafkaUser of " + caller + " on " + name(kafka)));
                vars.put(host, Variable.literal(name(kafka) + "-kafka-bootstrap"));
                vars.put(port, Variable.literal(String.valueOf(get(map(list(get(kafka, "spec", "kafka", "listeners")).get(0)), "port"))));
                vars.put(username, Variable.literal(user));
                vars.put(password, Variable.fromSecret(user, "password"));
                vars.put(prefix + "_SASL_JAAS_CONFIG", Variable.fromSecret(user, "sasl.jaas.config"));
                vars.put(prefix + "_SASL_MECHANISM", Variable.literal("SCRAM-SHA-512"));
                vars.put(prefix + "_SECURITY_PROTOCOL", Variable.literal("SASL_PLAINTEXT"));
            }
        }
        for (Map<String, Object> rabbit : ofKind(docs, "RabbitmqCluster")) {
            if (component.equals(component(rabbit))) {
                vars.put(host, Variable.literal(name(rabbit)));
                vars.put(port, Variable.literal("5672"));
                vars.put(username, Variable.fromSecret(name(rabbit) + "-default-user", "username"));
                vars.put(password, Variable.fromSecret(name(rabbit) + "-default-user", "password"));
            }
        }
        for (Map<String, Object> mongo : ofKind(docs, "MongoDBCommunity")) {
            if (component.equals(component(mongo))) {
                Map<String, Object> user = map(list(get(mongo, "spec", "users")).get(0));
                String secret = mongodbSecret(name(mongo), (String) user.get("db"), (String) user.get("name"));
                vars.put(host, Variable.literal(name(mongo) + "-svc"));
                vars.put(port, Variable.literal("27017"));
                vars.put(username, Variable.fromSecret(secret, "username"));
                vars.put(password, Variable.fromSecret(secret, "password"));
            }
        }
        return vars;
    }

    /** The claim's connection Secret: writeConnectionSecretToRef of the claim castle labelled for the component. */
    static String connectionSecret(List<Map<String, Object>> docs, String component, Set<String> claimKinds) {
        return docs.stream().filter(d -> claimKinds.contains(d.get("apiVersion") + " " + d.get("kind")))
                .filter(d -> component.equals(component(d)))
                .map(d -> (String) get(d, "spec", "writeConnectionSecretToRef", "name")).filter(Objects::nonNull).findFirst()
                .orElseThrow(() -> new AssertionError("no claim of " + component));
    }

    /** "apiVersion kind" of every claim of the system and its environments (user-defined kinds). */
    public static Set<String> claimKinds(SystemModel system) {
        Set<String> kinds = new TreeSet<>();
        List<SystemModel> models = new ArrayList<>(List.of(system));
        system.environments().forEach(e -> models.add(e.model()));
        for (SystemModel model : models) {
            for (Infrastructure infra : model.infrastructure()) {
                infra.claim().filter(c -> infra.mode() == Infrastructure.Mode.claim).ifPresent(c -> kinds.add(c.apiVersion() + " " + c.kind()));
            }
        }
        return kinds;
    }

    /** The variables of a container as a map name -> Variable. */
    static Map<String, Variable> variables(Map<String, Object> container) {
        Map<String, Variable> vars = new LinkedHashMap<>();
        for (Object e : list(container.get("env"))) {
            Map<String, Object> env = map(e);
            Object ref = get(env, "valueFrom", "secretKeyRef");
            vars.put((String) env.get("name"), ref == null ? Variable.literal(String.valueOf(env.get("value")))
                    : Variable.fromSecret((String) map(ref).get("name"), (String) map(ref).get("key")));
        }
        return vars;
    }

    /** The --api-versions flags of every API castle's operator charts use. */
    static List<String> apiVersions(String... claimApis) {
        List<String> flags = new ArrayList<>();
        List<String> apis = new ArrayList<>(List.of("postgresql.cnpg.io/v1/Cluster", "postgresql.cnpg.io/v1/Pooler",
                "postgresql.cnpg.io/v1/ScheduledBackup", "kafka.strimzi.io/v1beta2/Kafka", "rabbitmq.com/v1beta1/RabbitmqCluster",
                "mongodbcommunity.mongodb.com/v1/MongoDBCommunity"));
        apis.addAll(List.of(claimApis));
        apis.forEach(api -> flags.addAll(List.of("--api-versions", api)));
        return flags;
    }
}
