package dev.castle.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/** Probes: one check each, on TCP ports of the service (the kubelet connects over TCP); health checks for long-running pods. */
final class ProbeRules {
    static final List<String> KINDS = List.of("liveness", "readiness", "startup");
    static final List<String> CHECKS = List.of("http", "tcp", "grpc", "exec");

    static final List<Rule.OfService> SERVICE = List.of(ProbeRules::batchHasNoProbes, ProbeRules::podWithoutPortsHasHealthChecks,
            ProbeRules::probeHasOneCheck, ProbeRules::successThresholdIsOne, ProbeRules::probePortsExist,
            ProbeRules::probesCallTcpPorts);

    private ProbeRules() {
    }

    static void batchHasNoProbes(Service s, SystemModel system, Findings out) {
        if (s.workload().isBatch() && s.declared().has("probes")) {
            out.error(s.declared().at("probes"), "a " + s.workload() + " has no probes", "probes only for Deployment and StatefulSet");
        }
    }

    /**
     * A Deployment or StatefulSet without TCP ports gets no default probes: Kubernetes then never
     * restarts a hung process. Allowed, but worth a warning unless the user turned them off.
     */
    static void podWithoutPortsHasHealthChecks(Service s, SystemModel system, Findings out) {
        if (s.workload().isBatch() || hasTcpPort(s)) {
            return;
        }
        boolean shared = CHECKS.stream().anyMatch(c -> s.declared().has("probes/" + c));
        for (String kind : List.of("liveness", "readiness")) {
            if (!shared && !s.declared().has("probes/" + kind)) {
                out.warning(s.declared().at(s.declared().has("probes") ? "probes" : ""), "a " + s.workload()
                        + (s.ports().isEmpty() ? " without ports" : " without TCP ports") + " needs an explicit " + kind + " probe (it runs without one)",
                        kind + ": {exec: [...]}, or " + kind + ": false to run without one");
            }
        }
    }

    static void probeHasOneCheck(Service s, SystemModel system, Findings out) {
        if (s.workload().isBatch()) {
            return;
        }
        List<String> shared = CHECKS.stream().filter(c -> s.declared().has("probes/" + c)).toList();
        if (shared.size() > 1) {
            out.error(s.declared().at("probes"), "the service's health check has " + String.join(" and ", shared),
                    "exactly one of http, tcp, grpc, exec (liveness and readiness use it)");
        }
        for (String kind : KINDS) {
            String probe = "probes/" + kind;
            if (!s.declared().has(probe) || s.declared().text(probe).isPresent()) {
                continue;
            }
            List<String> checks = new ArrayList<>();
            CHECKS.stream().filter(c -> s.declared().has(probe + "/" + c)).forEach(checks::add);
            if (checks.size() > 1) {
                out.error(s.declared().at(probe), "a probe has " + String.join(" and ", checks), "exactly one of http, tcp, grpc, exec");
            }
            if (checks.isEmpty() && shared.isEmpty() && !hasTcpPort(s)) {
                out.error(s.declared().at(probe), "the probe names no check and the service has no TCP port to derive one from",
                        "one of http, tcp, grpc, exec");
            }
        }
    }

    static void successThresholdIsOne(Service s, SystemModel system, Findings out) {
        Service.Probes probes = s.container().probes();
        check(s, "liveness", probes.liveness(), out);
        check(s, "startup", probes.startup(), out);
    }

    private static void check(Service s, String kind, Optional<Service.Probe> probe, Findings out) {
        if (probe.filter(p -> p.successThreshold() != 1).isPresent()) {
            out.error(s.declared().at("probes/" + kind + "/successThreshold"), kind + " successThreshold must be 1", "1");
        }
    }

