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

    static Profile profile(Infrastructure infra) {
        Type type = infra.type();
        boolean none = infra.auth().mode() == Infrastructure.AuthMode.none;
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
                    none ? probe(exec("mysql", "--protocol=TCP", "-h", "127.0.0.1", "-P", String.valueOf(type.port), "-u", "root",
                            "-e", "SELECT 1"), 10, 5, 3)
                    : probe(exec("bash", "-c", "mysql --defaults-extra-file=<(printf '[client]\\nuser=%s\\npassword=%s\\n' "
                            + "\"$MYSQL_USER\" \"$MYSQL_PASSWORD\") --protocol=TCP -h 127.0.0.1 -P " + type.port
                            + " -e 'SELECT 1' > /dev/null"), 10, 5, 3),
                    List.of("The data is in `/var/lib/mysql/data` (`--datadir`), a subdirectory of the volume: "
                                    + "`mysqld --initialize` (5.7 and later; `mysql_install_db` in 5.6) wants a folder that holds nothing, not even `lost+found`.",
                            "The root password is random (`MYSQL_RANDOM_ROOT_PASSWORD`): castle never sees or stores it; "
                                    + "the image prints it once in the container log of the first start, and root may "
                                    + "only connect from inside the pod (`MYSQL_ROOT_HOST=localhost`). The user "
                                    + "(`MYSQL_USER`) has every privilege on its database only.",
                            "Readiness logs in as the user over TCP (the password reaches `mysql` through a file "
                                    + "descriptor, never the command line), liveness only pings the server's socket."));
            case mongodb -> new Profile("database", 999, "/data/db", List.of(
                    new WritablePath("tmp", "/tmp", "256Mi", "", "the entrypoint's temporary files, the server's Unix socket and `HOME` of `mongosh`")),
                    120, startup,
                    probe(exec("sh", "-c", mongoShell(infra, "/tmp/liveness", "db.adminCommand({ ping: 1 })")), 20, 10, 6),
                    probe(exec("sh", "-c", mongoShell(infra, "/tmp/readiness", legacyMongo(infra)
                            ? "db.isMaster().ismaster || quit(1)" : "db.hello().isWritablePrimary || quit(1)")), 10, 10, 3),
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
                    probe(exec("sh", "-c", "case \"$(redis-cli -h 127.0.0.1 -p " + type.port + redisUser(infra) + " ping)\" in "
                            + "PONG|LOADING*|BUSY*|MASTERDOWN*) exit 0 ;; *) exit 1 ;; esac"), 20, 10, 6),
                    probe(exec("sh", "-c", "[ \"$(redis-cli -h 127.0.0.1 -p " + type.port + redisUser(infra) + " ping)\" = PONG ]"), 10, 5, 3),
                    List.of("The password reaches `redis-server` as an argument, `--requirepass $(REDIS_PASSWORD)`: "
                                    + "Kubernetes substitutes it from the Secret when the container starts, so no manifest "
                                    + "and no value holds it; only processes inside the pod can see the command line. "
                                    + "With a user other than `default`, the `default` user is switched off and the named "
                                    + "user gets every permission (`--user NAME on >PASSWORD ~* &* +@all`).",
                            "`redis-cli` reads the password from `REDISCLI_AUTH`, never from its command line. Liveness "
                                    + "accepts a server that is still loading its data; readiness wants `PONG`."));
            case rabbitmq -> rabbitmqProfile(infra, startup);
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
            case memcached -> new Profile("cache", 11211, "/tmp", List.of(),
                    30, startup,
                    probe(of("tcpSocket", of("port", port)), 20, 5, 6),
                    probe(of("tcpSocket", of("port", port)), 10, 5, 3),
                    List.of("**No authentication.** castle sets up none (memcached's own, SASL over the binary protocol or an `--auth-file`, "
                                    + "needs clients that speak it): clients connect on port " + type.port
                                    + " without credentials, so there is no Secret; the component is isolated by the "
                                    + "system's network policies instead (on by default), which admit only the services "
                                    + "that declare it in `dependsOn` and the `helm test` pod.",
                            "The cache lives in memory only: `-m` (`memcached.memoryMiB`) is " + MEMCACHED_MEMORY_PERCENT
                                    + "% of the container's memory limit, leaving the rest for connections, the hash table "
                                    + "and the threads. The volume is a small emptyDir at `/tmp` (memcached writes no files).",
                            "Liveness and readiness are the client port accepting connections."));
            case jaeger -> jaegerProfile(infra);
        };
    }

    /**
     * RabbitMQ: the image's user 999, its logs on the console. From 3.10 castle's settings are a file of
     * conf.d and RabbitMQ reads the user, password and virtual host from RABBITMQ_DEFAULT_*; before
     * 3.10 (from 3.6, without authentication) castle's settings are the main configuration file, so
     * the entrypoint, which rewrites that file when it is missing or any RABBITMQ_DEFAULT_* is set,
     * leaves it alone, and clients log in as RabbitMQ's guest user on the virtual host {@code /}.
     */
    private static Profile rabbitmqProfile(Infrastructure infra, Map<String, Object> startup) {
        String file = infra.rabbitmqConfigFile();
        boolean older = infra.olderRabbitmq();
        // rabbitmq-diagnostics ping was checked from 3.10 on; rabbitmqctl status answers in every version
        boolean diagnostics = !older;
        List<String> notes = new ArrayList<>();
        if (older) {
            notes.add("No authentication of castle's own: clients log in as RabbitMQ's `guest` user (password `guest`) on the "
                    + "default virtual host `/`. castle's `" + file + "` lets `guest` connect from other hosts than "
                    + "localhost (`loopback_users`); the network policies admit only the declared callers. castle sets no "
                    + "`RABBITMQ_DEFAULT_*` variable: the entrypoint of the images before 3.10 would write them into this file, "
                    + "which is read-only.");
        } else {
            notes.add("The user, its password and the virtual host are read by RabbitMQ itself from "
                    + "`RABBITMQ_DEFAULT_USER`, `RABBITMQ_DEFAULT_PASS` and `RABBITMQ_DEFAULT_VHOST` at the "
                    + "first boot; the user is an administrator. The `guest` user is not created.");
        }
        if (older) {
            notes.add("RabbitMQ before 3.10 measures the node's memory, not the container's limit: castle's file sets the memory high "
                    + "watermark, above which publishers are blocked, to " + RABBITMQ_WATERMARK_PERCENT + "% of the memory limit "
                    + "(`rabbitmq.memoryHighWatermarkBytes`).");
        }
        notes.add("The Erlang cookie is created at the first boot in the data volume (`HOME` is `/var/lib/rabbitmq`).");
        notes.add("Liveness runs `" + (diagnostics ? "rabbitmq-diagnostics ping" : "rabbitmqctl status") + "` (an Erlang VM per run, "
                + "hence every 30 s); readiness is the AMQP port accepting connections, as the RabbitMQ cluster operator does.");
        if (older && infra.server().metrics()) {
            notes.add("The metrics come from `kbudde/rabbitmq-exporter` beside the server (port " + Infrastructure.RABBITMQ_EXPORTER_PORT
                    + "), which reads the management API on localhost as `guest`: the images enable the Prometheus plugin only from 3.8.x"
                    + " builds of mid-2020 on, so castle uses it from 3.10.");
        }
        return new Profile("broker", 999, "/var/lib/rabbitmq", List.of(
                new WritablePath("tmp", "/tmp", "64Mi", "", "temporary files"),
                new WritablePath("logs", "/var/log/rabbitmq", "64Mi", "", "the log folder, which stays empty: the logs go to the console only")),
                120, startup,
                probe(diagnostics ? exec("rabbitmq-diagnostics", "-q", "ping") : exec("rabbitmqctl", "-q", "status"), 30, 20, 6),
                probe(of("tcpSocket", of("port", infra.type().name())), 10, 5, 3),
                List.copyOf(notes));
    }


    /** Jaeger all-in-one: its health check on the admin port, the image's user 10001, traces in memory unless kept in Badger. */
    private static Profile jaegerProfile(Infrastructure infra) {
        boolean memory = infra.storage().ephemeral();
        Map<String, Object> health = of("httpGet", of("path", "/", "port", Infrastructure.JAEGER_ADMIN_PORT));
        List<String> notes = new ArrayList<>(List.of(
                memory ? "**The traces are in memory only and are not durable**: they are lost at every restart of the pod, "
                        + "and the oldest are dropped beyond `jaeger.maxTraces` (`MEMORY_MAX_TRACES`, " + JAEGER_TRACES_PER_MIB
                        + " per MiB of the memory limit by default). For traces that survive a restart, say `storage: {ephemeral: false}` "
                        + "in the descriptor (or `persistence.enabled=true`): Jaeger keeps them in Badger on the volume claim."
                        : "The traces are kept in Badger (`SPAN_STORAGE_TYPE=badger`) on the volume claim, keys and values in "
                        + "subdirectories of `persistence.mountPath`; `persistence.enabled=false` keeps them in memory instead.",
                "No authentication: castle sets up none (Jaeger's collector and UI have none of their own). The network policies "
                        + "admit to the OTLP ports the services traced to it (`observability.tracing.backend`), to any port the services "
                        + "that name it in `dependsOn`, and the `helm test` pod; reach the UI with `kubectl port-forward svc/<release>-"
                        + infra.name() + " 16686`.",
                "Ports: OTLP over gRPC on 4317 and over HTTP on 4318, the query UI and API on 16686"
                        + (infra.hasJaegerAgent() ? ", the agent's compact (6831) and binary (6832) Thrift over UDP for the legacy Jaeger clients" : "")
                        + ", and the admin port 14269 (health and metrics), which only the probes"
                        + (infra.server().metrics() ? " and Prometheus" : "") + " reach."
                        + (infra.hasJaegerAgent() ? "" : " This version has no agent (removed in 1.63): legacy clients that send UDP need 1.62 or older."),
                "Liveness, readiness and start-up ask the admin port's health check (`GET /` on 14269).",
                "The pod runs as uid 10001, the images' own user from 1.50 (older images run as root and write only to their "
                        + "volumes, so they run as 10001 too)."));
        return new Profile("tracing", JAEGER_UID, memory ? "/tmp" : "/badger",
                memory ? List.of() : List.of(new WritablePath("tmp", "/tmp", "16Mi", "", "temporary files")),
                30, probe(health, 5, 5, 30), probe(health, 20, 5, 6), probe(health, 10, 5, 3), List.copyOf(notes));
    }

    /** The user of the Jaeger images. */
    static final long JAEGER_UID = 10001;
    /** Traces Jaeger's in-memory storage keeps per MiB of the memory limit (MEMORY_MAX_TRACES). */
    static final int JAEGER_TRACES_PER_MIB = 50;

    /** Jaeger's MEMORY_MAX_TRACES: {@link #JAEGER_TRACES_PER_MIB} per MiB of the memory limit (at least 100), 10000 without a limit. */
    static long jaegerMaxTraces(Infrastructure infra) {
        return memoryLimitMiB(infra).map(mib -> Math.max(100, mib.multiply(java.math.BigDecimal.valueOf(JAEGER_TRACES_PER_MIB)).longValue()))
                .orElse(10000L);
    }

    /** The share of the memory limit an older RabbitMQ may use before it blocks publishers (its own default share of the node's memory). */
    static final int RABBITMQ_WATERMARK_PERCENT = 40;

    /**
     * An older RabbitMQ's absolute memory high watermark: {@link #RABBITMQ_WATERMARK_PERCENT} of the memory
     * limit in bytes (the images' entrypoint passed the cgroup limit on when it wrote the file), 0 without a limit.
     */
    static long rabbitmqMemoryHighWatermark(Infrastructure infra) {
        return java.util.Optional.ofNullable(infra.resources().limits().get("memory")).map(limit -> dev.castle.model.Quantity.parse(limit)
                .multiply(java.math.BigDecimal.valueOf(RABBITMQ_WATERMARK_PERCENT)).divide(java.math.BigDecimal.valueOf(100))
                .setScale(0, java.math.RoundingMode.DOWN).longValueExact()).orElse(0L);
    }

    /** The share of the memory limit memcached's item memory ({@code -m}) gets. */
    static final int MEMCACHED_MEMORY_PERCENT = 80;

    /** memcached's {@code -m}: {@link #MEMCACHED_MEMORY_PERCENT} of the memory limit in MiB, at least 8 (64, its own default, without a limit). */
    static long memcachedMemoryMiB(Infrastructure infra) {
        return memoryLimitMiB(infra).map(mib -> Math.max(8, mib.multiply(java.math.BigDecimal.valueOf(MEMCACHED_MEMORY_PERCENT))
                .divide(java.math.BigDecimal.valueOf(100)).longValue())).orElse(64L);
    }

    /** The component's memory limit in MiB, when it has one (what the in-memory servers size their memory by). */
    private static java.util.Optional<java.math.BigDecimal> memoryLimitMiB(Infrastructure infra) {
        return java.util.Optional.ofNullable(infra.resources().limits().get("memory")).map(limit -> dev.castle.model.Quantity.parse(limit)
                .divide(java.math.BigDecimal.valueOf(1024L * 1024L), java.math.MathContext.DECIMAL64));
    }

    /**
     * A command of the image's shell: mongosh from 6.0, the legacy mongo shell before (the versions
     * castle runs without authentication), with its own HOME that it deletes afterwards.
     */
    private static String mongoShell(Infrastructure infra, String home, String eval) {
        return "export HOME=" + home + "; " + (legacyMongo(infra) ? "mongo" : "mongosh") + " --quiet --norc --eval '" + eval
                + "' > /dev/null; rc=$?; rm -rf " + home + "; exit $rc";
    }

    /** Whether the image is a MongoDB before 6.0, which has the legacy mongo shell and no mongosh. */
    static boolean legacyMongo(Infrastructure infra) {
        return infra.type() == Type.mongodb && infra.version().filter(v -> v.major() < 6).isPresent();
    }

    /** redis-cli's user argument: the named user of Redis 6's ACLs, none for the default user or without authentication. */
    private static String redisUser(Infrastructure infra) {
        return infra.auth().mode() == Infrastructure.AuthMode.none || infra.username().equals("default") ? "" : " --user \"$REDIS_USERNAME\"";
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
        Profile profile = profile(infra);
        ChartValues v = new ChartValues();
        ServiceValues.commonParameters(v, system, profile.component(), infra.name());
        v.param("engine", type.name(), "The server the chart runs (chosen in the descriptor)", oneOf(type.name()));

        v.section("Image parameters");
        ServiceValues.image(v, "image", infra.image(), "the official " + type.name() + " image");
        v.param("imagePullSecrets", List.of(), "Names of existing docker-registry Secrets", array(string()));

        Infrastructure.AuthMode mode = infra.auth().mode();
        boolean open = mode == Infrastructure.AuthMode.none;
        if (type.hasCredentials()) {
            v.section("Authentication");
            v.param("auth.mode", mode.name(), "How clients authenticate, chosen in the descriptor: generated (castle makes the Secret once in the "
                    + "cluster), existingSecret (the server and its clients read the password from an existing Secret) or none", oneOf(mode.name()));
            Map<String, Object> username = new LinkedHashMap<>(string(NAME));
            switch (type) {
                case mysql -> username.put("not", of("enum", List.of("root")));
                case mongodb -> username.put("not", of("enum", List.of(MONGODB_ROOT_USER)));
                default -> {
                }
            }
            if (!open || type == Type.postgresql) {
                v.param("auth.username", infra.username(), switch (type) {
                    case redis -> "User name (default: the default user, with requirepass; another name: an ACL user, the default user off)";
                    case rabbitmq -> "User created at the first boot (an administrator)";
                    case mongodb -> "User created at the first initialization, dbOwner of its database (not " + MONGODB_ROOT_USER + ")";
                    case mysql -> "User created at the first initialization, with every privilege on its database (not root)";
                    default -> open ? "Superuser created at the first initialization (without a password: every client is trusted)"
                            : "User created at the first initialization (a superuser in the official image)";
                } + (mode == Infrastructure.AuthMode.generated ? "; its password is generated into the Secret"
                        : open ? "" : "; its password is in auth.existingSecret"), username);
            }
            switch (type) {
                case postgresql, mysql -> v.param("auth.database", infra.database(), "Database created at the first initialization", string(NAME));
                case mongodb -> {
                    if (!open) {
                        v.param("auth.database", infra.database(), "Database created at the first initialization", string(NAME));
                    }
                }
                case rabbitmq -> {
                    if (!infra.olderRabbitmq()) {
                        v.param("auth.virtualHost", infra.database(), "Virtual host created at the first boot (the user's default)", string(NAME));
                    }
                }
                default -> {
                }
            }
            if (type == Type.mongodb && !open) {
                v.param("auth.rootUsername", MONGODB_ROOT_USER, "Administrator in the admin database (its password: the Secret's "
                        + (mode == Infrastructure.AuthMode.generated ? "root-password key)" : "auth.rootPasswordKey)"), string(NAME));
            }
            infra.auth().existingSecret().filter(ref -> mode == Infrastructure.AuthMode.existingSecret).ifPresent(ref -> {
                v.param("auth.existingSecret", ref.name(), "The existing Secret the server and its clients read the password from", string(Schemas.DNS_SUBDOMAIN))
                        .param("auth.passwordKey", ref.passwordKey(), "The key of the user's password in auth.existingSecret", string("^[-._a-zA-Z0-9]+$"));
                if (infra.auth().rootPasswordInSecret()) {
                    v.param("auth.rootPasswordKey", infra.auth().rootPasswordKey(), "The key of the administrator's password in auth.existingSecret"
                                    + (type == Type.mysql ? " (root's, from any host the network policies admit)" : ""),
                            string("^[-._a-zA-Z0-9]+$"));
                }
            });
            if (mode == Infrastructure.AuthMode.generated) {
                CredentialsValues.parameters(v, system);
            }
        }
        if (type == Type.rabbitmq) {
            v.section("RabbitMQ")
                    .param("rabbitmq.configFile", infra.rabbitmqConfigFile(), "Where castle's own settings (console logs; without authentication, "
                            + "guest from other hosts) are mounted: a file of conf.d from 3.10, the main configuration file before (which the "
                            + "entrypoint then leaves alone; Erlang terms in 3.6), chosen by the version in the descriptor",
                            oneOf(infra.rabbitmqConfigFile()));
            if (infra.olderRabbitmq()) {
                v.param("rabbitmq.memoryHighWatermarkBytes", rabbitmqMemoryHighWatermark(infra), "Memory in bytes above which the server blocks "
                        + "publishers (vm_memory_high_watermark, absolute): " + RABBITMQ_WATERMARK_PERCENT + "% of the memory limit by default, "
                        + "since RabbitMQ before 3.10 measures the node's memory, not the container's limit (0: RabbitMQ's own, "
                        + RABBITMQ_WATERMARK_PERCENT + "% of the node's); keep it below the limit", integer(0));
            }
        }
        if (type == Type.memcached) {
            v.section("Memcached")
                    .param("memcached.memoryMiB", memcachedMemoryMiB(infra), "Item memory in MiB (-m): " + MEMCACHED_MEMORY_PERCENT
                            + "% of the memory limit by default; keep it below the limit (connections, hash table and threads need the rest)", integer(1));
        }
        if (type == Type.jaeger) {
            v.section("Jaeger")
                    .param("jaeger.maxTraces", jaegerMaxTraces(infra), "Traces the in-memory storage keeps (MEMORY_MAX_TRACES; the oldest are dropped "
                            + "beyond): " + JAEGER_TRACES_PER_MIB + " per MiB of the memory limit by default. With persistence.enabled the traces "
                            + "are in Badger on the volume claim instead", integer(1));
        }
        if (type == Type.kafka) {
            v.section("Kafka")
                    .param("kafka.clusterId", kafkaClusterId(system, infra), "KRaft cluster id (22 characters of URL-safe base64); must not change once the volume is formatted", string("^[A-Za-z0-9_-]{22}$"))
                    .param("kafka.heapOptions", "-XX:MaxRAMPercentage=50.0", "JVM heap options of the broker (KAFKA_HEAP_OPTS); the default sizes the heap from the memory limit", string());
        }

        Infrastructure.Server server = infra.server();
        v.section("Server settings")
                .param("args", server.args(), "Further arguments of the server, after castle's (" + switch (type) {
                    case postgresql -> "-c name=value";
                    case mysql -> "--name=value";
                    case mongodb -> "--option value";
                    case redis -> "--name value";
                    default -> "as the image's entrypoint takes them";
                } + ")", array(string()))
                .param("env", ServiceValues.env(server.env()), "Further environment variables by name, beside castle's: a literal, or {value, dependsOn},"
                        + " {secretKeyRef}, {configMapKeyRef}, {fieldRef}, {resourceFieldRef}", Schemas.mapOf(ServiceValues.envSchema()));
        if (!type.configDirectory().isEmpty()) {
            Map<String, Object> files = new java.util.TreeMap<>();
            server.configFiles().forEach((name, file) -> files.put(name, file.content()));
            Map<String, Object> fileNames = new LinkedHashMap<>(string("^[-._a-zA-Z0-9]+" + java.util.regex.Pattern.quote(type.configExtension()) + "$"));
            Map<String, Object> filesSchema = new LinkedHashMap<>(of("type", "object", "propertyNames", fileNames, "additionalProperties", string()));
            if (type.oneConfigFile()) {
                filesSchema.put("maxProperties", 1);
            }
            if (infra.olderRabbitmq()) {
                filesSchema.put("maxProperties", 0); // conf.d is not read by every image before 3.10
            }
            v.param("config.mountPath", type.configDirectory(), "Where the image reads its configuration files", Schemas.of("const", type.configDirectory()))
                    .param("config.files", files, type.oneConfigFile()
                            ? "The server's configuration file (at most one: name -> text), mounted at config.mountPath/<name> and given to the server ("
                                    + switch (type) {
                                        case postgresql -> "-c config_file=<path>: it replaces postgresql.conf, so it sets listen_addresses = '*'";
                                        case mongodb -> "--config <path>";
                                        default -> "its first argument";
                                    } + ")"
                            : "Configuration files (name" + type.configExtension() + " -> text) the server reads from config.mountPath"
                                    + (infra.olderRabbitmq() ? " (none before RabbitMQ 3.10, whose images do not all read conf.d)" : ""), filesSchema);
        }

        v.section("Service")
                .param("ports", ports(infra), "The server's port (clients reach servicePort on the Service)"
                        + (infra.server().metrics() ? ", and its metrics' (port metrics, for Prometheus)" : ""), portsSchema(infra))
                .param("service.enabled", true, "Create the client Service", bool())
                .param("service.mainPort", infra.serverPorts().get(0).name(), "The client port the release notes give as the address",
                        oneOf(infra.serverPorts().stream().filter(Infrastructure.ServerPort::onService).map(Infrastructure.ServerPort::name).toArray(String[]::new)))
                .param("service.name", ServiceValues.fixedName(infra.serviceName()), "Name of the client Service, for clients that expect a fixed "
                        + "host name (empty: <release>-<chart>, the full name)", string(ServiceValues.SERVICE_NAME))
                .param("service.clusterIP", "", "None for a headless client Service; empty: allocated", oneOf("", "None"))
                .param("service.annotations", Map.of(), "Annotations of the client Service", stringMap());

        Infrastructure.Storage storage = infra.storage();
        metrics(v, system, infra);

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
                .param("tests.image", ServiceValues.imageValue(system.helpers().tools()), "Image of the test (needs nc)", ServiceValues.imageSchema())
                .param("tests.timeoutSeconds", 10, "Seconds the check may take", integer(1))
                .param("tests.checks", testChecks(infra), type == Type.jaeger ? "TCP connects to the OTLP (gRPC) and query ports" : "A TCP connect to the client port",
                        Schemas.mapOf(Schemas.strictObject(of("enabled", bool(), "path", Schemas.of("const", "")), "enabled")));
        return v;
    }

    /** The helm test's checks: a TCP connect to the client port (Jaeger's OTLP gRPC and query ports). */
    private static Map<String, Object> testChecks(Infrastructure infra) {
        Map<String, Object> checks = new java.util.TreeMap<>();
        for (String port : infra.type() == Type.jaeger ? List.of("otlp-grpc", "query") : List.of(infra.type().name())) {
            checks.put(port, new LinkedHashMap<>(of("enabled", true, "path", "")));
        }
        return checks;
    }

    /** The server's port, and the metrics' when asked (on the exporter's container, or the server's own for rabbitmq from 3.10). */
    private static Map<String, Object> ports(Infrastructure infra) {
        Type type = infra.type();
        boolean metricsOn = infra.server().metrics() && infra.metricsPort() > 0;
        Map<String, Object> ports = new java.util.TreeMap<>();
        for (Infrastructure.ServerPort p : infra.serverPorts()) {
            if (metricsOn && p.port() == infra.metricsPort()) {
                continue; // the server's own metrics port (Jaeger's admin port) is the port metrics below
            }
            int containerPort = type == Type.jaeger ? p.port() : type.port;
            ports.put(p.name(), new LinkedHashMap<>(of("containerPort", containerPort, "servicePort", p.port(), "protocol", p.protocol().name(),
                    "expose", p.onService())));
        }
        if (metricsOn) {
            Map<String, Object> metrics = new LinkedHashMap<>(of("containerPort", infra.metricsPort(), "servicePort", infra.metricsPort(),
                    "protocol", "TCP", "expose", true));
            if (infra.server().exporter().isPresent()) {
                metrics.put("container", "exporter");
            }
            ports.put("metrics", metrics);
        }
        return ports;
    }

    private static Map<String, Object> portsSchema(Infrastructure infra) {
        Type type = infra.type();
        boolean metricsOn = infra.server().metrics() && infra.metricsPort() > 0;
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (Infrastructure.ServerPort p : infra.serverPorts()) {
            if (metricsOn && p.port() == infra.metricsPort()) {
                continue;
            }
            required.add(p.name());
            properties.put(p.name(), Schemas.strictObject(of("containerPort", Schemas.of("const", type == Type.jaeger ? p.port() : type.port),
                    "servicePort", integer(1, 65535), "protocol", oneOf(p.protocol().name()), "expose", Schemas.of("const", p.onService())),
                    "containerPort", "servicePort", "protocol", "expose"));
        }
        if (metricsOn) {
            Map<String, Object> metrics = new LinkedHashMap<>(of("containerPort", Schemas.of("const", infra.metricsPort()),
                    "servicePort", integer(1, 65535), "protocol", oneOf("TCP"), "expose", bool()));
            if (infra.server().exporter().isPresent()) {
                metrics.put("container", Schemas.of("const", "exporter"));
            }
            properties.put("metrics", Schemas.strictObject(metrics, "containerPort", "servicePort", "protocol", "expose"));
        }
        return Schemas.strictObject(properties, required.toArray(String[]::new));
    }

    /** Requests and limits of an exporter (a small Go program). */
    static final Service.Resources EXPORTER_RESOURCES = new Service.Resources(
            java.util.Map.of("cpu", "10m", "memory", "32Mi"), java.util.Map.of("cpu", "100m", "memory", "64Mi"));

    /** The metrics of an embedded component: a ServiceMonitor on its metrics port, and the exporter (metrics: true). */
    private static void metrics(ChartValues v, SystemModel system, Infrastructure infra) {
        if (!infra.server().metrics() || infra.metricsPort() == 0) {
            return;
        }
        boolean operator = system.observability().prometheusOperator();
        v.section("Metrics")
                .param("metrics.enabled", true, "Run the exporter and expose the metrics to Prometheus (chosen in the descriptor)", Schemas.of("const", true))
                .param("metrics.port", "metrics", "Name of the port serving metrics", Schemas.of("const", "metrics"))
                .param("metrics.path", "/metrics", "Path of the metrics", string("^/"))
                .param("metrics.interval", "30s", "Scrape interval", string("^([0-9]+(ms|s|m|h))+$"))
                .param("metrics.scrapeTimeout", "", "Scrape timeout (empty: Prometheus' default)", string("^$|^([0-9]+(ms|s|m|h))+$"))
                .param("metrics.labels", system.observability().monitorLabels(), "Labels of the monitor that the Prometheus selects", stringMap())
                .param("metrics.serviceMonitor.enabled", operator, "Create a ServiceMonitor (when the cluster has the API, unless forced)", bool())
                .param("metrics.podMonitor.enabled", false, "Create a PodMonitor instead (when the cluster has the API, unless forced)", bool())
                .param("metrics.force", false, "Render the monitor even when the cluster does not serve monitoring.coreos.com/v1", bool())
                .param("metrics.annotations", !operator, "Add prometheus.io/scrape, port and path pod annotations (without the operator)", bool());
        if (infra.server().exporter().isPresent()) {
            ServiceValues.image(v, "metrics.exporter.image", infra.server().exporter().get(), "the " + infra.type() + " exporter");
            v.param("metrics.exporter.resources", ServiceValues.resources(EXPORTER_RESOURCES), "Requests and limits of the exporter", ServiceValues.resourcesSchema());
        }
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
