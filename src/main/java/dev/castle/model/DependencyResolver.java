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

    /** The variables' texts: as written, else the host, the port, and the URL of the callee's scheme. */
    private static Dependency.Formats formats(Declared.DependencyRef ref, String urlPrefix, String urlSuffix) {
        Map<String, String> f = ref.formats();
        return new Dependency.Formats(f.getOrDefault("host", "{host}"), f.getOrDefault("port", "{port}"),
                f.getOrDefault("url", urlPrefix + "{host}:{port}" + urlSuffix));
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
        String prefix = port.isHttp() ? (port.appProtocol().equals("https") ? "https://" : "http://") : "";
        return Optional.of(new Dependency(ref.name(), Dependency.Kind.service, ref.startup().orElse(DEFAULT_STARTUP_SERVICE),
                ref.timeoutSeconds().orElse(DEFAULT_TIMEOUT), target.service().name(), port.servicePort(), port.name(), port.port(), port.protocol(), env(ref), formats(ref, prefix, ""),
                Optional.empty()));
    }

    private static Dependency toInfrastructure(Declared.DependencyRef ref, Infrastructure target) {
        Infrastructure.Type type = target.type();
        String scheme = type.scheme.isEmpty() ? "" : type.scheme + (target.tls() && (type == Infrastructure.Type.redis
                || type == Infrastructure.Type.rabbitmq) ? "s" : "") + "://";
        String suffix = type.hasDatabase ? "/" + target.database() : "";
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
        return new Dependency(target.name(), kind, ref.startup().orElse(DEFAULT_STARTUP_INFRASTRUCTURE), ref.timeoutSeconds().orElse(DEFAULT_TIMEOUT),
                host, target.port(), kind == Dependency.Kind.external ? "" : type.name(), target.port(), Service.Protocol.TCP, env(ref), formats(ref, scheme, suffix),
                credentials);
    }
}
