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
 * {@code _USERNAME} and {@code _PASSWORD}. Entries that name nothing callable are left to the rules.
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
                        Optional.empty(), Map.of(), Map.of()));
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
                        f.bool("startup"), f.integer("timeoutSeconds"), names, formats));
            }
        }
        return refs;
    }

    List<Dependency> resolve(List<Declared.DependencyRef> refs) {
        List<Dependency> resolved = new ArrayList<>();
        for (Declared.DependencyRef ref : refs) {
            Optional<Service.Networking> service = Optional.ofNullable(services.get(ref.name()));
            Optional<Infrastructure> infra = infrastructure.stream().filter(i -> i.name().equals(ref.name())).findFirst();
            if (service.isPresent()) {
                toService(ref, service.get()).ifPresent(resolved::add);
            } else if (infra.isPresent()) {
                resolved.add(toInfrastructure(ref, infra.get()));
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
                                              boolean credentials, List<String> available) {
        Map<String, String> parts = new java.util.LinkedHashMap<>();
        String path = database.map(db -> "/" + db).orElse("");
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
        String url = (scheme.isEmpty() ? "" : scheme + "://") + "{host}:{port}" + path;
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
        Dependency.Formats formats = formats(ref, env, scheme, Optional.empty(), false, available);
        return Optional.of(new Dependency(ref.name(), Dependency.Kind.service, ref.startup().orElse(DEFAULT_STARTUP_SERVICE),
                ref.timeoutSeconds().orElse(DEFAULT_TIMEOUT), target.service().name(), port.servicePort(), port.name(), port.port(),
                port.protocol(), env, formats, Optional.empty(), List.copyOf(available)));
    }

    private static Dependency toInfrastructure(Declared.DependencyRef ref, Infrastructure target) {
        Infrastructure.Type type = target.type();
        String scheme = type.scheme.isEmpty() ? "" : type.scheme + (target.tls() && (type == Infrastructure.Type.redis
                || type == Infrastructure.Type.rabbitmq) ? "s" : "");
        Optional<String> database = type.hasDatabase ? Optional.of(target.database()) : Optional.empty();
        Dependency.Kind kind = switch (target.mode()) {
            case external -> Dependency.Kind.external;
            case chart -> Dependency.Kind.chart;
            case embedded -> Dependency.Kind.embedded;
        };
        String host = switch (target.mode()) {
            case external -> target.externalHost().orElse("");
            case chart -> target.chart().map(Infrastructure.UpstreamChart::serviceName).orElse("{release}-" + target.name());
            case embedded -> target.serviceName();
        };
        Optional<Dependency.Credentials> credentials = target.credentials()
                .map(s -> new Dependency.Credentials(s.name(), s.usernameKey(), s.passwordKey(), target.username()));
        Dependency.EnvNames env = env(ref);
        List<String> available = new ArrayList<>();
        Dependency.Formats formats = formats(ref, env, scheme, database, credentials.isPresent(), available);
        return new Dependency(target.name(), kind, ref.startup().orElse(DEFAULT_STARTUP_INFRASTRUCTURE), ref.timeoutSeconds().orElse(DEFAULT_TIMEOUT),
                host, target.port(), kind == Dependency.Kind.external ? "" : type.name(), target.port(), Service.Protocol.TCP, env, formats,
                credentials, List.copyOf(available));
    }
}
