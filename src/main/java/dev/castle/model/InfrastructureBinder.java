package dev.castle.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.castle.load.Node;

/**
 * Binds one {@code infrastructure.<name>} entry, with the defaults of its type: embedded, the
 * type's official image, port and resources, 8Gi of storage, a database named after the component
 * and the user {@code app} ({@code default} for Redis); credentials under the keys username and
 * password; an external component anywhere (0.0.0.0/0). In mode operator: 3 instances, a Pooler of 2
 * PgBouncer pods in session mode, backups daily at midnight kept 30 days with the S3 keys
 * {@code ACCESS_KEY_ID} and {@code ACCESS_SECRET_KEY}, Kafka topics of 3 partitions replicated on
 * up to 3 nodes. A claim's connection Secret holds the host under {@code endpoint} and the
 * credentials under {@code username} and {@code password}, as Crossplane's providers write them.
 */
final class InfrastructureBinder {
    static final Infrastructure.Type DEFAULT_TYPE = Infrastructure.Type.postgresql;
    static final Infrastructure.Mode DEFAULT_MODE = Infrastructure.Mode.embedded;
    static final String DEFAULT_STORAGE = "8Gi";
    /** The size of memcached's emptyDir (it writes no data; the cache is in memory). */
    static final String MEMCACHED_SCRATCH = "16Mi";
    /** The size of Jaeger's emptyDir with its in-memory storage (it writes no files; the traces are in memory). */
    static final String JAEGER_SCRATCH = "64Mi";
    static final String DEFAULT_CIDR = "0.0.0.0/0";
    static final int DEFAULT_INSTANCES = 3;
    static final int DEFAULT_POOLER_INSTANCES = 2;
    static final String DEFAULT_POOL_MODE = "session";
    static final String DEFAULT_BACKUP_SCHEDULE = "0 0 0 * * *";
    static final String DEFAULT_BACKUP_RETENTION = "30d";
    static final int DEFAULT_PARTITIONS = 3;
    static final int MAX_DEFAULT_TOPIC_REPLICAS = 3;

    private InfrastructureBinder() {
    }

    static Infrastructure bind(String name, Node entry, boolean exactServiceNames, dev.castle.load.ConfigFileReader files) {
        Fields f = new Fields(entry);
        Infrastructure.Type type = f.enumValue("type", Infrastructure.Type.class, DEFAULT_TYPE);
        Infrastructure.Mode mode = f.enumValue("mode", Infrastructure.Mode.class, DEFAULT_MODE);
        Service.Image image = f.has("image") ? ServiceBinder.image(f)
                : new Service.Image(type.registry, type.repository, f.text("version", type.defaultTag), "", Service.Image.DEFAULT_PULL_POLICY);
        Fields storage = f.object("storage");
        Service.Resources resources = switch (type) {
            case kafka -> ServiceBinder.resources(f.object("resources"), "500m", "1Gi");
            case rabbitmq, mongodb -> ServiceBinder.resources(f.object("resources"), "250m", "512Mi");
            default -> ServiceBinder.resources(f.object("resources"), "250m", "256Mi");
        };
        Optional<Infrastructure.SecretRef> secret = f.object("secret").text("name").map(secretName -> new Infrastructure.SecretRef(
                secretName, f.object("secret").text("usernameKey", "username"), f.object("secret").text("passwordKey", "password")));
        Optional<Infrastructure.UpstreamChart> chart = Optional.empty();
        if (mode == Infrastructure.Mode.chart) {
            Fields c = f.object("chart");
            Map<String, String> podLabels = new TreeMap<>(c.stringMap("podLabels"));
            if (podLabels.isEmpty()) {
                podLabels.put("app.kubernetes.io/instance", "{release}");
                podLabels.put("app.kubernetes.io/name", name);
            }
            chart = Optional.of(new Infrastructure.UpstreamChart(c.text("repository", ""), c.text("name", ""),
                    c.text("version", ""), c.node("values").map(OperationsBinder::plainMap).orElse(Map.of()),
                    c.text("serviceName", f.text("serviceName").orElse("{release}-" + name)), podLabels));
        }
        String defaultUser = type == Infrastructure.Type.redis ? "default" : "app";
        // memcached and Jaeger's in-memory storage keep everything in memory: their volume is a small scratch emptyDir
        // unless asked otherwise (Jaeger with ephemeral: false keeps its traces in Badger on a volume claim)
        boolean inMemory = type == Infrastructure.Type.memcached || type == Infrastructure.Type.jaeger;
        boolean ephemeral = storage.bool("ephemeral", inMemory);
        String scratch = type == Infrastructure.Type.jaeger ? JAEGER_SCRATCH : MEMCACHED_SCRATCH;
        String pointer = "/infrastructure/" + Node.escapePointerToken(name);
        // run by its operator, the component runs the operand image castle writes into the custom resource (where it writes one)
        Service.Image runs = mode == Infrastructure.Mode.operator ? type.operandImage(f.text("version", type.defaultTag)).orElse(image) : image;
        String versionTag = f.text("version", image.tag());
        // an embedded RabbitMQ before 3.10 keeps its default virtual host: castle gives its entrypoint no RABBITMQ_DEFAULT_VHOST
        String defaultDatabase = mode == Infrastructure.Mode.embedded && Infrastructure.olderRabbitmq(type, versionTag) ? "/" : name.replace('-', '_');
        return new Infrastructure(name, type, mode, runs, f.text("database", defaultDatabase), f.text("username", defaultUser),
                new Infrastructure.Storage(storage.quantity("size").orElse(inMemory && ephemeral ? scratch : DEFAULT_STORAGE), storage.text("storageClass"),
                        ephemeral),
                resources, f.integer("port", type.port), f.text("host"), f.bool("tls", false), f.text("cidr", DEFAULT_CIDR),
                secret, chart, auth(f, type, mode, secret), versionTag,
                f.text("serviceName").orElse(exactServiceNames ? name : "{release}-" + name), operator(f), claim(f), server(f, type, mode, versionTag, files), DeclaredKeys.declared(pointer, entry, List.of()));
    }

