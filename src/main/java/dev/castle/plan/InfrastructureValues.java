package dev.castle.plan;

import static dev.castle.plan.Schemas.array;
import static dev.castle.plan.Schemas.bool;
import static dev.castle.plan.Schemas.integer;
import static dev.castle.plan.Schemas.object;
import static dev.castle.plan.Schemas.of;
import static dev.castle.plan.Schemas.oneOf;
import static dev.castle.plan.Schemas.string;
import static dev.castle.plan.Schemas.stringMap;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.castle.model.Infrastructure;
import dev.castle.model.Infrastructure.Type;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * Maps one embedded infrastructure component to its subchart's values (the only way user data
 * reaches the chart), and holds what castle knows of each official image: its user, the paths it
 * writes, its probes and the notes its README gives.
 */
final class InfrastructureValues {
    /** Pattern of user, database and virtual host names (as the descriptor schema has them). */
    static final String NAME = "^[A-Za-z_][A-Za-z0-9_-]{0,62}$";
    /** The MongoDB administrator the official image creates (it enables authentication only with one). */
    static final String MONGODB_ROOT_USER = "root";

    private InfrastructureValues() {
    }

    /** An emptyDir castle mounts where the image writes, so that the root filesystem stays read-only. */
    record WritablePath(String name, String mountPath, String sizeLimit, String medium, String why) {
    }

    /**
     * What castle knows of one official image. {@code uid} is the image's own user (its files and
     * entrypoint expect it); {@code dataPath} is where the data volume is mounted.
     */
    record Profile(String component, long uid, String dataPath, List<WritablePath> writable,
                   int terminationGracePeriodSeconds, Map<String, Object> startupProbe,
                   Map<String, Object> livenessProbe, Map<String, Object> readinessProbe, List<String> notes) {
    }

