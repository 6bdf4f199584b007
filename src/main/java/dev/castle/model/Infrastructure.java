package dev.castle.model;

import java.util.List;
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
        /** The server's image: the official one (embedded), the operand's (operator, where castle writes one). */
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
        Auth auth,
        /** The server's version as written: {@code version}, else the image's tag. */
        String versionTag,
        /** The client Service of an embedded component: {@code {release}-<name>}, or the name the descriptor gives. */
        String serviceName,
        OperatorSettings operator,
        Optional<ClaimSettings> claim,
        /** What an embedded server runs with beyond castle's own settings: args, env, config files. */
        Server server,
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
        mysql("docker.io", "library/mysql", "8.4.3", 3306, "mysql", true, new Versions(5, 6, 9,
                "castle's root and data-directory handling (MYSQL_ROOT_HOST, the data directory initialized in a subdirectory) was checked"
                        + " against the images of 5.6 (from 5.6.35, the first whose entrypoint reads MYSQL_ROOT_HOST) and later; the"
                        + " official images of 5.5 and older are end of life")),
        mongodb("docker.io", "library/mongo", "8.0.4", 27017, "mongodb", true, new Versions(6, 0, 8,
                "castle's init script and probes need mongosh, and images before 6.0 run init scripts with the legacy mongo shell (or lack mongosh)")),
        redis("docker.io", "library/redis", "7.4.1", 6379, "redis", false, new Versions(6, 0, 8,
                "a user other than default, redis-cli --user and the ACL arguments need Redis 6.0")),
        rabbitmq("docker.io", "library/rabbitmq", "4.0.5", 5672, "amqp", true, new Versions(3, 10, 4,
                "RabbitMQ itself reads the user, password and virtual host (RABBITMQ_DEFAULT_*) and the image reads conf.d only"
                        + " from 3.9, whose first images refused those variables; 3.10 is the first minor with both throughout"
                        + " (before it, the images' entrypoint writes those variables into the configuration file, which castle keeps"
                        + " read-only: auth: none, RabbitMQ's guest user, runs from 3.6)")),
        kafka("docker.io", "apache/kafka", "3.9.0", 9092, "", false, new Versions(3, 7, 4,
                "apache/kafka images exist from 3.7.0 on")),
        memcached("docker.io", "library/memcached", "1.6.40", 11211, "", false, new Versions(1, 6, 1,
                "the official repository maintains 1.6 images only (1.5 and older are end of life)")),
        /** A tracing backend: Jaeger all-in-one (collector, query UI and, before 1.63, the agent) with in-memory storage. */
        jaeger("docker.io", "jaegertracing/all-in-one", "1.76.0", 4317, "", false, new Versions(1, 35, 1,
                "Jaeger receives OTLP (ports 4317 and 4318) from 1.35 on; Jaeger 2.x is another image (jaegertracing/jaeger) configured by a file"));

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

        /**
         * Where the official image reads configuration files, and how many it takes: a folder it
         * reads every file of (mysql's conf.d, {@code *.cnf}; rabbitmq's conf.d, {@code *.conf}), or
         * the one file the server is started with (postgresql's {@code -c config_file=}, mongodb's
         * {@code --config}, redis's first argument); empty for kafka (its settings are variables).
         */
        public String configDirectory() {
            return switch (this) {
                case postgresql -> "/etc/postgresql";
                case mysql -> "/etc/mysql/conf.d";
                case mongodb -> "/etc/mongo";
                case redis -> "/usr/local/etc/redis";
                case rabbitmq -> "/etc/rabbitmq/conf.d";
                case kafka, memcached, jaeger -> "";
            };
        }

        /**
         * The port of the type's metrics: its standard exporter's (postgres_exporter, mysqld_exporter,
         * the Percona MongoDB exporter, redis_exporter, memcached_exporter), RabbitMQ's own Prometheus plugin; 0 for kafka
         * (castle runs no exporter for it).
         */
        public int metricsPort() {
            return switch (this) {
                case postgresql -> 9187;
                case mysql -> 9104;
                case mongodb -> 9216;
                case redis -> 9121;
                case rabbitmq -> 15692;
                case memcached -> 9150;
                case jaeger -> JAEGER_ADMIN_PORT;
                case kafka -> 0;
            };
        }

        /**
         * The image of the type's standard exporter castle runs beside the server for {@code metrics: true}:
         * none for rabbitmq and jaeger (they serve their own metrics; a rabbitmq before 3.10 has
         * {@link Infrastructure#exporterImage}) and kafka.
         */
        public Optional<Service.Image> exporterImage() {
            return Optional.ofNullable(switch (this) {
                case postgresql -> new Service.Image("quay.io", "prometheuscommunity/postgres-exporter", "v0.16.0", "", Service.Image.DEFAULT_PULL_POLICY);
                case mysql -> new Service.Image("docker.io", "prom/mysqld-exporter", "v0.16.0", "", Service.Image.DEFAULT_PULL_POLICY);
                case mongodb -> new Service.Image("docker.io", "percona/mongodb_exporter", "0.43.1", "", Service.Image.DEFAULT_PULL_POLICY);
                case redis -> new Service.Image("docker.io", "oliver006/redis_exporter", "v1.67.0", "", Service.Image.DEFAULT_PULL_POLICY);
                case memcached -> new Service.Image("docker.io", "prom/memcached-exporter", "v0.16.0", "", Service.Image.DEFAULT_PULL_POLICY);
                case rabbitmq, kafka, jaeger -> null;
            });
        }

        /**
         * The image castle writes into the operator's custom resource for a version: CloudNativePG's
         * PostgreSQL operand ({@code imageName}), RabbitMQ's with the management plugin the Cluster
         * Operator uses; none where the operator picks the image from the version (Strimzi, MongoDB).
         */
        public Optional<Service.Image> operandImage(String version) {
            return Optional.ofNullable(switch (this) {
                case postgresql -> new Service.Image("ghcr.io", "cloudnative-pg/postgresql", version, "", Service.Image.DEFAULT_PULL_POLICY);
                case rabbitmq -> new Service.Image(registry, repository, version + "-management", "", Service.Image.DEFAULT_PULL_POLICY);
                default -> null;
            });
        }

        /** Whether the image reads one configuration file given on its command line (else every file of its folder). */
        public boolean oneConfigFile() {
            return this == postgresql || this == mongodb || this == redis;
        }

        /** The extension the image's folder reads files by (empty: any name). */
        public String configExtension() {
            return switch (this) {
                case mysql -> ".cnf";
                case rabbitmq -> ".conf";
                default -> "";
            };
        }

        /**
         * Whether the component takes a user name and password (embedded Kafka and memcached, whose
         * clients mostly speak its unauthenticated text protocol, are isolated by network policy instead).
         */
        public boolean hasCredentials() {
            return this != kafka && this != memcached && this != jaeger;
        }

        /** Whether the type is a tracing backend, which observability.tracing.backend may name. */
        public boolean isTracingBackend() {
            return this == jaeger;
        }

        /** The authentication modes the embedded chart can set up for this image. */
        public java.util.List<AuthMode> authModes() {
            return hasCredentials() ? java.util.List.of(AuthMode.values()) : java.util.List.of(AuthMode.none);
        }
    }

    /**
     * How clients authenticate: {@code generated} (embedded: castle makes the Secret once in the
     * cluster), {@code none} (no credentials at all), or {@code existingSecret} (a Secret that exists,
     * or comes from a secret manager, holds the password: the server and its clients read it there).
     */
    public enum AuthMode { generated, none, existingSecret }

    /**
     * The authentication of the component: its mode and, for {@code existingSecret}, the Secret and
     * its keys ({@code usernameKey} empty: clients get the user name as a literal, the component's
     * {@code username}); {@code rootPasswordKey} is the key of the server's administrator's password,
     * which the existing Secret holds when {@code rootPasswordInSecret}: always for an embedded
     * MongoDB (its administrator), for an embedded MySQL when the key is written (root, from any host,
     * for applications that log in as root), else never.
     */
    public record Auth(AuthMode mode, Optional<SecretRef> existingSecret, String rootPasswordKey, boolean rootPasswordInSecret) {
        public static final String DEFAULT_ROOT_PASSWORD_KEY = "root-password";
    }

    /**
     * An embedded server's own settings: arguments after castle's, environment variables beside
     * castle's, and configuration files (name to file) mounted where the image reads them
     * ({@link Type#configDirectory}); {@code metrics}: the type's standard Prometheus exporter
     * beside the server ({@link Infrastructure#metricsPort}), whose image is {@code exporter} (none for rabbitmq
     * from 3.10, whose own plugin serves the metrics, nor for kafka).
     */
    public record Server(List<String> args, List<Service.EnvVar> env, Map<String, Service.ConfigFile> configFiles, boolean metrics,
                         Optional<Service.Image> exporter) {
        public Server {
            args = List.copyOf(args);
            env = List.copyOf(env);
            configFiles = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(configFiles));
        }
    }

    public record Storage(String size, Optional<String> storageClass, boolean ephemeral) {
    }

    /** Jaeger's admin port: its health check ({@code /}) and its own Prometheus metrics ({@code /metrics}). */
    public static final int JAEGER_ADMIN_PORT = 14269;
    /** The first all-in-one image without the Jaeger agent (its UDP ports 6831 and 6832), removed in 1.63. */
    public static final Version JAEGER_WITHOUT_AGENT = new Version(1, 63);

    /**
     * A port of an embedded component's server: its name, container port (the Service's port too),
     * protocol, and whether the client Service carries it.
     */
    public record ServerPort(String name, int port, Service.Protocol protocol, boolean onService) {
    }

    /**
     * The ports of the server: the type's one client port, named after the type; Jaeger's by version:
     * OTLP over gRPC (4317, the default a dependency calls) and HTTP (4318), the query UI and API
     * (16686), the agent's UDP ports for the legacy Jaeger clients before 1.63 (compact Thrift 6831,
     * binary Thrift 6832), and the admin port (14269: health and metrics), which only the probes and
     * Prometheus reach, so it is not on the Service.
     */
    public List<ServerPort> serverPorts() {
        if (type != Type.jaeger) {
            return List.of(new ServerPort(type.name(), port, Service.Protocol.TCP, true));
        }
        List<ServerPort> ports = new java.util.ArrayList<>(List.of(
                new ServerPort("otlp-grpc", port, Service.Protocol.TCP, true),
                new ServerPort("otlp-http", 4318, Service.Protocol.TCP, true),
                new ServerPort("query", 16686, Service.Protocol.TCP, true)));
        if (hasJaegerAgent()) {
            ports.add(new ServerPort("agent-compact", 6831, Service.Protocol.UDP, true));
            ports.add(new ServerPort("agent-binary", 6832, Service.Protocol.UDP, true));
        }
        ports.add(new ServerPort("admin", JAEGER_ADMIN_PORT, Service.Protocol.TCP, false));
        return List.copyOf(ports);
    }

    /** Whether a Jaeger all-in-one image still runs the agent (before 1.63; a tag without a version counts as a recent one). */
    public boolean hasJaegerAgent() {
        return type == Type.jaeger && version().filter(v -> v.major() < JAEGER_WITHOUT_AGENT.major()
                || v.major() == JAEGER_WITHOUT_AGENT.major() && v.minor() < JAEGER_WITHOUT_AGENT.minor()).isPresent();
    }

    /** The port a tracing backend receives OTLP on for a protocol: otlp-grpc (4317) or otlp-http (4318). */
    public ServerPort otlpPort(Operations.TracingProtocol protocol) {
        String name = protocol == Operations.TracingProtocol.GRPC ? "otlp-grpc" : "otlp-http";
        return serverPorts().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    /** A Secret with the credentials: the password's key, and the user name's key (empty: the user name is not in it). */
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
     * Where its clients find credentials: the Secret the operator or the claim writes (Kafka users
     * get one per client, see {@link OperatorWiring}); else by its auth: the generated Secret of an
     * embedded component, the existing one named, or none (auth none).
     */
    public Optional<SecretRef> credentials() {
        return switch (mode) {
            case operator -> OperatorWiring.credentials(this);
            case claim -> claim.map(c -> new SecretRef(OperatorWiring.connectionSecret(this), c.usernameKey(), c.passwordKey()));
            case embedded, external, chart -> switch (auth.mode()) {
                case none -> Optional.empty();
                case generated -> Optional.of(new SecretRef("{release}-" + name, "username", "password"));
                case existingSecret -> auth.existingSecret();
            };
        };
    }

    /**
     * The same component with each image it runs changed (pinned, for one): an embedded server's (or
     * the operand image castle writes for its operator) at
     * {@code /infrastructure/<name>/image} (or its version) and the exporter's at {@code .../metrics}.
     */
    public Infrastructure withImages(Service.ImageChange change) {
        boolean operand = mode == Mode.operator && type.operandImage(versionTag).isPresent();
        Service.Image newImage = mode != Mode.embedded && !operand ? image
                : change.apply(declared.at(declared.has("image") ? "image" : "version"), "the " + type + (operand ? " operand image of '" : " image of '")
                        + name + "'", image);
        Server s = server;
        Optional<Service.Image> newExporter = s.exporter().map(e -> change.apply(declared.at("metrics"), "the " + type + " exporter of '" + name + "'", e));
        return new Infrastructure(name, type, mode, newImage, database, username, storage, resources, port, externalHost, tls, cidr, secret, chart,
                auth, versionTag, serviceName, operator, claim, new Server(s.args(), s.env(), s.configFiles(), s.metrics(), newExporter), declared);
    }

    /** A server version: its major and minor numbers (a tag of the major alone counts as its latest minor). */
    public record Version(int major, int minor) {
        /** Whether this version is older than another. */
        public boolean before(Version other) {
            return major < other.major || major == other.major && minor < other.minor;
        }

        /** The version at the start of a tag (or {@code version}), when it starts with one. */
        public static Optional<Version> of(String tag) {
            java.util.regex.Matcher m = VERSION.matcher(tag);
            if (!m.matches()) {
                return Optional.empty();
            }
            return Optional.of(new Version(number(m.group(1)), m.group(2) == null ? Integer.MAX_VALUE : number(m.group(2))));
        }
    }

    /**
     * The first RabbitMQ whose official images castle configures through conf.d and RABBITMQ_DEFAULT_*; older
     * lines (from 3.6) run without authentication, with castle's own configuration file, and their metrics
     * through the standard exporter beside the server.
     */
    public static final Version RABBITMQ_CONF_D = new Version(3, 10);
    /** The first RabbitMQ whose configuration file is {@code rabbitmq.conf} (before: {@code rabbitmq.config}, Erlang terms). */
    public static final Version RABBITMQ_CONF = new Version(3, 7);
    /** The management API's port, which the exporter beside an older RabbitMQ reads. */
    public static final int RABBITMQ_MANAGEMENT_PORT = 15672;

    /** A MySQL 5.6 tag with its patch number. */
    private static final java.util.regex.Pattern MYSQL_56_PATCH = java.util.regex.Pattern.compile("^v?5\\.6\\.(\\d{1,4})(?:[-_+].*)?$");
    /** The first MySQL 5.6 patch whose images read MYSQL_ROOT_HOST (its entrypoint gained it while 5.6.35 was the current 5.6). */
    public static final int MYSQL_56_ROOT_HOST_PATCH = 35;

    /**
     * Whether a tag is a MySQL 5.6 image older than 5.6.35: their entrypoint creates root at any host,
     * whatever MYSQL_ROOT_HOST says, so castle's root-only-inside-the-pod does not hold there.
     */
    public static boolean mysqlBeforeRootHost(Type type, String tag) {
        java.util.regex.Matcher m = MYSQL_56_PATCH.matcher(tag);
        return type == Type.mysql && m.matches() && Integer.parseInt(m.group(1)) < MYSQL_56_ROOT_HOST_PATCH;
    }

    /** Whether the server is a RabbitMQ older than 3.10 (a tag without a version counts as a recent one). */
    public boolean olderRabbitmq() {
        return olderRabbitmq(type, versionTag);
    }

    static boolean olderRabbitmq(Type type, String tag) {
        return type == Type.rabbitmq && Version.of(tag).filter(v -> v.before(RABBITMQ_CONF_D)).isPresent();
    }

    /**
     * Where castle's own settings of an embedded RabbitMQ go: a file of conf.d from 3.10, before it the main
     * configuration file, which the entrypoint then leaves alone ({@code rabbitmq.conf} from 3.7,
     * {@code rabbitmq.config} in Erlang terms in 3.6).
     */
    public String rabbitmqConfigFile() {
        if (!olderRabbitmq()) {
            return "/etc/rabbitmq/conf.d/90-castle.conf";
        }
        return version().filter(v -> v.before(RABBITMQ_CONF)).isPresent() ? "/etc/rabbitmq/rabbitmq.config" : "/etc/rabbitmq/rabbitmq.conf";
    }

    /**
     * The port of the component's metrics ({@link Type#metricsPort}); a RabbitMQ older than 3.10 has no
     * Prometheus plugin in every image, so its metrics come from the standard exporter beside it (9419).
     */
    public int metricsPort() {
        return olderRabbitmq() ? RABBITMQ_EXPORTER_PORT : type.metricsPort();
    }

    /** The port of kbudde/rabbitmq-exporter (its default from 1.0). */
    public static final int RABBITMQ_EXPORTER_PORT = 9419;

    /** The exporter castle runs beside an embedded server of a version for metrics: true ({@link Type#exporterImage}, RabbitMQ's before 3.10). */
    static Optional<Service.Image> exporterImage(Type type, String tag) {
        return olderRabbitmq(type, tag)
                ? Optional.of(new Service.Image("docker.io", "kbudde/rabbitmq-exporter", "1.0.0", "", Service.Image.DEFAULT_PULL_POLICY))
                : type.exporterImage();
    }

    /** The version at the start of a tag: 17, 8.4, 7.4.1-alpine, 3.13-management, v1.6. */
    private static final java.util.regex.Pattern VERSION = java.util.regex.Pattern.compile("^v?(\\d+)(?:\\.(\\d+))?(?:[.\\-_+].*)?$");

    /** The server's version, when its tag (or {@code version}) starts with one. */
    public Optional<Version> version() {
        return Version.of(versionTag);
    }

    private static int number(String digits) {
        return digits.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(digits);
    }

    /**
     * The versions the embedded chart supports for this component: older images where castle needs
     * less of them (MongoDB from 3.4 without authentication, through the legacy mongo shell; Redis
     * from 5.0 with the default user or none, which need no ACLs; RabbitMQ from 3.6 without
     * authentication, its guest user on the default virtual host).
     */
    public Versions supportedVersions() {
        boolean open = auth.mode() == AuthMode.none;
        return switch (type) {
            case mongodb -> open ? new Versions(3, 4, 8, "images before 3.4 are not maintained by the official repository any more"
                    + " (with authentication castle needs 6.0: its init script runs in mongosh)") : type.versions;
            case redis -> open || username.equals("default") ? new Versions(5, 0, 8, "images before 5.0 are not maintained by the"
                    + " official repository any more (a named user needs the ACLs of 6.0)") : type.versions;
            case rabbitmq -> open ? new Versions(3, 6, 4, "3.6 is the oldest line whose images castle's chart was checked against"
                    + " (their entrypoint, Dockerfile and guest user; 3.5 and older are end of life since 2016); with credentials"
                    + " castle needs 3.10") : type.versions;
            default -> type.versions;
        };
    }

    /** Whether castle makes the component's credentials Secret in the cluster (an embedded component with auth generated). */
    public boolean generatesCredentials() {
        return mode == Mode.embedded && auth.mode() == AuthMode.generated;
    }

    /** The name of the managed subchart ({@code <name>-operator}, {@code <name>-claim}) of this component in a mode. */
    public static String managedChart(String name, Mode mode) {
        return name + "-" + mode.name();
    }
}