    /**
     * The authentication: as written ({@code generated}, {@code none}, or {@code {existingSecret: {name,
     * usernameKey, passwordKey, rootPasswordKey}}}: the administrator's password of an embedded mongodb,
     * or of an embedded mysql's root when written), else generated for an embedded component whose
     * image takes credentials, the {@code secret} of an external or chart one, or none. An embedded
     * component's clients get its {@code username} as written (the server's user); an external one's
     * read it from the Secret (key {@code username} unless said). A component run by an operator
     * or claimed has the credentials the operator or the claim generates (the rules refuse auth there).
     */
    static Infrastructure.Auth auth(Fields f, Infrastructure.Type type, Infrastructure.Mode mode, Optional<Infrastructure.SecretRef> secret) {
        if (mode.managed()) {
            return new Infrastructure.Auth(Infrastructure.AuthMode.generated, Optional.empty(), Infrastructure.Auth.DEFAULT_ROOT_PASSWORD_KEY, false);
        }
        boolean embedded = mode == Infrastructure.Mode.embedded;
        Optional<Node> written = f.node("auth");
        if (written.isPresent() && written.get() instanceof Node.MapNode) {
            Fields existing = f.object("auth").object("existingSecret");
            Optional<Infrastructure.SecretRef> ref = existing.text("name").map(name -> new Infrastructure.SecretRef(name,
                    existing.text("usernameKey", embedded ? "" : "username"), existing.text("passwordKey", "password")));
            boolean root = embedded && (type == Infrastructure.Type.mongodb || type == Infrastructure.Type.mysql && existing.has("rootPasswordKey"));
            return new Infrastructure.Auth(Infrastructure.AuthMode.existingSecret, ref,
                    existing.text("rootPasswordKey", Infrastructure.Auth.DEFAULT_ROOT_PASSWORD_KEY), root);
        }
        Optional<Infrastructure.AuthMode> mode0 = f.enumValue("auth", Infrastructure.AuthMode.class);
        Infrastructure.AuthMode chosen = mode0.orElseGet(() -> embedded
                ? type.hasCredentials() ? Infrastructure.AuthMode.generated : Infrastructure.AuthMode.none
                : secret.isPresent() ? Infrastructure.AuthMode.existingSecret : Infrastructure.AuthMode.none);
        if (chosen == Infrastructure.AuthMode.generated && !embedded) {
            // only castle's own chart can make the Secret; the rules say so
            chosen = secret.isPresent() ? Infrastructure.AuthMode.existingSecret : Infrastructure.AuthMode.none;
        }
        return new Infrastructure.Auth(chosen, chosen == Infrastructure.AuthMode.existingSecret ? secret : Optional.empty(),
                Infrastructure.Auth.DEFAULT_ROOT_PASSWORD_KEY, false);
    }

