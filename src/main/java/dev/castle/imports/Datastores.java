package dev.castle.imports;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Images of datastores that castle runs as infrastructure components, and what their environment
 * variables mean: the user and database to create become fields, the passwords become castle's
 * generated Secret (never written into the descriptor).
 */
final class Datastores {
    /** A castle infrastructure type; {@code official}: whether the image tag can be carried over as the version. */
    record Kind(String type, String image, boolean official, String note) {
    }

    /** What a variable of the datastore's image means to castle. */
    enum Role { username, database, password }

    private static final Map<String, Kind> IMAGES = Map.ofEntries(
            Map.entry("library/postgres", new Kind("postgresql", "library/postgres", true, "")),
            Map.entry("bitnami/postgresql", new Kind("postgresql", "library/postgres", false, "")),
            Map.entry("library/mysql", new Kind("mysql", "library/mysql", true, "")),
            Map.entry("bitnami/mysql", new Kind("mysql", "library/mysql", false, "")),
            Map.entry("library/mariadb", new Kind("mysql", "library/mysql", false,
                    "MariaDB runs as castle's embedded mysql type (the official MySQL image, which speaks the same protocol); "
                            + "to keep MariaDB, make it mode: external or chart")),
            Map.entry("bitnami/mariadb", new Kind("mysql", "library/mysql", false,
                    "MariaDB runs as castle's embedded mysql type (the official MySQL image); to keep MariaDB, make it mode: external or chart")),
            Map.entry("library/mongo", new Kind("mongodb", "library/mongo", true, "")),
            Map.entry("bitnami/mongodb", new Kind("mongodb", "library/mongo", false, "")),
            Map.entry("mongodb/mongodb-community-server", new Kind("mongodb", "library/mongo", false, "")),
            Map.entry("library/redis", new Kind("redis", "library/redis", true, "")),
            Map.entry("bitnami/redis", new Kind("redis", "library/redis", false, "")),
            Map.entry("redis/redis-stack-server", new Kind("redis", "library/redis", false,
                    "Redis Stack's modules are not in castle's embedded redis (the official image)")),
            Map.entry("valkey/valkey", new Kind("redis", "library/redis", false,
                    "Valkey runs as castle's embedded redis type (the official Redis image, the same protocol)")),
            Map.entry("library/rabbitmq", new Kind("rabbitmq", "library/rabbitmq", true, "")),
            Map.entry("bitnami/rabbitmq", new Kind("rabbitmq", "library/rabbitmq", false, "")),
            Map.entry("apache/kafka", new Kind("kafka", "apache/kafka", true, "")),
            Map.entry("bitnami/kafka", new Kind("kafka", "apache/kafka", false, "")),
            Map.entry("confluentinc/cp-kafka", new Kind("kafka", "apache/kafka", false,
                    "castle's embedded kafka is Apache Kafka in KRaft mode (no ZooKeeper)")),
            Map.entry("wurstmeister/kafka", new Kind("kafka", "apache/kafka", false,
                    "castle's embedded kafka is Apache Kafka in KRaft mode (no ZooKeeper)")));

    /** ZooKeeper images: not needed by castle's Kafka (KRaft). */
    static final List<String> ZOOKEEPER = List.of("library/zookeeper", "confluentinc/cp-zookeeper", "bitnami/zookeeper",
            "wurstmeister/zookeeper", "zookeeper");

    private static final Map<String, Map<String, Role>> VARIABLES = Map.of(
            "postgresql", Map.of("POSTGRES_USER", Role.username, "POSTGRES_DB", Role.database, "POSTGRES_PASSWORD", Role.password,
                    "POSTGRESQL_USERNAME", Role.username, "POSTGRESQL_DATABASE", Role.database, "POSTGRESQL_PASSWORD", Role.password),
            "mysql", Map.ofEntries(Map.entry("MYSQL_USER", Role.username), Map.entry("MYSQL_DATABASE", Role.database),
                    Map.entry("MYSQL_PASSWORD", Role.password), Map.entry("MYSQL_ROOT_PASSWORD", Role.password),
                    Map.entry("MARIADB_USER", Role.username), Map.entry("MARIADB_DATABASE", Role.database),
                    Map.entry("MARIADB_PASSWORD", Role.password), Map.entry("MARIADB_ROOT_PASSWORD", Role.password),
                    Map.entry("MYSQL_ALLOW_EMPTY_PASSWORD", Role.password), Map.entry("MYSQL_RANDOM_ROOT_PASSWORD", Role.password),
                    Map.entry("MARIADB_ALLOW_EMPTY_ROOT_PASSWORD", Role.password)),
            "mongodb", Map.of("MONGO_INITDB_ROOT_USERNAME", Role.username, "MONGO_INITDB_DATABASE", Role.database,
                    "MONGO_INITDB_ROOT_PASSWORD", Role.password),
            "rabbitmq", Map.of("RABBITMQ_DEFAULT_USER", Role.username, "RABBITMQ_DEFAULT_VHOST", Role.database,
                    "RABBITMQ_DEFAULT_PASS", Role.password),
            "redis", Map.of("REDIS_PASSWORD", Role.password, "ALLOW_EMPTY_PASSWORD", Role.password),
            "kafka", Map.of());

    private Datastores() {
    }

    static Optional<Kind> of(ImageRef image) {
        return Optional.ofNullable(IMAGES.get(image.repository()));
    }

    static boolean isZookeeper(ImageRef image) {
        return ZOOKEEPER.contains(image.repository());
    }

    static Optional<Role> role(String type, String variable) {
        Role role = VARIABLES.getOrDefault(type, Map.of()).get(variable);
        if (role == null && variable.endsWith("_FILE")) {
            role = VARIABLES.getOrDefault(type, Map.of()).get(variable.substring(0, variable.length() - 5));
        }
        return Optional.ofNullable(role);
    }

    /** The port clients use, for matching {@code host:port} references. */
    static int port(String type) {
        return switch (type) {
            case "postgresql" -> 5432;
            case "mysql" -> 3306;
            case "mongodb" -> 27017;
            case "redis" -> 6379;
            case "rabbitmq" -> 5672;
            default -> 9092;
        };
    }

    /** URL schemes a client may use for it (castle injects its own form of the URL). */
    static List<String> schemes(String type) {
        return switch (type) {
            case "postgresql" -> List.of("postgres", "postgresql", "jdbc:postgresql");
            case "mysql" -> List.of("mysql", "jdbc:mysql", "mariadb", "jdbc:mariadb");
            case "mongodb" -> List.of("mongodb");
            case "redis" -> List.of("redis", "rediss");
            case "rabbitmq" -> List.of("amqp", "amqps");
            default -> List.of();
        };
    }
}
