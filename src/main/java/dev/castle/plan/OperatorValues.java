package dev.castle.plan;

import static dev.castle.plan.Schemas.array;
import static dev.castle.plan.Schemas.bool;
import static dev.castle.plan.Schemas.integer;
import static dev.castle.plan.Schemas.of;
import static dev.castle.plan.Schemas.oneOf;
import static dev.castle.plan.Schemas.string;
import static dev.castle.plan.Schemas.stringMap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.castle.model.Dependency;
import dev.castle.model.Infrastructure;
import dev.castle.model.Infrastructure.Type;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * Maps a component in mode operator or claim to the values of its subchart
 * {@code charts/<name>-<mode>}: what the castle-common library's {@code _operators.tpl} reads to
 * write the operator's custom resources (CloudNativePG Cluster, Pooler, ScheduledBackup; Strimzi
 * Kafka, KafkaNodePool, KafkaTopic, KafkaUser; RabbitmqCluster; MongoDBCommunity) or the claim.
 * The resources are named {@code <release>-<nameOverride>}, {@code nameOverride} being the
 * component's name, the name the services' dependencies are wired to.
 */
final class OperatorValues {
    /** Sizes castle gives the helper containers of operator pods (the MongoDB agent and init containers, Strimzi's entity operator). */
    static final Map<String, String> HELPER_REQUESTS = Map.of("cpu", "100m", "memory", "128Mi");
    static final Map<String, String> HELPER_LIMITS = Map.of("cpu", "500m", "memory", "256Mi");
    /** The MongoDB Community Operator's own default size of the logs volume of each member. */
    static final String MONGODB_LOGS_SIZE = "2Gi";
    private static final String SIZE_PATTERN = Schemas.QUANTITY;

    private OperatorValues() {
    }

    /** The API a chart's resources need, as the library checks it (.Capabilities.APIVersions.Has). */
    static String api(Infrastructure infra) {
        if (infra.mode() == Infrastructure.Mode.claim) {
            return infra.claim().map(c -> c.apiVersion() + "/" + c.kind()).orElse("");
        }
        return switch (infra.type()) {
            case postgresql -> "postgresql.cnpg.io/v1/Cluster";
            case kafka -> "kafka.strimzi.io/v1beta2/Kafka";
            case rabbitmq -> "rabbitmq.com/v1beta1/RabbitmqCluster";
            case mongodb -> "mongodbcommunity.mongodb.com/v1/MongoDBCommunity";
            default -> "";
        };
    }

    /** What runs the component, for descriptions and READMEs. */
    static String runner(Infrastructure infra) {
        if (infra.mode() == Infrastructure.Mode.claim) {
            return "a Crossplane claim " + infra.claim().map(c -> c.kind() + " (" + c.apiVersion() + ")").orElse("");
        }
        return switch (infra.type()) {
            case postgresql -> "CloudNativePG";
            case kafka -> "Strimzi";
            case rabbitmq -> "the RabbitMQ Cluster Operator";
            case mongodb -> "the MongoDB Community Operator";
            default -> "";
        };
    }

    static ChartValues forComponent(SystemModel system, Infrastructure infra) {
        ChartValues v = new ChartValues();
        v.section("Common parameters")
                .param("nameOverride", infra.name(), "The resources are named <release>-<nameOverride>: the name the services' dependencies are wired to",
                        string(Schemas.DNS_LABEL))
                .param("fullnameOverride", "", "Replaces the whole name of the resources (default: <release>-<nameOverride>); change the services' dependencies with it",
                        string(Schemas.DNS_LABEL + "|^$"))
                .param("component", InfrastructureValues.profile(infra).component(), "Value of the app.kubernetes.io/component label",
                        string("^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$"))
                .param("partOf", system.metadata().name(), "Value of the app.kubernetes.io/part-of label", string(Schemas.DNS_LABEL))
                .param("commonLabels", Map.of(), "Labels added to every resource of the chart", stringMap())
                .param("commonAnnotations", Map.of(), "Annotations added to every resource of the chart", stringMap())
                .param("force", false, "Render the resources even when the cluster does not serve " + api(infra), bool());
        if (infra.mode() == Infrastructure.Mode.claim) {
            claim(v, infra);
            return v;
        }
        switch (infra.type()) {
            case postgresql -> cloudNativePg(v, infra);
            case kafka -> strimzi(v, system, infra);
            case rabbitmq -> rabbitmq(v, infra);
            case mongodb -> mongodb(v, system, infra);
            default -> throw new IllegalArgumentException("no operator for " + infra.type());
        }
        return v;
    }

