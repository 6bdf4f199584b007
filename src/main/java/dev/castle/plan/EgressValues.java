package dev.castle.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.castle.model.Egress;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * Egress to host names as parent-chart values, read by {@code castle-common.externalEgress}: an Istio
 * ServiceEntry per destination (Istio as the mesh) and a CiliumNetworkPolicy {@code toFQDNs} per
 * service (Cilium enforcing the policies). Address blocks are in the NetworkPolicies already.
 */
final class EgressValues {
    private EgressValues() {
    }

    /**
     * Whether the parent chart has anything to render for host names: in the base, or in one of its
     * environments (an environment's egress may name hosts the base does not; the chart then has the
     * template and the base values no destinations).
     */
    static boolean present(SystemModel system) {
        return (serviceEntries(system) || fqdnPolicies(system)) && (!destinations(system).isEmpty()
                || system.environments().stream().anyMatch(e -> !destinations(e.model()).isEmpty()));
    }

    private static boolean serviceEntries(SystemModel system) {
        return system.network().mesh() == SystemModel.Mesh.istio;
    }

    private static boolean fqdnPolicies(SystemModel system) {
        return system.network().policies() && system.network().policyProvider() == SystemModel.PolicyProvider.cilium;
    }

    static void parameters(ChartValues values, SystemModel system) {
        if (!present(system)) {
            return;
        }
        values.section("Egress to host names");
        if (serviceEntries(system)) {
            values.param("externalEgress.serviceEntries", true, "An Istio ServiceEntry (MESH_EXTERNAL) per destination with host names", Schemas.bool());
        }
        if (fqdnPolicies(system)) {
            values.param("externalEgress.fqdnPolicies", true, "A CiliumNetworkPolicy per service allowing its host names (toFQDNs) through Cilium's DNS proxy",
                    Schemas.bool());
        }
        Map<String, Object> port = Schemas.strictObject(Schemas.of("port", Schemas.integer(1, 65535), "protocol", Schemas.oneOf("TCP", "UDP", "SCTP"),
                "appProtocol", Schemas.string()), "port", "protocol", "appProtocol");
        Map<String, Object> destination = Schemas.strictObject(Schemas.of("hosts", Schemas.array(Schemas.string()),
                "resolution", Schemas.oneOf("DNS", "NONE"), "ports", Schemas.array(port)), "hosts", "resolution", "ports");
        values.param("externalEgress.destinations", destinations(system),
                "Host names each service reaches, by service and destination name: {hosts, resolution (the ServiceEntry's: NONE with wildcards), ports: [{port, protocol, appProtocol}]}",
                Schemas.mapOf(Schemas.mapOf(destination)));
    }

    private static Map<String, Object> destinations(SystemModel system) {
        Map<String, Object> services = new TreeMap<>();
        for (Service s : system.services()) {
            Map<String, Object> entries = new TreeMap<>();
            for (Egress e : s.network().egress()) {
                if (e.hosts().isEmpty()) {
                    continue;
                }
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("hosts", e.hosts());
                entry.put("resolution", e.hasWildcard() ? "NONE" : "DNS");
                List<Object> ports = new ArrayList<>();
                for (Egress.Port p : e.ports()) {
                    Map<String, Object> port = new LinkedHashMap<>();
                    port.put("port", p.port());
                    port.put("protocol", p.protocol().name());
                    port.put("appProtocol", p.appProtocol());
                    ports.add(port);
                }
                entry.put("ports", ports);
                entries.put(e.name(), entry);
            }
            if (!entries.isEmpty()) {
                services.put(s.name(), entries);
            }
        }
        return services;
    }
}
