package dev.castle.rules;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.castle.load.Node;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * Ports (the service's and its sidecars'): named with a letter, names and numbers unique in the pod
 * per protocol, service ports unique, node ports on the right Service and each taken once in the
 * whole cluster (a node port belongs to every node).
 */
final class PortRules {
    static final List<Rule.OfService> SERVICE = List.of(PortRules::portNameHasLetter, PortRules::portsAreUnique,
            PortRules::nodePortNeedsNodePortService, PortRules::serviceNeedsPorts);
    static final List<Rule.OfSystem> SYSTEM = List.of(PortRules::nodePortsAreUnique);

    private PortRules() {
    }

    /** Where a port is written: under the service's ports, or under its sidecar's. */
    static String at(Service s, Service.Port port) {
        String ports = port.main() ? "ports/" : "sidecars/" + Node.escapePointerToken(port.container()) + "/ports/";
        return s.declared().at(ports + Node.escapePointerToken(port.name()));
    }

    /** A port as messages name it: 'http', or 'metrics' of the sidecar 'exporter'. */
    private static String named(Service.Port port) {
        return "'" + port.name() + "'" + (port.main() ? "" : " of the sidecar '" + port.container() + "'");
    }

    static void portNameHasLetter(Service s, SystemModel system, Findings out) {
        for (Service.Port port : s.ports()) {
            if (!port.name().matches(".*[a-z].*")) {
                out.errorAtKey(at(s, port), "port name '" + port.name() + "' has no letter",
                        "an IANA service name: at most 15 lowercase letters, digits and '-', with at least one letter");
            }
        }
    }

    static void portsAreUnique(Service s, SystemModel system, Findings out) {
        Map<String, String> containerPorts = new HashMap<>();
        Map<String, String> servicePorts = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        for (Service.Port port : s.ports()) {
            // the containers of a pod share its network: names and numbers are the pod's
            String taken = names.putIfAbsent(port.name(), named(port));
            if (taken != null) {
                out.errorAtKey(at(s, port), "port name '" + port.name() + "' is taken twice in the pod", "another name (also used by " + taken + ")");
            }
            String key = port.port() + "/" + port.protocol();
            String previous = containerPorts.putIfAbsent(key, named(port));
            if (previous != null) {
                out.error(at(s, port), "container port " + key + " is used twice",
                        "one port entry per number and protocol (also used by " + previous + ")");
            }
            if (port.exposed()) {
                String servicePort = port.servicePort() + "/" + port.protocol();
                String used = servicePorts.putIfAbsent(servicePort, named(port));
                if (used != null) {
                    out.error(at(s, port), "service port " + servicePort + " is used twice",
                            "distinct service ports (also used by " + used + ")");
                }
            }
        }
    }

    static void nodePortNeedsNodePortService(Service s, SystemModel system, Findings out) {
        if (s.network().service().reachableFromOutside()) {
            return;
        }
        for (Service.Port port : s.ports()) {
            if (port.nodePort().isPresent()) {
                out.error(at(s, port) + "/nodePort", "nodePort needs a NodePort or LoadBalancer Service",
                        "set service.type to NodePort or LoadBalancer (or expose.via nodePort), or remove nodePort");
            }
        }
    }

    static void serviceNeedsPorts(Service s, SystemModel system, Findings out) {
        boolean typeWritten = s.declared().text("service/type").filter(t -> !t.equals("None")).isPresent();
        if (s.ports().isEmpty() && typeWritten && !s.workload().isBatch()) {
            out.error(s.declared().at("service"), "a Service needs at least one port", "declare ports, or service.type None");
        }
    }

    static void nodePortsAreUnique(SystemModel system, Findings out) {
        Map<Integer, String> taken = new HashMap<>();
        for (Service s : system.services()) {
            for (Service.Port port : s.ports()) {
                port.nodePort().ifPresent(nodePort -> {
                    String previous = taken.putIfAbsent(nodePort, at(s, port) + "/nodePort");
                    if (previous != null) {
                        out.error(at(s, port) + "/nodePort", "node port " + nodePort + " is also taken at " + Checker.placeOf(previous),
                                "a node port of its own: each is open on every node of the cluster");
                    }
                });
            }
        }
    }
}
