package dev.castle.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.castle.load.Node;

/**
 * Resolves {@code dependsOn} entries against the services (their ports, read before any service is
 * bound) and the infrastructure of the system, deciding the defaults of an edge: the caller waits at
 * start-up for infrastructure, not for services, at most 300 s; the callee's first port on its
 * Service; variables {@code <NAME>_HOST}, {@code _PORT}, {@code _URL} and, with credentials,
 * {@code _USERNAME} and {@code _PASSWORD}, read from the Secret the component's operator or claim
 * writes where it has one (a claim's host too; a Kafka client of Strimzi also gets
 * {@code _SASL_JAAS_CONFIG}, {@code _SASL_MECHANISM} and {@code _SECURITY_PROTOCOL}, and its own
 * KafkaUser). Entries that name nothing callable are left to the rules.
 */
final class DependencyResolver {
    static final int DEFAULT_TIMEOUT = 300;
    static final boolean DEFAULT_STARTUP_SERVICE = false;
    static final boolean DEFAULT_STARTUP_INFRASTRUCTURE = true;

    private final Map<String, Service.Networking> services;
    private final List<Infrastructure> infrastructure;

    DependencyResolver(Map<String, Service.Networking> services, List<Infrastructure> infrastructure) {
        this.services = services;
        this.infrastructure = infrastructure;
    }

