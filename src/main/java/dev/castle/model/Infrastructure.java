package dev.castle.model;

import java.util.Map;
import java.util.Optional;

/**
 * An infrastructure component (database, cache, broker) with defaults resolved.
 * <ul>
 * <li>embedded: castle generates a subchart {@code charts/<name>} with a StatefulSet of the official
 * image; clients reach it at the Service {@code <release>-<name>}; its credentials Secret is
 * {@code <release>-<name>} with keys {@code username} and {@code password}.</li>
 * <li>external: outside the cluster at {@code host:port}; credentials in an existing Secret.</li>
 * <li>chart: an upstream chart, a dependency of the parent chart.</li>
 * <li>operator: a custom resource of the type's operator (CloudNativePG, Strimzi, the RabbitMQ
 * Cluster Operator, the MongoDB Community Operator) in a subchart {@code charts/<name>-operator};
 * clients reach the Services and read the Secrets the operator creates ({@link OperatorWiring}).</li>
 * <li>claim: a Crossplane claim (or any composite resource) in a subchart {@code charts/<name>-claim};
 * clients read host and credentials from the connection Secret it writes.</li>
 * </ul>
 */
public record Infrastructure(
        String name,
        Type type,
        Mode mode,
        Service.Image image,
        String database,
        String username,
        Storage storage,
        Service.Resources resources,
        int port,
        Optional<String> externalHost,
        boolean tls,
        String cidr,
        Optional<SecretRef> secret,
        Optional<UpstreamChart> chart,
        OperatorSettings operator,
        Optional<ClaimSettings> claim,
        Declared declared) {

    public enum Mode {
        embedded, external, chart, operator, claim;

        /** Modes whose subchart castle writes from the library: {@code charts/<name>-<mode>}. */
        public boolean managed() {
            return this == operator || this == claim;
        }
    }

    /**
     * The versions of an official image whose commands, paths, users and variables castle's
     * embedded chart was written against: from {@code fromMajor.fromMinor} to any
     * {@code toMajor.x}, with why older images do not work.
     */
    public record Versions(int fromMajor, int fromMinor, int toMajor, String whyNotOlder) {
        /** "14 to 18.x", as messages say it. */
        public String range() {
            return fromMajor + "." + fromMinor + " to " + toMajor + ".x";
        }

        /** Whether a major.minor version is in the range. */
        public boolean contains(int major, int minor) {
            return (major > fromMajor || major == fromMajor && minor >= fromMinor) && major <= toMajor;
        }
    }

    /** The kinds castle knows, with their official image, port, URL scheme and the versions castle supports. */
    public enum Type {
        postgresql("docker.io", "library/postgres", "17.2", 5432, "postgresql", true, new Versions(14, 0, 18,
                "the images maintained by the official repository (13 and older are end of life, with older entrypoints)")),
        mysql("docker.io", "library/mysql", "8.4.3", 3306, "mysql", true, new Versions(8, 0, 9,
                "5.7 is end of life, and castle's root and data-directory handling was checked against 8.0 and later")),
        mongodb("docker.io", "library/mongo", "8.0.4", 27017, "mongodb", true, new Versions(6, 0, 8,
                "castle's init script and probes need mongosh, and images before 6.0 run init scripts with the legacy mongo shell (or lack mongosh)")),
        redis("docker.io", "library/redis", "7.4.1", 6379, "redis", false, new Versions(6, 0, 8,
                "a user other than default, redis-cli --user and the ACL arguments need Redis 6.0")),
        rabbitmq("docker.io", "library/rabbitmq", "4.0.5", 5672, "amqp", true, new Versions(3, 10, 4,
                "RabbitMQ itself reads the user, password and virtual host (RABBITMQ_DEFAULT_*) and the image reads conf.d only"
                        + " from 3.9, whose first images refused those variables; 3.10 is the first minor with both throughout")),
        kafka("docker.io", "apache/kafka", "3.9.0", 9092, "", false, new Versions(3, 7, 4,
                "apache/kafka images exist from 3.7.0 on"));

        public final String registry;
        public final String repository;
        public final String defaultTag;
        public final int port;
        /** URL scheme, empty when clients take host:port (Kafka bootstrap servers). */
        public final String scheme;
        /** Whether the URL names a database (or virtual host). */
        public final boolean hasDatabase;
        /** The image versions the embedded chart supports. */
        public final Versions versions;

        Type(String registry, String repository, String defaultTag, int port, String scheme, boolean hasDatabase, Versions versions) {
            this.registry = registry;
            this.repository = repository;
            this.defaultTag = defaultTag;
            this.port = port;
            this.scheme = scheme;
            this.hasDatabase = hasDatabase;
            this.versions = versions;
        }

        /** Whether the component takes a user name and password (embedded Kafka is isolated by network policy instead). */
        public boolean hasCredentials() {
            return this != kafka;
        }
    }

    public record Storage(String size, Optional<String> storageClass, boolean ephemeral) {
    }

    public record SecretRef(String name, String usernameKey, String passwordKey) {
    }

    /**
     * What the operator runs (mode operator): instances (PostgreSQL instances, Kafka nodes that are
     * both broker and controller, RabbitMQ nodes, MongoDB replica set members), the server version
     * when the user chose one, and the settings only one operator has.
     */
    public record OperatorSettings(int instances, Optional<String> version, Optional<Pooler> pooler, Optional<Backup> backup,
                                   Map<String, Topic> topics) {
        public OperatorSettings {
            topics = Map.copyOf(topics);
        }
    }

    /** A CloudNativePG PgBouncer Pooler in front of the primary; clients connect to it. */
    public record Pooler(int instances, String poolMode) {
    }

    /**
     * CloudNativePG backups to object storage (Barman Cloud): the base backups of a
     * ScheduledBackup (a six-field cron, seconds first) and the WAL archive, kept for
     * {@code retention}; the S3 credentials come from an existing Secret.
     */
    public record Backup(String destinationPath, Optional<String> endpointURL, String secretName, String accessKeyIdKey,
                         String secretAccessKeyKey, String schedule, String retention) {
    }

    /** Settings of a Kafka topic (a Strimzi KafkaTopic); services name the topics they use in dependsOn. */
    public record Topic(int partitions, int replicas, Map<String, Object> config) {
        public Topic {
            config = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(config));
        }
    }

    /**
     * A Crossplane claim (mode claim): its apiVersion, kind and parameters as the user gives them,
     * how a composition is chosen, and the keys of the connection Secret it writes
     * ({@code writeConnectionSecretToRef}) that hold the host and the credentials.
     */
    public record ClaimSettings(String apiVersion, String kind, Map<String, Object> parameters, Optional<String> compositionRef,
                                Map<String, String> compositionSelector, String hostKey, String usernameKey, String passwordKey) {
    }

    public record UpstreamChart(String repository, String name, String version, Map<String, Object> values,
                                String serviceName, Map<String, String> podLabels) {
    }

    /**
     * Where its clients find credentials: the generated Secret of an embedded component, the one
     * named, or the Secret the operator or the claim writes (Kafka users get one per client, see
     * {@link OperatorWiring}).
     */
    public Optional<SecretRef> credentials() {
        return switch (mode) {
            case embedded -> type.hasCredentials() ? Optional.of(new SecretRef("{release}-" + name, "username", "password")) : Optional.empty();
            case operator -> OperatorWiring.credentials(this);
            case claim -> claim.map(c -> new SecretRef(OperatorWiring.connectionSecret(this), c.usernameKey(), c.passwordKey()));
            case external, chart -> secret;
        };
    }

    /** The name of the managed subchart ({@code <name>-operator}, {@code <name>-claim}) of this component in a mode. */
    public static String managedChart(String name, Mode mode) {
        return name + "-" + mode.name();
    }
}
