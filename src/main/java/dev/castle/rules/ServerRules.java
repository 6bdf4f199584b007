package dev.castle.rules;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.castle.load.Node;
import dev.castle.model.Infrastructure;
import dev.castle.model.Infrastructure.Type;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * An embedded server's own settings: configuration files the image can read (readable, small
 * enough for a ConfigMap, named as its folder reads them, one where the server takes one), and
 * variables that leave castle's own alone.
 */
final class ServerRules {
    static final List<Rule.OfInfrastructure> INFRASTRUCTURE = List.of(ServerRules::configFilesFitTheImage, ServerRules::envLeavesCastlesVariables,
            ServerRules::metricsHaveAnExporter, ServerRules::olderRabbitmqCanDoIt);

    /**
     * Variables the entrypoint of the RabbitMQ images before 3.10 turns into lines of the configuration
     * file (prefixes ending in '_', or exact names), which castle mounts read-only.
     */
    private static final List<String> RABBITMQ_ENTRYPOINT_CONFIG = List.of("RABBITMQ_SSL_", "RABBITMQ_MANAGEMENT_SSL_",
            "RABBITMQ_VM_MEMORY_HIGH_WATERMARK", "RABBITMQ_HIPE_COMPILE");

    /** Variables castle sets for each engine: exact names, or prefixes ending in '_'. */
    private static final Map<Type, Set<String>> CASTLES = Map.of(
            Type.postgresql, Set.of("POSTGRES_", "PGDATA"),
            Type.mysql, Set.of("MYSQL_"),
            Type.mongodb, Set.of("MONGO_INITDB_"),
            Type.redis, Set.of("REDIS_USERNAME", "REDIS_PASSWORD"),
            Type.rabbitmq, Set.of("RABBITMQ_DEFAULT_"),
            Type.memcached, Set.of(),
            Type.jaeger, Set.of("SPAN_STORAGE_TYPE", "MEMORY_MAX_TRACES", "BADGER_", "COLLECTOR_OTLP_ENABLED"),
            Type.kafka, Set.of("CLUSTER_ID", "KAFKA_ADVERTISED_LISTENERS", "KAFKA_CONTROLLER_LISTENER_NAMES", "KAFKA_CONTROLLER_QUORUM_VOTERS",
                    "KAFKA_HEAP_OPTS", "KAFKA_INTER_BROKER_LISTENER_NAME", "KAFKA_LISTENERS", "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP",
                    "KAFKA_LOG_DIRS", "KAFKA_NODE_ID", "KAFKA_PROCESS_ROLES"));

    private ServerRules() {
    }

    static void configFilesFitTheImage(Infrastructure c, SystemModel system, Findings out) {
        Map<String, Service.ConfigFile> files = c.server().configFiles();
        if (files.isEmpty() || c.mode() != Infrastructure.Mode.embedded || c.olderRabbitmq()) { // older RabbitMQ: olderRabbitmqCanDoIt
            return;
        }
        Type type = c.type();
        if (type.configDirectory().isEmpty()) {
            out.error(c.declared().at("config"), "the " + type + " image takes its settings as " + (type == Type.memcached ? "arguments" : "variables") + ", not files",
                    switch (type) {
                        case kafka -> "env: {KAFKA_NUM_PARTITIONS: \"3\"}";
                        case jaeger -> "env: {QUERY_BASE_PATH: /jaeger}, or args: [\"--query.base-path=/jaeger\"]";
                        default -> "args: [\"--max-item-size=2m\"]";
                    });
            return;
        }
        long total = 0;
        for (Map.Entry<String, Service.ConfigFile> e : files.entrySet()) {
            String at = c.declared().at("config/files/" + Node.escapePointerToken(e.getKey()));
            e.getValue().problem().ifPresent(problem -> out.error(at, problem, "a UTF-8 text file in the descriptor's folder or below it, at most 1 MiB"));
            if (!e.getKey().endsWith(type.configExtension()) || !e.getKey().matches("[-._a-zA-Z0-9]+")) {
                out.errorAtKey(at, "the " + type + " image reads " + type.configDirectory() + "/*" + type.configExtension()
                        + "; '" + e.getKey() + "' is not such a name", "letters, digits, '-', '_' and '.'"
                        + (type.configExtension().isEmpty() ? "" : ", ending in " + type.configExtension()));
            }
            total += e.getValue().size();
        }
        if (type.oneConfigFile() && files.size() > 1) {
            out.error(c.declared().at("config/files"), "the " + type + " server is started with one configuration file; " + files.size() + " are given",
                    "one file (more settings: args)");
        }
        if (total > ConfigRules.MAX_CONFIG_BYTES) {
            out.error(c.declared().at("config"), "config files add up to " + total + " bytes", "at most " + ConfigRules.MAX_CONFIG_BYTES
                    + " bytes (a ConfigMap holds at most 1 MiB)");
        }
    }

