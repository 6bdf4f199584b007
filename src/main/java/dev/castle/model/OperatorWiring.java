package dev.castle.model;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.castle.model.Infrastructure.Type;

/**
 * What each operator creates for a component in mode operator, by the names, keys and labels its
 * documentation gives; {@code {release}} stands for the release name. castle names the custom
 * resource {@code {release}-<component>} (the subchart's {@code nameOverride} is the component's
 * name), so:
 * <ul>
 * <li>CloudNativePG: clients use the Service {@code <cluster>-rw} (or the Pooler's Service,
 * {@code <cluster>-pooler}) and the Secret {@code <cluster>-app} (keys username, password, host,
 * port, dbname, uri, jdbc-uri, pgpass); instance pods carry {@code cnpg.io/cluster} and
 * {@code cnpg.io/podRole: instance}, pooler pods {@code cnpg.io/poolerName}.</li>
 * <li>Strimzi: the bootstrap Service {@code <cluster>-kafka-bootstrap:9092}, then every broker on
 * the same port; each client has a KafkaUser {@code <cluster>-<client>} (SCRAM-SHA-512) whose
 * Secret of the same name holds {@code password} and {@code sasl.jaas.config}; the user name is the
 * KafkaUser's name. Broker pods carry {@code strimzi.io/cluster}, {@code strimzi.io/kind: Kafka} and
 * {@code strimzi.io/broker-role: "true"}.</li>
 * <li>RabbitMQ Cluster Operator: the Service {@code <cluster>} (amqp 5672) and the Secret
 * {@code <cluster>-default-user} (keys username, password, host, port, provider, type,
 * default_user.conf); pods carry {@code app.kubernetes.io/name: <cluster>} and
 * {@code app.kubernetes.io/component: rabbitmq}.</li>
 * <li>MongoDB Community Operator: the headless Service {@code <cluster>-svc} and, per user, the
 * Secret {@code <cluster>-<auth-db>-<user>} (normalized to a DNS name; keys username, password,
 * connectionString.standard, connectionString.standardSrv); pods carry {@code app: <cluster>-svc}.</li>
 * </ul>
 */
public final class OperatorWiring {
    /** The types an operator castle knows runs. */
    public static final java.util.Set<Type> TYPES = java.util.EnumSet.of(Type.postgresql, Type.kafka, Type.rabbitmq, Type.mongodb);
    /** The SASL mechanism of the Strimzi listener castle writes. */
    public static final String KAFKA_SASL_MECHANISM = "SCRAM-SHA-512";
    public static final String KAFKA_SECURITY_PROTOCOL = "SASL_PLAINTEXT";
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");

    private OperatorWiring() {
    }

    /** The custom resource's name: the cluster, replica set or claim. */
    public static String resourceName(Infrastructure c) {
        return "{release}-" + c.name();
    }

    /** The CloudNativePG Pooler's name (and its Service's). */
    public static String poolerName(Infrastructure c) {
        return resourceName(c) + "-pooler";
    }

    /** The Service clients connect to. */
    public static String host(Infrastructure c) {
        String cluster = resourceName(c);
        return switch (c.type()) {
            case postgresql -> c.operator().pooler().isPresent() ? poolerName(c) : cluster + "-rw";
            case kafka -> cluster + "-kafka-bootstrap";
            case rabbitmq -> cluster;
            case mongodb -> cluster + "-svc";
            default -> throw new IllegalArgumentException("no operator for " + c.type());
        };
    }

    /** The labels of the pods clients open connections to. */
    public static Map<String, String> podLabels(Infrastructure c) {
        String cluster = resourceName(c);
        Map<String, String> labels = new LinkedHashMap<>();
        switch (c.type()) {
            case postgresql -> {
                if (c.operator().pooler().isPresent()) {
                    labels.put("cnpg.io/poolerName", poolerName(c));
                } else {
                    labels.put("cnpg.io/cluster", cluster);
                    labels.put("cnpg.io/podRole", "instance");
                }
            }
            case kafka -> {
                labels.put("strimzi.io/cluster", cluster);
                labels.put("strimzi.io/kind", "Kafka");
                labels.put("strimzi.io/broker-role", "true");
            }
            case rabbitmq -> {
                labels.put("app.kubernetes.io/name", cluster);
                labels.put("app.kubernetes.io/component", "rabbitmq");
            }
            case mongodb -> labels.put("app", cluster + "-svc");
            default -> throw new IllegalArgumentException("no operator for " + c.type());
        }
        return labels;
    }

    /** The Secret (and its keys) with the user name and password the operator writes; none for Kafka (one per client). */
    static Optional<Infrastructure.SecretRef> credentials(Infrastructure c) {
        return switch (c.type()) {
            case postgresql -> Optional.of(new Infrastructure.SecretRef(resourceName(c) + "-app", "username", "password"));
            case rabbitmq -> Optional.of(new Infrastructure.SecretRef(resourceName(c) + "-default-user", "username", "password"));
            case mongodb -> Optional.of(new Infrastructure.SecretRef(mongodbUserSecret(c), "username", "password"));
            default -> Optional.empty();
        };
    }

    /** The KafkaUser (and Secret) of one client of a Kafka cluster. */
    public static String kafkaUser(Infrastructure kafka, String client) {
        return resourceName(kafka) + "-" + client;
    }

    /** The Secret a claim's composite resource writes its connection details to. */
    public static String connectionSecret(Infrastructure c) {
        return resourceName(c) + "-connection";
    }

    /**
     * The connection-string Secret of the MongoDB user: {@code <cluster>-<auth-db>-<user>}, made a
     * DNS name as the operator does (lower case, runs of other characters as one '-'); the release
     * name is one already.
     */
    public static String mongodbUserSecret(Infrastructure c) {
        String suffix = c.name() + "-" + c.database() + "-" + c.username();
        if (!DNS_SUBDOMAIN.matcher(suffix).matches()) {
            suffix = suffix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("-+", "-").replaceAll("^-|-$", "");
        }
        return "{release}-" + suffix;
    }

    /**
     * Characters the operator appends to the resource's name in the longest name it derives that
     * Kubernetes limits to 63 (a Service, a label value, a StatefulSet's revision-hash label).
     */
    public static int longestSuffix(Infrastructure c) {
        return switch (c.type()) {
            case postgresql -> "-pooler".length();
            case kafka -> Math.max("-entity-operator".length(), ("-" + c.name() + "-999").length()); // pods <cluster>-<pool>-<id>
            case rabbitmq -> "-server".length() + 11;
            case mongodb -> 11;
            default -> 0;
        };
    }
}