    private static String version(Infrastructure infra) {
        return infra.operator().version().orElse(infra.type().defaultTag);
    }

    private static Map<String, Object> size() {
        return of("type", List.of("string", "number"), "pattern", SIZE_PATTERN);
    }

    private static void storage(ChartValues v, Infrastructure infra, String what) {
        v.param("storage.size", infra.storage().size(), "Size of the volume claim of each " + what, size())
                .param("storage.storageClass", infra.storage().storageClass().orElse(""), "Storage class of the volume claims (empty: the cluster's default)", string());
    }

    private static void cloudNativePg(ChartValues v, Infrastructure infra) {
        Infrastructure.OperatorSettings o = infra.operator();
        v.section("CloudNativePG Cluster");
        ServiceValues.image(v, "image", infra.image(), "the PostgreSQL operand image (imageName)");
        v.param("instances", o.instances(), "PostgreSQL instances: one primary, the others streaming replicas the operator fails over to", integer(1))
                .param("database", infra.database(), "Database created at bootstrap (initdb)", string(InfrastructureValues.NAME))
                .param("owner", infra.username(), "Its owner, the application user of the Secret <cluster>-app", string(InfrastructureValues.NAME))
                .param("parameters", Map.of(), "PostgreSQL configuration parameters (postgresql.parameters)", stringMap());
        storage(v, infra, "instance");
        v.param("resources", ServiceValues.resources(infra.resources()), "Requests and limits of each instance", ServiceValues.resourcesSchema());
        v.section("Connection pooling");
        Infrastructure.Pooler pooler = o.pooler().orElse(new Infrastructure.Pooler(2, "session"));
        v.param("pooler.enabled", o.pooler().isPresent(), "A PgBouncer Pooler <cluster>-pooler in front of the primary (the services connect to it)", bool())
                .param("pooler.instances", pooler.instances(), "PgBouncer pods", integer(1))
                .param("pooler.poolMode", pooler.poolMode(), "PgBouncer pool mode", oneOf("session", "transaction"))
                .param("pooler.resources", ServiceValues.resources(new Service.Resources(HELPER_REQUESTS, HELPER_LIMITS)),
                        "Requests and limits of the pgbouncer container", ServiceValues.resourcesSchema());
        v.section("Backups");
        Infrastructure.Backup backup = o.backup().orElse(new Infrastructure.Backup("", java.util.Optional.empty(), "", "ACCESS_KEY_ID",
                "ACCESS_SECRET_KEY", "0 0 0 * * *", "30d"));
        v.param("backup.enabled", o.backup().isPresent(), "Archive the WAL and take base backups to object storage (Barman Cloud), with a ScheduledBackup", bool())
                .param("backup.destinationPath", backup.destinationPath(), "Where the backups go: s3://bucket/path", string("^$|^[a-z0-9]+://"))
                .param("backup.endpointURL", backup.endpointURL().orElse(""), "The object store's endpoint (empty: AWS S3)", string())
                .param("backup.s3Credentials.secretName", backup.secretName(), "Existing Secret with the object store's access key", string())
                .param("backup.s3Credentials.accessKeyIdKey", backup.accessKeyIdKey(), "Its key holding the access key id", string())
                .param("backup.s3Credentials.secretAccessKeyKey", backup.secretAccessKeyKey(), "Its key holding the secret access key", string())
                .param("backup.retentionPolicy", backup.retention(), "How long backups are kept (30d, 4w, 12m)", string("^[1-9][0-9]*[dwm]$"))
                .param("backup.schedule", backup.schedule(), "When base backups are taken: a cron expression with seconds first (six fields)",
                        string("^\\S+( \\S+){5}$"));
    }