    static void envLeavesCastlesVariables(Infrastructure c, SystemModel system, Findings out) {
        for (Service.EnvVar e : c.server().env()) {
            boolean castles = CASTLES.get(c.type()).stream().anyMatch(owned -> owned.endsWith("_") ? e.name().startsWith(owned) : e.name().equals(owned))
                    || e.name().equals("HOME");
            if (castles) {
                out.errorAtKey(c.declared().at("env/" + Node.escapePointerToken(e.name())), e.name() + " is set by castle for the embedded "
                        + c.type() + " (its user, database, credentials, listeners or paths)", "the component's fields (username, database, auth, version)"
                        + " or another variable");
            }
        }
    }

    static void metricsHaveAnExporter(Infrastructure c, SystemModel system, Findings out) {
        if (c.server().metrics() && c.mode() == Infrastructure.Mode.embedded && c.metricsPort() == 0) {
            out.error(c.declared().at("metrics"), "castle runs no metrics exporter for the embedded " + c.type(),
                    "metrics: false; a kafka exporter as a service's sidecar, or mode operator (Strimzi's metrics)");
        }
    }

    /**
     * A RabbitMQ older than 3.10 (from 3.6, without authentication): castle's settings are the main
     * configuration file, which its entrypoint would rewrite; it reads no conf.d in every image (3.8's
     * from mid-2020 on, 3.9's); its virtual host is the default one, '/'; its metrics come from the
     * exporter, which reads the management API of the -management images.
     */
    static void olderRabbitmqCanDoIt(Infrastructure c, SystemModel system, Findings out) {
        if (c.mode() != Infrastructure.Mode.embedded || !c.olderRabbitmq()) {
            return;
        }
        String tag = c.versionTag();
        if (!c.server().configFiles().isEmpty()) {
            out.error(c.declared().at("config"), "the rabbitmq " + tag + " image reads no conf.d (the images read /etc/rabbitmq/conf.d from 3.9,"
                    + " some 3.8 ones too), and its main configuration file is castle's", "version: \"3.10\" or later for config files;"
                    + " or the server's settings as args or env");
        }
        if (c.declared().has("database")) {
            out.error(c.declared().at("database"), "the rabbitmq " + tag + " image runs RabbitMQ's default virtual host '/' only: its entrypoint"
                    + " writes RABBITMQ_DEFAULT_VHOST into the configuration file, which castle keeps read-only", "no database (clients get the"
                    + " virtual host /, %2F in the URL), or version: \"3.10\" or later");
        }
        boolean official = c.image().repository().equals(Infrastructure.Type.rabbitmq.repository);
        if (c.server().metrics() && official && !c.image().tag().contains("management")) {
            out.error(c.declared().at("metrics"), "the metrics of rabbitmq " + tag + " come from the exporter beside it, which reads the"
                    + " management API: the plugin is enabled in the -management images only", "a -management tag (version: \"" + tag + "-management\"), or metrics: false");
        }
        for (Service.EnvVar e : c.server().env()) {
            if (RABBITMQ_ENTRYPOINT_CONFIG.stream().anyMatch(owned -> owned.endsWith("_") ? e.name().startsWith(owned) : e.name().equals(owned))) {
                out.errorAtKey(c.declared().at("env/" + Node.escapePointerToken(e.name())), "the entrypoint of the rabbitmq " + tag
                        + " image writes " + e.name() + " into the configuration file, which castle keeps read-only", "version: \"3.10\" or later;"
                        + " or another variable (RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS)");
            }
        }
    }
}
