package dev.castle.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.castle.load.Node;

/** Resolves {@code dependsOn} entries against the services and infrastructure of the system. */
final class DependencyResolver {
    static final int DEFAULT_TIMEOUT = 300;

    private DependencyResolver() {
    }

    static List<Dependency> resolve(Node dependsOn, List<Service> services, List<Infrastructure> infrastructure) {
        List<Dependency> resolved = new ArrayList<>();
        if (!(dependsOn instanceof Node.ListNode list)) {
            return resolved;
        }
        for (Node item : list.items()) {
            Fields f = item instanceof Node.ScalarNode ? null : new Fields(item);
            String name = f == null ? ((Node.ScalarNode) item).text() : f.text("name", "");
            Optional<Service> service = services.stream().filter(s -> s.name().equals(name)).findFirst();
            Optional<Infrastructure> infra = infrastructure.stream().filter(i -> i.name().equals(name)).findFirst();
            if (service.isPresent()) {
                resolved.add(toService(service.get(), f));
            } else if (infra.isPresent()) {
                resolved.add(toInfrastructure(infra.get(), f));
            }
        }
        return List.copyOf(resolved);
    }

    private static Dependency.EnvNames env(String name, Fields f) {
        String prefix = Dependency.envPrefix(name);
        Fields e = f == null ? null : f.object("env");
        return new Dependency.EnvNames(
                e == null ? prefix + "_HOST" : e.text("host", prefix + "_HOST"),
                e == null ? prefix + "_PORT" : e.text("port", prefix + "_PORT"),
                e == null ? prefix + "_URL" : e.text("url", prefix + "_URL"),
                e == null ? prefix + "_USERNAME" : e.text("username", prefix + "_USERNAME"),
                e == null ? prefix + "_PASSWORD" : e.text("password", prefix + "_PASSWORD"));
    }

    private static Dependency toService(Service target, Fields f) {
        Service.Port port = target.firstExposedPort().orElseThrow();
        if (f != null && f.has("port")) {
            Object ref = f.intOrString("port").orElseThrow();
            port = target.ports().stream().filter(p -> p.name().equals(ref) || Integer.valueOf(p.servicePort()).equals(ref))
                    .findFirst().orElse(port);
        }
        String prefix = port.isHttp() ? (port.appProtocol().equals("https") ? "https://" : "http://") : "";
        return new Dependency(target.name(), Dependency.Kind.service, f != null && f.bool("startup", false),
                f == null ? DEFAULT_TIMEOUT : f.integer("timeoutSeconds", DEFAULT_TIMEOUT), "{release}-" + target.name(),
                port.servicePort(), port.name(), port.port(), prefix, "", env(target.name(), f), Optional.empty());
    }

    private static Dependency toInfrastructure(Infrastructure target, Fields f) {
        Infrastructure.Type type = target.type();
        String scheme = type.scheme.isEmpty() ? "" : type.scheme + (target.tls() && (type == Infrastructure.Type.redis
                || type == Infrastructure.Type.rabbitmq) ? "s" : "") + "://";
        String suffix = type.hasDatabase ? "/" + target.database() : "";
        Dependency.Kind kind;
        String host;
        Optional<Dependency.Credentials> credentials;
        switch (target.mode()) {
            case external -> {
                kind = Dependency.Kind.external;
                host = target.externalHost().orElse("");
                credentials = target.secret().map(s -> new Dependency.Credentials(s.name(), s.usernameKey(), s.passwordKey()));
            }
            case chart -> {
                kind = Dependency.Kind.chart;
                host = target.chart().map(Infrastructure.UpstreamChart::serviceName).orElse("{release}-" + target.name());
                credentials = target.secret().map(s -> new Dependency.Credentials(s.name(), s.usernameKey(), s.passwordKey()));
            }
            default -> {
                kind = Dependency.Kind.embedded;
                host = "{release}-" + target.name();
                credentials = type.hasCredentials()
                        ? Optional.of(new Dependency.Credentials("{release}-" + target.name(), "username", "password"))
                        : Optional.empty();
            }
        }
        return new Dependency(target.name(), kind, f == null || f.bool("startup", true),
                f == null ? DEFAULT_TIMEOUT : f.integer("timeoutSeconds", DEFAULT_TIMEOUT), host, target.port(),
                kind == Dependency.Kind.external ? "" : type.name(), target.port(), scheme, suffix, env(target.name(), f), credentials);
    }
}