    /** A Kubernetes-safe id for a topic name: lower case, other characters as '-'. */
    static String topicId(String topic) {
        return topic.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
    }

    private static void strimzi(ChartValues v, SystemModel system, Infrastructure infra) {
        Infrastructure.OperatorSettings o = infra.operator();
        int replicas = o.instances();
        v.section("Strimzi Kafka");
        v.param("apiVersion", "", "kafka.strimzi.io/v1 or kafka.strimzi.io/v1beta2 (empty: v1 when the cluster serves it, else v1beta2)",
                        oneOf("", "kafka.strimzi.io/v1", "kafka.strimzi.io/v1beta2"))
                .param("version", o.version().orElse(""), "Kafka version (empty: the operator's default)", string("^$|^[0-9]+\\.[0-9]+\\.[0-9]+$"))
                .param("replicas", replicas, "Kafka nodes (KafkaNodePool), each both broker and KRaft controller", integer(1));
        storage(v, infra, "node");
        v.param("resources", ServiceValues.resources(infra.resources()), "Requests and limits of each node", ServiceValues.resourcesSchema());
        Map<String, Object> config = new TreeMap<>();
        int factor = Math.min(3, replicas);
        config.put("default.replication.factor", factor);
        config.put("min.insync.replicas", Math.max(1, factor - 1));
        config.put("offsets.topic.replication.factor", factor);
        config.put("transaction.state.log.replication.factor", factor);
        config.put("transaction.state.log.min.isr", Math.max(1, factor - 1));
        v.param("config", config, "Broker configuration (spec.kafka.config): replication sized to the nodes", Schemas.scalarMap());
        Map<String, Object> helper = ServiceValues.resources(new Service.Resources(HELPER_REQUESTS, HELPER_LIMITS));
        v.param("entityOperator.topicOperator.resources", helper, "Requests and limits of the Topic Operator", ServiceValues.resourcesSchema())
                .param("entityOperator.userOperator.resources", ServiceValues.resources(new Service.Resources(HELPER_REQUESTS, HELPER_LIMITS)),
                        "Requests and limits of the User Operator", ServiceValues.resourcesSchema());
        v.section("Topics and users");
        Map<String, Object> topics = new TreeMap<>();
        Map<String, Object> users = new TreeMap<>();
        Map<String, Infrastructure.Topic> settings = new TreeMap<>(o.topics());
        for (Service caller : system.callersOf(infra.name())) {
            List<String> used = new ArrayList<>();
            for (Dependency d : caller.dependsOn()) {
                if (d.name().equals(infra.name())) {
                    used.addAll(d.topics());
                }
            }
            used.forEach(t -> settings.putIfAbsent(t, new Infrastructure.Topic(3, Math.min(3, replicas), Map.of())));
            users.put(caller.name(), new LinkedHashMap<>(of("enabled", true, "topics", List.copyOf(new TreeSet<>(used)))));
        }
        settings.forEach((name, topic) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("enabled", true);
            entry.put("topicName", name);
            entry.put("partitions", topic.partitions());
            entry.put("replicas", topic.replicas());
            entry.put("config", new TreeMap<>(topic.config()));
            topics.put(topicId(name), entry);
        });
        v.param("topics", topics, "KafkaTopics by id (the resource is <cluster>-<id>): topicName, partitions, replicas, config",
                        Schemas.mapOf(Schemas.strictObject(of("enabled", bool(), "topicName", string("^[a-zA-Z0-9._-]{1,249}$"),
                                "partitions", integer(1), "replicas", integer(1), "config", Schemas.scalarMap()), "enabled", "topicName")))
                .param("users", users, "KafkaUsers (SCRAM-SHA-512) by service: <cluster>-<service>, allowed to describe, read and write its topics"
                                + " and to use the consumer groups whose id starts with the service's name; the listener admits these services' pods only",
                        Schemas.mapOf(Schemas.strictObject(of("enabled", bool(), "topics", array(string("^[a-zA-Z0-9._-]{1,249}$"))), "enabled", "topics")));
    }

    private static void rabbitmq(ChartValues v, Infrastructure infra) {
        v.section("RabbitmqCluster");
        String what = "the RabbitMQ image (with the management plugin the operator uses)";
        // RabbitmqCluster has no pull policy: the StatefulSet's is the cluster's default
        v.param("image.registry", infra.image().registry(), "Registry of " + what + " (global.imageRegistry replaces it)", string(ServiceValues.IMAGE_REGISTRY))
                .param("image.repository", infra.image().repository(), "Repository of " + what, string(ServiceValues.IMAGE_REPOSITORY))
                .param("image.tag", infra.image().tag(), "Tag of " + what + " (never latest); empty when a digest pins it",
                        string(ServiceValues.IMAGE_TAG))
                .param("image.digest", infra.image().digest(), "Digest of " + what + " (sha256:...), pulled instead of the tag", string(ServiceValues.IMAGE_DIGEST));
        v.param("replicas", infra.operator().instances(), "RabbitMQ nodes (an odd number: 1, 3 or 5)", integer(1))
                .param("virtualHost", infra.database(), "Virtual host created at the first boot (default_vhost), where the default user has every permission",
                        string(InfrastructureValues.NAME));
        v.param("persistence.storage", infra.storage().size(), "Size of the volume claim of each node", size())
                .param("persistence.storageClassName", infra.storage().storageClass().orElse(""), "Storage class of the volume claims (empty: the cluster's default)", string())
                .param("resources", ServiceValues.resources(infra.resources()), "Requests and limits of each node", ServiceValues.resourcesSchema());
    }

    private static void mongodb(ChartValues v, SystemModel system, Infrastructure infra) {
        v.section("MongoDBCommunity");
        v.param("version", version(infra), "MongoDB version", string("^[0-9]+\\.[0-9]+\\.[0-9]+$"))
                .param("members", infra.operator().instances(), "Replica set members", integer(1))
                .param("database", infra.database(), "The user's database: it authenticates there and owns it (dbOwner)", string(InfrastructureValues.NAME))
                .param("auth.username", infra.username(), "The application user; its password is made once in the cluster, in the Secret <cluster> (credentials.*)",
                        string(InfrastructureValues.NAME));
        storage(v, infra, "member (data-volume)");
        v.param("logsStorage.size", MONGODB_LOGS_SIZE, "Size of the logs volume claim of each member (logs-volume)", size())
                .param("resources", ServiceValues.resources(infra.resources()), "Requests and limits of the mongod container", ServiceValues.resourcesSchema())
                .param("agentResources", ServiceValues.resources(new Service.Resources(HELPER_REQUESTS, HELPER_LIMITS)),
                        "Requests and limits of the mongodb-agent container and of the operator's init containers", ServiceValues.resourcesSchema());
        v.section("The user's password");
        CredentialsValues.parameters(v, system);
    }

    private static void claim(ChartValues v, Infrastructure infra) {
        Infrastructure.ClaimSettings c = infra.claim().orElseThrow();
        v.section("Crossplane claim")
                .param("apiVersion", c.apiVersion(), "apiVersion of the claim (the XRD's claim group and version)", string("^[a-z0-9.-]+/[a-z0-9]+$"))
                .param("kind", c.kind(), "kind of the claim", string("^[A-Z][A-Za-z0-9]*$"))
                .param("parameters", c.parameters(), "spec.parameters, as the composition expects them", Schemas.object())
                .param("compositionRef", c.compositionRef().orElse(""), "Name of the Composition to use (empty: chosen by compositionSelector or the default)", string())
                .param("compositionSelector", c.compositionSelector(), "Labels of the Composition to use (compositionSelector.matchLabels)", stringMap());
    }
}