    static Profile profile(Type type) {
        String port = type.name();
        Map<String, Object> startup = probe(of("tcpSocket", of("port", port)), 10, 5, 30);
        return switch (type) {
            case postgresql -> new Profile("database", 999, "/var/lib/postgresql/data", List.of(
                    new WritablePath("tmp", "/tmp", "64Mi", "", "temporary files"),
                    new WritablePath("run", "/var/run/postgresql", "16Mi", "", "the Unix socket and its lock file"),
                    new WritablePath("dshm", "/dev/shm", "", "Memory", "POSIX shared memory of parallel queries (memory-backed: counts against the memory limit)")),
                    120, startup,
                    probe(exec("sh", "-c", "exec pg_isready -q -h /var/run/postgresql -p " + type.port
                            + " -U \"$POSTGRES_USER\" -d \"$POSTGRES_DB\""), 20, 10, 6),
                    probe(exec("sh", "-c", "exec pg_isready -q -h 127.0.0.1 -p " + type.port
                            + " -U \"$POSTGRES_USER\" -d \"$POSTGRES_DB\""), 10, 5, 3),
                    List.of("The data is in `/var/lib/postgresql/data/pgdata` (`PGDATA`), a subdirectory of the volume: "
                                    + "`initdb` needs an empty folder and a fresh volume may hold `lost+found`.",
                            "The official image creates the user (`POSTGRES_USER`) as a superuser and owner of the "
                                    + "database; it has no option for a less privileged owner.",
                            "Liveness asks the server over its Unix socket, readiness over TCP: the temporary server "
                                    + "of the first initialization listens on the socket only, so the pod is ready "
                                    + "only once the real server accepts connections."));
            case mysql -> new Profile("database", 999, "/var/lib/mysql", List.of(
                    new WritablePath("tmp", "/tmp", "1Gi", "", "the server's tmpdir (on-disk temporary tables and sort files)"),
                    new WritablePath("run", "/var/run/mysqld", "16Mi", "", "the Unix socket and the pid file")),
                    120, startup,
                    probe(exec("mysqladmin", "ping", "--silent", "--socket=/var/run/mysqld/mysqld.sock"), 20, 10, 6),
                    probe(exec("bash", "-c", "mysql --defaults-extra-file=<(printf '[client]\\nuser=%s\\npassword=%s\\n' "
                            + "\"$MYSQL_USER\" \"$MYSQL_PASSWORD\") --protocol=TCP -h 127.0.0.1 -P " + type.port
                            + " -e 'SELECT 1' > /dev/null"), 10, 5, 3),
                    List.of("The data is in `/var/lib/mysql/data` (`--datadir`), a subdirectory of the volume: "
                                    + "`mysqld --initialize` refuses a folder that holds anything, such as `lost+found`.",
                            "The root password is random (`MYSQL_RANDOM_ROOT_PASSWORD`): castle never sees or stores it; "
                                    + "the image prints it once in the container log of the first start, and root may "
                                    + "only connect from inside the pod (`MYSQL_ROOT_HOST=localhost`). The user "
                                    + "(`MYSQL_USER`) has every privilege on its database only.",
                            "Readiness logs in as the user over TCP (the password reaches `mysql` through a file "
                                    + "descriptor, never the command line), liveness only pings the server's socket."));
            case mongodb -> new Profile("database", 999, "/data/db", List.of(
                    new WritablePath("tmp", "/tmp", "256Mi", "", "the entrypoint's temporary files, the server's Unix socket and `HOME` of `mongosh`")),
                    120, startup,
                    probe(exec("sh", "-c", mongosh("/tmp/liveness", "db.adminCommand({ ping: 1 })")), 20, 10, 6),
                    probe(exec("sh", "-c", mongosh("/tmp/readiness", "db.hello().isWritablePrimary || quit(1)")), 10, 10, 3),
                    List.of("The image enables authentication only with an administrator: `" + MONGODB_ROOT_USER + "` in the "
                                    + "`admin` database, whose password is the Secret's `root-password` key (generated "
                                    + "like the user's). The user (`username`, `password`) is created by castle's init "
                                    + "script (`docker-entrypoint-initdb.d`) in its own database with the `dbOwner` role "
                                    + "only, so clients authenticate against that database (the default of a "
                                    + "`mongodb://host/database` URL).",
                            "`HOME` is `/tmp`: `mongosh` (init script and probes) keeps its logs there, and each probe "
                                    + "deletes what it wrote."));
            case redis -> new Profile("cache", 999, "/data", List.of(
                    new WritablePath("tmp", "/tmp", "16Mi", "", "temporary files")),
                    60, startup,
                    probe(exec("sh", "-c", "case \"$(redis-cli -h 127.0.0.1 -p " + type.port + " --user \"$REDIS_USERNAME\" ping)\" in "
                            + "PONG|LOADING*|BUSY*|MASTERDOWN*) exit 0 ;; *) exit 1 ;; esac"), 20, 10, 6),
                    probe(exec("sh", "-c", "[ \"$(redis-cli -h 127.0.0.1 -p " + type.port + " --user \"$REDIS_USERNAME\" ping)\" = PONG ]"), 10, 5, 3),
                    List.of("The password reaches `redis-server` as an argument, `--requirepass $(REDIS_PASSWORD)`: "
                                    + "Kubernetes substitutes it from the Secret when the container starts, so no manifest "
                                    + "and no value holds it; only processes inside the pod can see the command line. "
                                    + "With a user other than `default`, the `default` user is switched off and the named "
                                    + "user gets every permission (`--user NAME on >PASSWORD ~* &* +@all`).",
                            "`redis-cli` reads the password from `REDISCLI_AUTH`, never from its command line. Liveness "
                                    + "accepts a server that is still loading its data; readiness wants `PONG`."));
            case rabbitmq -> new Profile("broker", 999, "/var/lib/rabbitmq", List.of(
                    new WritablePath("tmp", "/tmp", "64Mi", "", "temporary files"),
                    new WritablePath("logs", "/var/log/rabbitmq", "64Mi", "", "the log folder, which stays empty: castle's `conf.d/90-castle.conf` sends the logs to the console only")),
                    120, startup,
                    probe(exec("rabbitmq-diagnostics", "-q", "ping"), 30, 20, 6),
                    probe(of("tcpSocket", of("port", port)), 10, 5, 3),
                    List.of("The user, its password and the virtual host are read by RabbitMQ itself from "
                                    + "`RABBITMQ_DEFAULT_USER`, `RABBITMQ_DEFAULT_PASS` and `RABBITMQ_DEFAULT_VHOST` at the "
                                    + "first boot; the user is an administrator. The `guest` user is not created.",
                            "The Erlang cookie is created at the first boot in the data volume (`HOME` is "
                                    + "`/var/lib/rabbitmq`).",
                            "Liveness runs `rabbitmq-diagnostics ping` (an Erlang VM per run, hence every 30 s); "
                                    + "readiness is the AMQP port accepting connections, as the RabbitMQ cluster operator does."));
            case kafka -> new Profile("broker", 1000, "/var/lib/kafka/data", List.of(
                    new WritablePath("tmp", "/tmp", "64Mi", "", "JVM temporary files"),
                    new WritablePath("kafka-config", "/opt/kafka/config", "16Mi", "", "`server.properties` and the log4j files, written by the image from the `KAFKA_*` variables at every start"),
                    new WritablePath("logs", "/opt/kafka/logs", "64Mi", "", "`LOG_DIR` of the Kafka scripts (the image logs to the console; castle switches the GC log file off)")),
                    120, startup,
                    probe(of("tcpSocket", of("port", port)), 20, 5, 6),
                    probe(exec("sh", "-c", "KAFKA_HEAP_OPTS='-Xmx64m -Xms16m' KAFKA_JVM_PERFORMANCE_OPTS='-XX:+UseSerialGC -XX:TieredStopAtLevel=1' "
                            + "/opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server 127.0.0.1:9094 > /dev/null"), 20, 15, 3),
                    List.of("**No authentication (documented exception).** Clients use PLAINTEXT on port " + type.port
                                    + " without credentials, so there is no Secret: the component is isolated by the "
                                    + "system's network policies instead (on by default), which admit only the services "
                                    + "that declare it in `dependsOn` and the `helm test` pod.",
                            "KRaft, one node that is both broker and controller, no ZooKeeper. The broker advertises "
                                    + "`<release>-<name>:" + type.port + "` to clients. The controller listener (9093) and "
                                    + "a loopback listener for the readiness probe and inter-broker traffic (9094) are bound "
                                    + "to 127.0.0.1, so they are not reachable from outside the pod.",
                            "The cluster id (`kafka.clusterId`) is derived from the system and component names, so "
                                    + "it is the same at every generation and the data volume stays valid across upgrades.",
                            "The data is in `/var/lib/kafka/data/kraft-combined-logs`, a subdirectory of the volume "
                                    + "(a `lost+found` folder is not a partition).",
                            "`KAFKA_HEAP_OPTS` (`kafka.heapOptions`) also reaches `server.properties` as an unused "
                                    + "`heap.opts` line, which the broker ignores with a warning: the image's wrapper excludes "
                                    + "`KAFKA_HEAP_OPT`, not `KAFKA_HEAP_OPTS`, from the properties it writes.",
                            "Liveness is the client port accepting connections; readiness runs "
                                    + "`kafka-broker-api-versions` against the loopback listener (a small JVM, hence "
                                    + "every 20 s)."));
        };
    }

