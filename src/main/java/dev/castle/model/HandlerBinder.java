package dev.castle.model;

import java.util.List;
import java.util.Optional;

import dev.castle.load.Node;

/**
 * Binds probes and lifecycle hooks, with their defaults. A server's health check is what the user
 * names, for liveness and readiness together ({@code probes.http}, {@code .grpc}, {@code .tcp} or
 * {@code .exec}) or each on its own; without one, both connect to the first TCP port (a UDP port never answers), which
 * every server answers: castle asks for no HTTP path and no gRPC health service the server may not
 * have. Liveness gives up later than readiness (6 x 10 s against 3 x 5 s), so a busy pod leaves the
 * endpoints before it is restarted; a startup probe without a check uses the liveness one. A
 * service with ports sleeps 5 s before it stops (its endpoints drain); pods get 30 s to stop.
 */
final class HandlerBinder {
    static final String DEFAULT_HTTP_PATH = "/";
    static final int DEFAULT_PRESTOP_SLEEP = 5;
    static final int DEFAULT_GRACE_PERIOD = 30;

    /** Period, timeout and failure threshold of each kind of probe. */
    enum Timing {
        liveness(10, 3, 6), readiness(5, 3, 3), startup(5, 3, 30);

        final int period;
        final int timeout;
        final int failures;

        Timing(int period, int timeout, int failures) {
            this.period = period;
            this.timeout = timeout;
            this.failures = failures;
        }
    }

    private HandlerBinder() {
    }

    /** The port checks default to: the first TCP port (the kubelet's checks connect over TCP; a UDP port never answers). */
    static Optional<Service.Port> checkedPort(List<Service.Port> ports) {
        return ports.stream().filter(p -> p.protocol() == Service.Protocol.TCP).findFirst();
    }

    private static Service.PortRef checkedPortRef(List<Service.Port> ports) {
        return new Service.PortName(checkedPort(ports).map(Service.Port::name).orElse(""));
    }

    static Service.Probes probes(Fields p, List<Service.Port> ports) {
        Optional<Service.Handler> shared = check(p, ports)
                .or(() -> checkedPort(ports).map(port -> new Service.TcpSocket(new Service.PortName(port.name()))));
        return new Service.Probes(probe(p, Timing.liveness, ports, shared, true),
                probe(p, Timing.readiness, ports, shared, true),
                probe(p, Timing.startup, ports, shared, false));
    }

    /**
     * A probe: {@code false} turns it off; absent, the default when {@code onByDefault}; written,
     * its check (or the default check) with its timing over the kind's timing.
     */
    private static Optional<Service.Probe> probe(Fields probes, Timing kind, List<Service.Port> ports,
                                                 Optional<Service.Handler> defaultCheck, boolean onByDefault) {
        if (probes.isFalse(kind.name())) {
            return Optional.empty();
        }
        if (!probes.has(kind.name())) {
            return onByDefault ? defaultCheck.map(h -> timed(h, kind, Fields.empty())) : Optional.empty();
        }
        Fields p = probes.object(kind.name());
        return check(p, ports).or(() -> defaultCheck).map(h -> timed(h, kind, p));
    }

    private static Service.Probe timed(Service.Handler handler, Timing kind, Fields p) {
        return new Service.Probe(handler, p.integer("initialDelaySeconds", 0), p.integer("periodSeconds", kind.period),
                p.integer("timeoutSeconds", kind.timeout), p.integer("failureThreshold", kind.failures),
                p.integer("successThreshold", 1));
    }

    /** The check a probe names: http, tcp, grpc or exec; ports default to the first TCP port. */
    private static Optional<Service.Handler> check(Fields p, List<Service.Port> ports) {
        Service.PortRef mainPort = checkedPortRef(ports);
        if (p.has("http")) {
            return Optional.of(http(p, mainPort));
        }
        if (p.has("tcp")) {
            return Optional.of(new Service.TcpSocket(p.intOrString("tcp").map(Service.PortRef::of).orElse(mainPort)));
        }
        if (p.has("grpc")) {
            Node grpc = p.node("grpc").orElseThrow();
            if (grpc instanceof Node.ScalarNode) {
                Service.PortRef port = p.intOrString("grpc").map(Service.PortRef::of).orElse(mainPort);
                return Optional.of(new Service.GrpcCheck(port, portNumber(port, ports), Optional.empty()));
            }
            Fields g = new Fields(grpc);
            Service.PortRef port = g.intOrString("port").map(Service.PortRef::of).orElse(mainPort);
            return Optional.of(new Service.GrpcCheck(port, portNumber(port, ports), g.text("service")));
        }
        if (p.has("exec")) {
            return Optional.of(new Service.Exec(p.strings("exec")));
        }
        return Optional.empty();
    }

    /** {@code http: /path} on the first port, or {@code http: {path, port, scheme, headers}}. */
    private static Service.HttpGet http(Fields parent, Service.PortRef mainPort) {
        Node http = parent.node("http").orElseThrow();
        if (http instanceof Node.ScalarNode path) {
            return new Service.HttpGet(path.text(), mainPort, Optional.empty(), java.util.Map.of());
        }
        Fields h = new Fields(http);
        return new Service.HttpGet(h.text("path", DEFAULT_HTTP_PATH), h.intOrString("port").map(Service.PortRef::of).orElse(mainPort),
                h.enumValue("scheme", Service.Scheme.class), h.stringMap("headers"));
    }

    /** gRPC probes take a number; a port name is resolved to its number (0 when it names no port: a rule reports it). */
    private static int portNumber(Service.PortRef port, List<Service.Port> ports) {
        if (port instanceof Service.PortNumber number) {
            return number.number();
        }
        String name = ((Service.PortName) port).name();
        return ports.stream().filter(p -> p.name().equals(name)).findFirst().map(Service.Port::port).orElse(0);
    }

    static Service.Lifecycle lifecycle(Fields l, List<Service.Port> ports, boolean batch) {
        Service.PortRef mainPort = checkedPortRef(ports);
        Optional<Service.Handler> preStop;
        if (l.isFalse("preStop")) {
            preStop = Optional.empty();
        } else if (l.has("preStop")) {
            preStop = Optional.of(handler(l.object("preStop"), mainPort));
        } else if (!ports.isEmpty() && !batch) {
            preStop = Optional.of(new Service.Sleep(DEFAULT_PRESTOP_SLEEP));
        } else {
            preStop = Optional.empty();
        }
        Optional<Service.Handler> postStart = l.has("postStart") && !l.isFalse("postStart")
                ? Optional.of(handler(l.object("postStart"), mainPort)) : Optional.empty();
        return new Service.Lifecycle(postStart, preStop, l.integer("terminationGracePeriodSeconds", DEFAULT_GRACE_PERIOD));
    }

    /** A lifecycle handler: exec, sleep or http (on the first TCP port unless it names one). */
    private static Service.Handler handler(Fields h, Service.PortRef mainPort) {
        if (h.has("exec")) {
            return new Service.Exec(h.strings("exec"));
        }
        if (h.has("sleep")) {
            return new Service.Sleep(h.integer("sleep", DEFAULT_PRESTOP_SLEEP));
        }
        Fields http = h.object("http");
        return new Service.HttpGet(http.text("path", DEFAULT_HTTP_PATH), http.intOrString("port").map(Service.PortRef::of).orElse(mainPort),
                http.enumValue("scheme", Service.Scheme.class), java.util.Map.of());
    }
}
