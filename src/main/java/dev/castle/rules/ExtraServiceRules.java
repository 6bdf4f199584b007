package dev.castle.rules;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.castle.model.ExtraService;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * Extra Services: in front of pods that listen, on ports the service has, named {@code <the service's
 * Service name>-<name>} apart from the Services castle or Flagger make (collisions with every other
 * Service of the release are {@link ServiceNameRules}') and within Kubernetes' 63 characters; node
 * ports unique in the system.
 */
final class ExtraServiceRules {
    static final List<Rule.OfService> SERVICE = List.of(ExtraServiceRules::servesPodsThatListen, ExtraServiceRules::portsExist,
            ExtraServiceRules::fieldsFitTheType, ExtraServiceRules::nameIsFree);
    static final List<Rule.OfSystem> SYSTEM = List.of(ExtraServiceRules::nodePortsAreUnique);
    /** Suffixes of Services castle or Flagger create beside a service's own: its StatefulSet's, its canary's, Flagger's primary. */
    static final Set<String> RESERVED = Set.of("headless", "canary", "primary");

    private ExtraServiceRules() {
    }

    static void servesPodsThatListen(Service s, SystemModel system, Findings out) {
        if (!s.network().extraServices().isEmpty() && (s.workload().isBatch() || s.ports().isEmpty())) {
            out.error(s.declared().at("extraServices"), "extra Services need pods that listen: this " + s.workload()
                    + (s.ports().isEmpty() ? " has no ports" : " runs to completion"), "ports on a Deployment or StatefulSet");
        }
    }

    static void portsExist(Service s, SystemModel system, Findings out) {
        for (ExtraService e : s.network().extraServices()) {
            Map<String, String> seen = new HashMap<>();
            for (ExtraService.ExtraPort p : e.ports()) {
                String at = s.declared().at("extraServices/" + e.name() + "/ports/" + p.target());
                java.util.Optional<Service.Port> target = s.ports().stream().filter(x -> x.name().equals(p.target())).findFirst();
                if (target.isEmpty()) {
                    out.errorAtKey(at, "'" + p.target() + "' is not a port of this service", ProbeRules.portChoice(s));
                    continue;
                }
                String key = p.port() + "/" + target.get().protocol();
                String other = seen.put(key, p.target());
                if (other != null) {
                    out.error(at, "ports '" + other + "' and '" + p.target() + "' are both on " + key, "a Service port number per port and protocol");
                }
            }
            if (e.ports().isEmpty() && !s.ports().isEmpty()) {
                out.error(s.declared().at("extraServices/" + e.name()), "no port of the service has expose: true", "ports: {<port name>: <Service port>}");
            }
        }
    }

    static void fieldsFitTheType(Service s, SystemModel system, Findings out) {
        for (ExtraService e : s.network().extraServices()) {
            String at = s.declared().at("extraServices/" + e.name());
            if (!e.reachableFromOutside()) {
                if (e.externalTrafficPolicy().isPresent()) {
                    out.error(at + "/externalTrafficPolicy", "externalTrafficPolicy is for NodePort and LoadBalancer Services", "type: LoadBalancer or NodePort");
                }
                e.ports().stream().filter(p -> p.nodePort().isPresent()).findFirst().ifPresent(p -> out.error(at + "/ports/" + p.target()
                        + "/nodePort", "a node port is for NodePort and LoadBalancer Services", "type: LoadBalancer or NodePort"));
            }
            if (e.type() != Service.ServiceType.LoadBalancer && !e.loadBalancerSourceRanges().isEmpty()) {
                out.error(at + "/loadBalancerSourceRanges", "loadBalancerSourceRanges is for LoadBalancer Services", "type: LoadBalancer");
            }
        }
    }

    /** The extra Service's name: the service's Service name and its own ({release} replaced). */
    static String serviceName(Service s, ExtraService extra, String release) {
        return s.network().service().name().replace("{release}", release) + "-" + extra.name();
    }

    /** Other Services of the release with the same name are {@link ServiceNameRules}'; here the names castle or Flagger keep, and the length. */
    static void nameIsFree(Service s, SystemModel system, Findings out) {
        for (ExtraService e : s.network().extraServices()) {
            String at = s.declared().at("extraServices/" + e.name());
            String name = serviceName(s, e, system.metadata().name());
            if (RESERVED.contains(e.name())) {
                out.errorAtKey(at, "'" + name + "' is the name of a Service castle or Flagger makes for " + s.name(),
                        "a name other than " + String.join(", ", new java.util.TreeSet<>(RESERVED)));
            }
            if (name.length() > NameRules.MAX_NAME) {
                out.errorAtKey(at, "the Service name '" + name + "' has " + name.length() + " characters",
                        "at most " + NameRules.MAX_NAME + "; shorten the name");
            }
        }
    }

    static void nodePortsAreUnique(SystemModel system, Findings out) {
        Map<Integer, String> used = new HashMap<>();
        for (Service s : system.services()) {
            for (Service.Port p : s.ports()) {
                p.nodePort().ifPresent(n -> used.putIfAbsent(n, s.name() + "'s port " + p.name()));
            }
        }
        for (Service s : system.services()) {
            for (ExtraService e : s.network().extraServices()) {
                for (ExtraService.ExtraPort p : e.ports()) {
                    p.nodePort().ifPresent(n -> {
                        String here = s.name() + "'s extra Service " + e.name();
                        String other = used.putIfAbsent(n, here);
                        if (other != null) {
                            out.error(s.declared().at("extraServices/" + e.name() + "/ports/" + p.target() + "/nodePort"),
                                    "node port " + n + " is also " + other, "a node port used once in the cluster");
                        }
                    });
                }
            }
        }
    }
}