    private static String mongosh(String home, String eval) {
        return "export HOME=" + home + "; mongosh --quiet --norc --eval '" + eval + "' > /dev/null; rc=$?; rm -rf "
                + home + "; exit $rc";
    }

    private static Map<String, Object> exec(String... command) {
        return of("exec", of("command", List.of(command)));
    }

    private static Map<String, Object> probe(Map<String, Object> handler, int period, int timeout, int failures) {
        Map<String, Object> probe = new LinkedHashMap<>(handler);
        probe.put("periodSeconds", period);
        probe.put("timeoutSeconds", timeout);
        probe.put("failureThreshold", failures);
        return probe;
    }

    /** A stable KRaft cluster id for the component: a URL-safe base64 UUID derived from its names. */
    static String kafkaClusterId(SystemModel system, Infrastructure infra) {
        for (int attempt = 0; ; attempt++) {
            UUID uuid = UUID.nameUUIDFromBytes(("castle:" + system.metadata().name() + "/" + infra.name() + "/" + attempt)
                    .getBytes(StandardCharsets.UTF_8));
            ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }

    static ChartValues forInfrastructure(SystemModel system, Infrastructure infra) {
        Type type = infra.type();
        Profile profile = profile(type);
        ChartValues v = new ChartValues();
        ServiceValues.commonParameters(v, system, profile.component(), infra.name());
        v.param("engine", type.name(), "The server the chart runs (chosen in the descriptor)", oneOf(type.name()));

        v.section("Image parameters");
        ServiceValues.image(v, "image", infra.image(), "the official " + type.name() + " image");
        v.param("imagePullSecrets", List.of(), "Names of existing docker-registry Secrets", array(string()));

        if (type.hasCredentials()) {
            v.section("Authentication");
            Map<String, Object> username = new LinkedHashMap<>(string(NAME));
            switch (type) {
                case mysql -> username.put("not", of("enum", List.of("root")));
                case mongodb -> username.put("not", of("enum", List.of(MONGODB_ROOT_USER)));
                default -> {
                }
            }
            v.param("auth.username", infra.username(), switch (type) {
                case redis -> "User name (default: the default user, with requirepass; another name: an ACL user, the default user off)";
                case rabbitmq -> "User created at the first boot (an administrator)";
                case mongodb -> "User created at the first initialization, dbOwner of its database (not " + MONGODB_ROOT_USER + ")";
                case mysql -> "User created at the first initialization, with every privilege on its database (not root)";
                default -> "User created at the first initialization (a superuser in the official image)";
            } + "; its password is generated into the Secret", username);
            switch (type) {
                case postgresql, mysql, mongodb -> v.param("auth.database", infra.database(), "Database created at the first initialization", string(NAME));
                case rabbitmq -> v.param("auth.virtualHost", infra.database(), "Virtual host created at the first boot (the user's default)", string(NAME));
                default -> {
                }
            }
            if (type == Type.mongodb) {
                v.param("auth.rootUsername", MONGODB_ROOT_USER, "Administrator in the admin database (its password: the Secret's root-password key)", string(NAME));
            }
            CredentialsValues.parameters(v, system.secrets(), system.network().policies());
        } else {
            v.section("Kafka")
                    .param("kafka.clusterId", kafkaClusterId(system, infra), "KRaft cluster id (22 characters of URL-safe base64); must not change once the volume is formatted", string("^[A-Za-z0-9_-]{22}$"))
                    .param("kafka.heapOptions", "-XX:MaxRAMPercentage=50.0", "JVM heap options of the broker (KAFKA_HEAP_OPTS); the default sizes the heap from the memory limit", string());
        }

        v.section("Service")
                .param("ports", Map.of(type.name(), new LinkedHashMap<>(of("containerPort", type.port, "servicePort", infra.port(), "protocol", "TCP",
                        "expose", true))), "The server's port (clients reach servicePort on the Service)",
                        Schemas.strictObject(of(type.name(), Schemas.strictObject(of("containerPort", Schemas.of("const", type.port),
                                "servicePort", integer(1, 65535), "protocol", oneOf("TCP"), "expose", Schemas.of("const", true)),
                                "containerPort", "servicePort", "protocol", "expose")), type.name()))
                .param("service.enabled", true, "Create the client Service", bool())
                .param("service.clusterIP", "", "None for a headless client Service; empty: allocated", oneOf("", "None"))
                .param("service.annotations", Map.of(), "Annotations of the client Service", stringMap());

        Infrastructure.Storage storage = infra.storage();
        v.section("Persistence")
                .param("persistence.enabled", !storage.ephemeral(), "Keep the data on a volume claim (false: an emptyDir, data lost with the pod)", bool())
                .param("persistence.mountPath", profile.dataPath(), "Where the image keeps its data", string("^/"))
                .param("persistence.size", storage.size(), "Size of the volume claim (also the size limit of the emptyDir)", of("type", List.of("string", "number"), "pattern", Schemas.QUANTITY))
                .param("persistence.storageClass", storage.storageClass().orElse(""), "Storage class of the volume claim (empty: the cluster's default)", string())
                .param("persistence.accessModes", List.of("ReadWriteOnce"), "Access modes of the volume claim", array(oneOf("ReadWriteOnce", "ReadWriteOncePod")))
                .param("volumes", writable(profile), "Where the image writes besides its data (the root filesystem is read-only): emptyDirs by name",
                        Schemas.mapOf(Schemas.strictObject(of("mountPath", string("^/"), "readOnly", bool(),
                                "emptyDir", Schemas.strictObject(of("medium", oneOf("", "Memory"), "sizeLimit", of("type", List.of("string", "number"), "pattern", Schemas.QUANTITY)))),
                                "mountPath", "emptyDir")));

        v.section("Resources, health and lifecycle")
                .param("resources", ServiceValues.resources(infra.resources()), "Requests and limits of the container", ServiceValues.resourcesSchema())
                .param("startupProbe", enabled(profile.startupProbe()), "Startup probe: enabled, then the probe in Kubernetes form", Schemas.probeSchema())
                .param("livenessProbe", enabled(profile.livenessProbe()), "Liveness probe: enabled, then the probe in Kubernetes form", Schemas.probeSchema())
                .param("readinessProbe", enabled(profile.readinessProbe()), "Readiness probe: enabled, then the probe in Kubernetes form", Schemas.probeSchema())
                .param("terminationGracePeriodSeconds", profile.terminationGracePeriodSeconds(), "Seconds the server gets to shut down cleanly after SIGTERM", integer(0))
                .param("revisionHistoryLimit", 5, "Old revisions of the StatefulSet kept for rollbacks", integer(0));

        v.section("Security");
        ServiceValues.security(v, new Service.Security(profile.uid(), profile.uid(), profile.uid(), true, true, false, List.of(),
                Service.SeccompProfile.RuntimeDefault));
        v.param("serviceAccount.create", true, "Create a ServiceAccount for the component", bool())
                .param("serviceAccount.name", "", "ServiceAccount name (default: the full name when created, else default)", string())
                .param("serviceAccount.annotations", Map.of(), "ServiceAccount annotations", stringMap())
                .param("serviceAccount.automountServiceAccountToken", false, "Mount the API token in the pod (the server never needs it)", bool());

        v.section("Placement")
                .param("nodeSelector", Map.of(), "Node labels the pod must run on", stringMap())
                .param("tolerations", List.of(), "Tolerations in Kubernetes form", array(object()))
                .param("priorityClassName", "", "An existing PriorityClass of the pod (empty: the cluster default)", string())
                .param("affinity", Map.of(), "Affinity in Kubernetes form", object());

        v.section("Pod metadata and extra objects")
                .param("podAnnotations", Map.of(), "Extra pod annotations", stringMap())
                .param("podLabels", Map.of(), "Extra pod labels (never used in selectors)", stringMap())
                .param("extraObjects", Map.of(), "Further manifests by any name, written as they are with toYaml (never evaluated as templates)",
                        Schemas.mapOf(object()));

        v.section("Tests")
                .param("tests.enabled", true, "Render the helm test hook that checks the Service accepts connections", bool())
                .param("tests.image", new LinkedHashMap<>(of("registry", ServiceValues.TEST_IMAGE_REGISTRY, "repository", ServiceValues.TEST_IMAGE_REPOSITORY,
                        "tag", ServiceValues.TEST_IMAGE_TAG, "digest", "", "pullPolicy", "IfNotPresent")), "Image of the test (needs nc)", ServiceValues.imageSchema())
                .param("tests.timeoutSeconds", 10, "Seconds the check may take", integer(1))
                .param("tests.checks", Map.of(type.name(), new LinkedHashMap<>(of("enabled", true, "path", ""))), "A TCP connect to the client port",
                        Schemas.mapOf(Schemas.strictObject(of("enabled", bool(), "path", Schemas.of("const", "")), "enabled")));
        return v;
    }

    private static Map<String, Object> enabled(Map<String, Object> probe) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("enabled", true);
        value.putAll(probe);
        return value;
    }

    private static Map<String, Object> writable(Profile profile) {
        Map<String, Object> volumes = new java.util.TreeMap<>();
        for (WritablePath w : profile.writable()) {
            Map<String, Object> emptyDir = new LinkedHashMap<>();
            if (!w.medium().isEmpty()) {
                emptyDir.put("medium", w.medium());
            }
            if (!w.sizeLimit().isEmpty()) {
                emptyDir.put("sizeLimit", w.sizeLimit());
            }
            volumes.put(w.name(), new LinkedHashMap<>(of("mountPath", w.mountPath(), "emptyDir", emptyDir)));
        }
        return volumes;
    }

    /** The writable paths as template data (castle's own constants). */
    static List<Map<String, Object>> writableData(Profile profile) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (WritablePath w : profile.writable()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", w.name());
            m.put("mountPath", w.mountPath());
            m.put("sizeLimit", w.sizeLimit());
            m.put("medium", w.medium());
            m.put("why", w.why());
            list.add(m);
        }
        return list;
    }
}
