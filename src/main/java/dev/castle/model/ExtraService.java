package dev.castle.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.castle.load.Node;

/**
 * A second Service in front of the same pods ({@code services.<name>.extraServices.<name>}), named
 * {@code <the Service name>-<name>}: another type (a LoadBalancer beside the ClusterIP one, as Online
 * Boutique's {@code frontend-external}), other Service ports, its own annotations.
 */
public record ExtraService(String name, Service.ServiceType type, Map<String, String> annotations,
                           Optional<Service.TrafficPolicy> externalTrafficPolicy, List<String> loadBalancerSourceRanges,
                           List<ExtraPort> ports) {
    public ExtraService {
        annotations = Map.copyOf(annotations);
        loadBalancerSourceRanges = List.copyOf(loadBalancerSourceRanges);
        ports = List.copyOf(ports);
    }

    /** A port of the service ({@code target}, its name) at a port of this Service, with a fixed node port or not. */
    public record ExtraPort(String target, int port, Optional<Integer> nodePort) {
    }

    public static final Service.ServiceType DEFAULT_TYPE = Service.ServiceType.ClusterIP;

    /** NodePort and LoadBalancer Services take traffic from outside the cluster. */
    public boolean reachableFromOutside() {
        return type == Service.ServiceType.NodePort || type == Service.ServiceType.LoadBalancer;
    }

    /**
     * The entries of {@code extraServices}, sorted by name. Without {@code ports}, every port of the
     * service with {@code expose: true} at its Service port.
     */
    static List<ExtraService> bind(Fields service, List<Service.Port> servicePorts) {
        List<ExtraService> extra = new ArrayList<>();
        new TreeMap<>(service.entries("extraServices")).forEach((name, node) -> {
            Fields e = new Fields(node);
            List<ExtraPort> ports = new ArrayList<>();
            if (e.has("ports")) {
                new TreeMap<>(e.entries("ports")).forEach((target, value) -> {
                    if (value instanceof Node.ScalarNode scalar) {
                        Object number = Fields.intOrString(scalar);
                        ports.add(new ExtraPort(target, number instanceof Integer i ? i : 0, Optional.empty()));
                    } else {
                        Fields p = new Fields(value);
                        int port = p.integer("port").orElseGet(() -> servicePorts.stream().filter(sp -> sp.name().equals(target))
                                .findFirst().map(Service.Port::servicePort).orElse(0));
                        ports.add(new ExtraPort(target, port, p.integer("nodePort")));
                    }
                });
            } else {
                servicePorts.stream().filter(Service.Port::exposed)
                        .forEach(p -> ports.add(new ExtraPort(p.name(), p.servicePort(), Optional.empty())));
            }
            extra.add(new ExtraService(name, e.enumValue("type", Service.ServiceType.class, DEFAULT_TYPE), e.stringMap("annotations"),
                    e.enumValue("externalTrafficPolicy", Service.TrafficPolicy.class), e.strings("loadBalancerSourceRanges"), ports));
        });
        return List.copyOf(extra);
    }
}
