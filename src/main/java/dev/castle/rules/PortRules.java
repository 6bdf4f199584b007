package dev.castle.rules;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.castle.load.Node;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/** Ports: named with a letter, numbers unique per protocol, service ports unique, node ports on the right Service. */
final class PortRules {
    static final List<Rule.OfService> SERVICE = List.of(PortRules::portNameHasLetter, PortRules::portsAreUnique,
            PortRules::nodePortNeedsNodePortService, PortRules::serviceNeedsPorts);

    private PortRules() {
    }

    static String at(Service s, Service.Port port) {
        return s.declared().at("ports/" + Node.escapePointerToken(port.name()));
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
        for (Service.Port port : s.ports()) {
            String key = port.port() + "/" + port.protocol();
            String previous = containerPorts.putIfAbsent(key, port.name());
            if (previous != null) {
                out.error(at(s, port), "container port " + key + " is used twice",
                        "one port entry per number and protocol (also used by '" + previous + "')");
            }
            if (port.exposed()) {
                String servicePort = port.servicePort() + "/" + port.protocol();
                String used = servicePorts.putIfAbsent(servicePort, port.name());
                if (used != null) {
                    out.error(at(s, port), "service port " + servicePort + " is used twice",
                            "distinct service ports (also used by '" + used + "')");
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
}