    static void probePortsExist(Service s, SystemModel system, Findings out) {
        Service.Probes probes = s.container().probes();
        List<Optional<Service.Probe>> all = List.of(probes.liveness(), probes.readiness(), probes.startup());
        // the shared check is each probe's: reported once
        java.util.Set<String> reported = new java.util.HashSet<>();
        for (int i = 0; i < KINDS.size(); i++) {
            String kind = KINDS.get(i);
            all.get(i).ifPresent(probe -> {
                boolean own = CHECKS.stream().anyMatch(c -> s.declared().has("probes/" + kind + "/" + c));
                for (String check : List.of("http", "tcp", "grpc")) {
                    // the probe's own check, or the shared one when it names none
                    String written = own ? "probes/" + kind + "/" + check : "probes/" + check;
                    if (!s.declared().has(written) || !reported.add(written)) {
                        continue;
                    }
                    String portKey = s.declared().has(written + "/port") ? written + "/port"
                            : check.equals("http") || !s.declared().text(written).isPresent() ? null : written;
                    if (portKey == null && !hasTcpPort(s)) {
                        out.error(s.declared().at(written), "the " + check + " probe names no port and the service has no TCP port",
                                "a TCP port to check");
                    }
                    portOf(probe.handler()).filter(name -> !name.isEmpty()).filter(name -> !hasPort(s, name)).ifPresent(name ->
                            out.error(s.declared().at(portKey == null ? written : portKey), "probe port '" + name + "' is not a port of this service",
                                    portChoice(s)));
                }
            });
        }
    }

    /**
     * A probe on a UDP or SCTP port never succeeds: the kubelet's HTTP, TCP and gRPC checks connect
     * over TCP. Applies to written probes and to the handlers of lifecycle hooks.
     */
    static void probesCallTcpPorts(Service s, SystemModel system, Findings out) {
        Service.Probes probes = s.container().probes();
        List<Optional<Service.Probe>> all = List.of(probes.liveness(), probes.readiness(), probes.startup());
        for (int i = 0; i < KINDS.size(); i++) {
            String probe = "probes/" + KINDS.get(i);
            all.get(i).map(Service.Probe::handler).ifPresent(handler -> notUdp(s, probe, handler, out));
        }
        Service.Lifecycle lifecycle = s.container().lifecycle();
        lifecycle.postStart().ifPresent(handler -> notUdp(s, "lifecycle/postStart", handler, out));
        lifecycle.preStop().ifPresent(handler -> notUdp(s, "lifecycle/preStop", handler, out));
    }

    private static void notUdp(Service s, String written, Service.Handler handler, Findings out) {
        if (!s.declared().has(written)) {
            return;
        }
        portOf(handler).flatMap(name -> s.ports().stream().filter(p -> p.name().equals(name)).findFirst())
                .filter(port -> port.protocol() != Service.Protocol.TCP).ifPresent(port -> {
                    String at = CHECKS.stream().map(c -> written + "/" + c).map(c -> s.declared().has(c + "/port") ? c + "/port" : c)
                            .filter(s.declared()::has).findFirst().orElse(written);
                    out.error(s.declared().at(at), "port '" + port.name() + "' is " + port.protocol()
                            + ", but the kubelet's http, tcp and grpc checks connect over TCP", "a TCP port, or an exec check");
                });
    }

    static boolean hasTcpPort(Service s) {
        return s.ports().stream().anyMatch(p -> p.protocol() == Service.Protocol.TCP);
    }

    /** The port name a check uses, when it names one (numbers need no port entry). */
    static Optional<String> portOf(Service.Handler handler) {
        Service.PortRef ref = handler instanceof Service.HttpGet h ? h.port() : handler instanceof Service.TcpSocket t ? t.port()
                : handler instanceof Service.GrpcCheck g ? g.port() : null;
        return ref instanceof Service.PortName name ? Optional.of(name.name()) : Optional.empty();
    }

    static boolean hasPort(Service s, String name) {
        return s.ports().stream().anyMatch(p -> p.name().equals(name));
    }

    /** The ports a check may name, for the allowed part of a message. */
    static String portChoice(Service s) {
        return Findings.oneOf(s.ports().stream().map(Service.Port::name).toList(), "declare it under ports");
    }
}