    /** The entries as written, with their pointers. */
    static List<Declared.DependencyRef> declared(String servicePointer, Fields s) {
        List<Declared.DependencyRef> refs = new ArrayList<>();
        List<Node> items = s.items("dependsOn");
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String pointer = servicePointer + "/dependsOn/" + i;
            if (item instanceof Node.ScalarNode scalar && !scalar.isNull()) {
                refs.add(new Declared.DependencyRef(scalar.text(), pointer, pointer, Optional.empty(), Optional.empty(),
                        Optional.empty(), Map.of(), Map.of(), List.of()));
            } else if (item instanceof Node.MapNode) {
                Fields f = new Fields(item);
                Map<String, String> names = new TreeMap<>();
                Map<String, String> formats = new TreeMap<>();
                f.entries("env").forEach((kind, node) -> {
                    if (node instanceof Node.ScalarNode name) {
                        names.put(kind, name.text());
                    } else {
                        Fields named = new Fields(node);
                        named.text("name").ifPresent(name -> names.put(kind, name));
                        named.text("format").ifPresent(format -> formats.put(kind, format));
                    }
                });
                refs.add(new Declared.DependencyRef(f.text("name", ""), pointer, pointer + "/name", f.intOrString("port"),
                        f.bool("startup"), f.integer("timeoutSeconds"), names, formats, f.strings("topics")));
            }
        }
        return refs;
    }

    /** The edges of one caller (whose name Kafka users are named after). */
    List<Dependency> resolve(String caller, List<Declared.DependencyRef> refs) {
        List<Dependency> resolved = new ArrayList<>();
        for (Declared.DependencyRef ref : refs) {
            Optional<Service.Networking> service = Optional.ofNullable(services.get(ref.name()));
            Optional<Infrastructure> infra = infrastructure.stream().filter(i -> i.name().equals(ref.name())).findFirst();
            if (service.isPresent()) {
                toService(ref, service.get()).ifPresent(resolved::add);
            } else if (infra.isPresent()) {
                resolved.add(toInfrastructure(caller, ref, infra.get()));
            }
        }
        return List.copyOf(resolved);
    }

    /**
     * The variables' texts: as written, else the host, the port, and the URL of the callee's scheme;
     * the callee's scheme, database, path and credentials replaced (those it has), {@code {host}} and
     * {@code {port}} kept for the chart. Returns the placeholders the callee has too.
     */
    private static Dependency.Formats formats(Declared.DependencyRef ref, Dependency.EnvNames env, String scheme, Optional<String> database,
                                              String query, boolean credentials, List<String> available) {
        Map<String, String> parts = new java.util.LinkedHashMap<>();
        // a URL's path names the database; RabbitMQ's default virtual host '/' is %2F there (AMQP URI spec)
        String path = database.map(db -> "/" + db.replace("/", "%2F")).orElse("");
        if (!scheme.isEmpty()) {
            parts.put("{scheme}", scheme);
        }
        database.ifPresent(db -> parts.put("{database}", db));
        parts.put("{path}", path);
        if (credentials) {
            parts.put("{username}", "$(" + env.username() + ")");
            parts.put("{password}", "$(" + env.password() + ")");
        }
        available.add("{host}");
        available.add("{port}");
        available.addAll(parts.keySet());
        Map<String, String> f = ref.formats();
        String url = (scheme.isEmpty() ? "" : scheme + "://") + "{host}:{port}" + path + query;
        return new Dependency.Formats(fill(f.getOrDefault("host", "{host}"), parts), fill(f.getOrDefault("port", "{port}"), parts),
                fill(f.getOrDefault("url", url), parts));
    }

    /** A format with the callee's parts replaced, in one pass (a replaced text is never read again). */
    private static String fill(String format, Map<String, String> parts) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{[a-z]+}").matcher(format);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(parts.getOrDefault(m.group(), m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Dependency.EnvNames env(Declared.DependencyRef ref) {
        String prefix = Dependency.envPrefix(ref.name());
        Map<String, String> e = ref.env();
        return new Dependency.EnvNames(e.getOrDefault("host", prefix + "_HOST"), e.getOrDefault("port", prefix + "_PORT"),
                e.getOrDefault("url", prefix + "_URL"), e.getOrDefault("username", prefix + "_USERNAME"),
                e.getOrDefault("password", prefix + "_PASSWORD"));
    }

    private static Optional<Dependency> toService(Declared.DependencyRef ref, Service.Networking target) {
        boolean hasService = target.service().enabled();
        Optional<Service.Port> first = target.ports().stream().filter(Service.Port::exposed).findFirst();
        if (!hasService || first.isEmpty()) {
            return Optional.empty();
        }
        Service.Port port = ref.port().flatMap(wanted -> target.ports().stream()
                .filter(p -> p.name().equals(wanted) || Integer.valueOf(p.servicePort()).equals(wanted)).findFirst()).orElse(first.get());
        String scheme = port.isHttp() ? (port.appProtocol().equals("https") ? "https" : "http") : "";
        Dependency.EnvNames env = env(ref);
        List<String> available = new ArrayList<>();
        Dependency.Formats formats = formats(ref, env, scheme, Optional.empty(), "", false, available);
        return Optional.of(new Dependency(ref.name(), Dependency.Kind.service, ref.startup().orElse(DEFAULT_STARTUP_SERVICE),
                ref.timeoutSeconds().orElse(DEFAULT_TIMEOUT), target.service().name(), port.servicePort(), port.name(), port.port(),
                port.protocol(), env, formats, Optional.empty(), Map.of(), ref.topics(), List.copyOf(available)));
    }

    private static Dependency toInfrastructure(String caller, Declared.DependencyRef ref, Infrastructure target) {
        Infrastructure.Type type = target.type();
        String scheme = type.scheme.isEmpty() ? "" : type.scheme + (target.tls() && (type == Infrastructure.Type.redis
                || type == Infrastructure.Type.rabbitmq) ? "s" : "");
        Optional<String> database = type.hasDatabase ? Optional.of(target.database()) : Optional.empty();
        Dependency.Kind kind = switch (target.mode()) {
            case external -> Dependency.Kind.external;
            case chart -> Dependency.Kind.chart;
            case embedded -> Dependency.Kind.embedded;
            case operator -> Dependency.Kind.operator;
            case claim -> Dependency.Kind.claim;
        };
        String host = switch (target.mode()) {
            case external -> target.externalHost().orElse("");
            case chart -> target.chart().map(Infrastructure.UpstreamChart::serviceName).orElse("{release}-" + target.name());
            case embedded -> target.serviceName();
            case operator -> OperatorWiring.TYPES.contains(type) ? OperatorWiring.host(target) : "{release}-" + target.name();
            case claim -> "";
        };
        String query = target.mode() == Infrastructure.Mode.operator && type == Infrastructure.Type.mongodb
                ? "?replicaSet=" + OperatorWiring.resourceName(target) : "";
        // the port called: the one named (a Jaeger agent's, its UI...), else the type's client port
        Infrastructure.ServerPort called = target.serverPorts().get(0);
        if (ref.port().isPresent() && target.mode() == Infrastructure.Mode.embedded) {
            called = target.serverPorts().stream().filter(Infrastructure.ServerPort::onService)
                    .filter(p -> p.name().equals(ref.port().get()) || Integer.valueOf(p.port()).equals(ref.port().get())).findFirst().orElse(called);
        }
        if (type == Infrastructure.Type.jaeger) {
            // OTLP and the UI speak HTTP; the agent takes host:port
            scheme = called.protocol() == Service.Protocol.TCP ? "http" : "";
        }
        Dependency.EnvNames names = env(ref);
        Map<String, String> keys = new TreeMap<>();
        Map<String, String> extra = new TreeMap<>();
        Optional<String> hostKey = Optional.empty();
        Optional<String> secret = target.credentials().map(Infrastructure.SecretRef::name);
        target.credentials().ifPresent(c -> {
            if (c.usernameKey().isEmpty()) {
                // the Secret holds the password only: clients get the server's user as written
                extra.put(names.username(), target.username());
            } else {
                keys.put(names.username(), c.usernameKey());
            }
            keys.put(names.password(), c.passwordKey());
        });
        if (target.mode() == Infrastructure.Mode.claim) {
            hostKey = target.claim().map(Infrastructure.ClaimSettings::hostKey);
            hostKey.ifPresent(key -> keys.put(names.host(), key));
        } else if (target.mode() == Infrastructure.Mode.operator && type == Infrastructure.Type.kafka) {
            String prefix = Dependency.envPrefix(ref.name());
            secret = Optional.of(OperatorWiring.kafkaUser(target, caller));
            extra.put(names.username(), secret.get());
            extra.put(prefix + "_SASL_MECHANISM", OperatorWiring.KAFKA_SASL_MECHANISM);
            extra.put(prefix + "_SECURITY_PROTOCOL", OperatorWiring.KAFKA_SECURITY_PROTOCOL);
            keys.put(names.password(), "password");
            keys.put(prefix + "_SASL_JAAS_CONFIG", "sasl.jaas.config");
        }
        List<String> available = new ArrayList<>();
        Dependency.Formats formats = formats(ref, names, scheme, database, query, secret.isPresent(), available);
        if (hostKey.isPresent()) {
            // only the connection Secret knows the host: the formats refer to the variable read from it
            String reference = "$(" + names.host() + ")";
            formats = new Dependency.Formats(formats.host().replace("{host}", reference), formats.port(), formats.url().replace("{host}", reference));
        }
        Optional<String> hostFrom = hostKey;
        Optional<Dependency.Credentials> credentials = secret.map(name -> new Dependency.Credentials(name, keys, hostFrom));
        // a start-up wait connects over TCP: none by default on a UDP port (a Jaeger agent's)
        boolean startup = ref.startup().orElse(DEFAULT_STARTUP_INFRASTRUCTURE && called.protocol() == Service.Protocol.TCP);
        return new Dependency(target.name(), kind, startup, ref.timeoutSeconds().orElse(DEFAULT_TIMEOUT),
                host, called.port(), kind == Dependency.Kind.external || kind == Dependency.Kind.claim ? "" : called.name(), called.port(),
                called.protocol(), names, formats, credentials, extra, ref.topics(), List.copyOf(available));
    }
}