    /**
     * An embedded server's args, env (as a service's), config files and metrics (off unless asked, through the
     * exporter of its type and version), each file read once by the one reader.
     */
    private static Infrastructure.Server server(Fields f, Infrastructure.Type type, Infrastructure.Mode mode, String versionTag,
                                                dev.castle.load.ConfigFileReader files) {
        Map<String, Service.ConfigFile> read = new TreeMap<>();
        f.object("config").stringMap("files").forEach((key, path) -> {
            dev.castle.load.ConfigFileReader.TextFile file = files.read(path);
            read.put(key, new Service.ConfigFile(path, file.text(), file.size(), file.problem()));
        });
        boolean metrics = f.bool("metrics", false);
        return new Infrastructure.Server(f.strings("args"), ServiceBinder.env(f), read, metrics, metrics && mode == Infrastructure.Mode.embedded
                ? Infrastructure.exporterImage(type, versionTag) : Optional.empty());
    }

    private static Infrastructure.OperatorSettings operator(Fields f) {
        Fields o = f.object("operator");
        int instances = o.integer("instances", DEFAULT_INSTANCES);
        Optional<Infrastructure.Pooler> pooler = o.node("pooler").map(Fields::new).map(p -> new Infrastructure.Pooler(
                p.integer("instances", DEFAULT_POOLER_INSTANCES), p.text("poolMode", DEFAULT_POOL_MODE)));
        Optional<Infrastructure.Backup> backup = o.node("backup").map(Fields::new).map(b -> new Infrastructure.Backup(
                b.text("destinationPath", ""), b.text("endpointURL"), b.object("secret").text("name", ""),
                b.object("secret").text("accessKeyIdKey", "ACCESS_KEY_ID"), b.object("secret").text("secretAccessKeyKey", "ACCESS_SECRET_KEY"),
                b.text("schedule", DEFAULT_BACKUP_SCHEDULE), b.text("retention", DEFAULT_BACKUP_RETENTION)));
        Map<String, Infrastructure.Topic> topics = new TreeMap<>();
        o.entries("topics").forEach((topic, node) -> {
            Fields t = new Fields(node);
            topics.put(topic, new Infrastructure.Topic(t.integer("partitions", DEFAULT_PARTITIONS),
                    t.integer("replicas", Math.min(MAX_DEFAULT_TOPIC_REPLICAS, instances)),
                    t.node("config").map(OperationsBinder::plainMap).map(TreeMap::new).orElseGet(TreeMap::new)));
        });
        return new Infrastructure.OperatorSettings(instances, f.text("version"), pooler, backup, topics);
    }

    private static Optional<Infrastructure.ClaimSettings> claim(Fields f) {
        return f.node("claim").map(Fields::new).map(c -> {
            Fields keys = c.object("connectionKeys");
            return new Infrastructure.ClaimSettings(c.text("apiVersion", ""), c.text("kind", ""),
                    c.node("parameters").map(OperationsBinder::plainMap).orElse(Map.of()), c.text("compositionRef"),
                    new TreeMap<>(c.stringMap("compositionSelector")), keys.text("host", "endpoint"), keys.text("username", "username"),
                    keys.text("password", "password"));
        });
    }

    /** A node as plain Java values (for chart values passed through): scalars keep their YAML type. */
    static Object plain(Node node) {
        if (node instanceof Node.MapNode map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.entries().forEach((k, v) -> out.put(k, plain(v.value())));
            return out;
        }
        if (node instanceof Node.ListNode list) {
            return list.items().stream().map(InfrastructureBinder::plain).toList();
        }
        Node.ScalarNode scalar = (Node.ScalarNode) node;
        return switch (scalar.type()) {
            case NULL -> null;
            case BOOLEAN -> Scalars.booleanValue(scalar.text());
            case INTEGER -> {
                var value = Scalars.integerValue(scalar.text());
                yield value == null ? scalar.text() : (Object) value;
            }
            case FLOAT -> {
                var value = Scalars.decimalValue(scalar.text());
                yield value == null ? scalar.text() : (Object) value;
            }
            case STRING -> scalar.text();
        };
    }
}
