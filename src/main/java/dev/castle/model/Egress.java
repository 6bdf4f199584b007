package dev.castle.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

import dev.castle.load.Node;

/**
 * One external destination of a service ({@code services.<name>.egress.<name>}): host names and/or
 * address blocks, and the ports its pods reach them on. A NetworkPolicy matches addresses only, so
 * {@code cidrs} become its ipBlocks; {@code hosts} become an Istio ServiceEntry when Istio is the
 * mesh and a CiliumNetworkPolicy {@code toFQDNs} when Cilium enforces the policies.
 */
public record Egress(String name, List<String> hosts, List<String> cidrs, List<Port> ports) {
    public Egress {
        hosts = List.copyOf(hosts);
        cidrs = List.copyOf(cidrs);
        ports = List.copyOf(ports);
    }

    /** A destination port; {@code appProtocol} is the ServiceEntry's port protocol, defaulted by {@link #bind}. */
    public record Port(int port, Service.Protocol protocol, String appProtocol) {
    }

    /** Wildcard host names ({@code *.example.com}) cannot be resolved by DNS: the ServiceEntry resolves none. */
    public boolean hasWildcard() {
        return hosts.stream().anyMatch(h -> h.startsWith("*."));
    }

    /** The entries of {@code egress}, sorted by name, each port's protocols decided here. */
    static List<Egress> bind(Fields service) {
        List<Egress> egress = new ArrayList<>();
        new TreeMap<>(service.entries("egress")).forEach((name, node) -> {
            Fields e = new Fields(node);
            List<Port> ports = new ArrayList<>();
            for (Node item : e.items("ports")) {
                if (item instanceof Node.ScalarNode scalar) {
                    Object number = Fields.intOrString(scalar);
                    int port = number instanceof Integer i ? i : 0;
                    ports.add(new Port(port, Service.Protocol.TCP, appProtocol(port, Service.Protocol.TCP, Optional.empty())));
                } else {
                    Fields p = new Fields(item);
                    int port = p.integer("port", 0);
                    Service.Protocol protocol = p.enumValue("protocol", Service.Protocol.class, Service.Protocol.TCP);
                    ports.add(new Port(port, protocol, appProtocol(port, protocol, p.text("appProtocol"))));
                }
            }
            egress.add(new Egress(name, e.strings("hosts"), e.strings("cidrs"), ports));
        });
        return List.copyOf(egress);
    }

    /** TLS on 443, HTTP on 80, UDP for UDP, TCP otherwise, unless said. */
    static String appProtocol(int port, Service.Protocol protocol, Optional<String> written) {
        return written.orElseGet(() -> protocol == Service.Protocol.UDP ? "UDP" : port == 443 ? "TLS" : port == 80 ? "HTTP" : "TCP");
    }
}
