package dev.castle.plan;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import dev.castle.model.ExtraService;
import dev.castle.model.Service;

/** A service's extra Services as its values, read by {@code castle-common.extraServices}. */
final class ExtraServiceValues {
    private ExtraServiceValues() {
    }

    static Map<String, Object> of(Service s) {
        Map<String, Object> services = new TreeMap<>();
        for (ExtraService e : s.network().extraServices()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("enabled", true);
            entry.put("type", e.type().name());
            entry.put("annotations", new TreeMap<>(e.annotations()));
            entry.put("externalTrafficPolicy", e.externalTrafficPolicy().map(Enum::name).orElse(""));
            entry.put("loadBalancerSourceRanges", e.loadBalancerSourceRanges());
            Map<String, Object> ports = new TreeMap<>();
            for (ExtraService.ExtraPort p : e.ports()) {
                Map<String, Object> port = new LinkedHashMap<>();
                port.put("port", p.port());
                p.nodePort().ifPresent(n -> port.put("nodePort", n));
                ports.put(p.target(), port);
            }
            entry.put("ports", ports);
            services.put(e.name(), entry);
        }
        return services;
    }

    static Map<String, Object> schema() {
        Map<String, Object> port = Schemas.strictObject(Schemas.of("port", Schemas.integer(1, 65535), "nodePort", Schemas.integer(30000, 32767)), "port");
        Map<String, Object> entry = Schemas.strictObject(Schemas.of("enabled", Schemas.bool(), "type", Schemas.oneOf("ClusterIP", "NodePort", "LoadBalancer"),
                "annotations", Schemas.stringMap(), "externalTrafficPolicy", Schemas.oneOf("", "Cluster", "Local"),
                "loadBalancerSourceRanges", Schemas.array(Schemas.string()), "ports", Schemas.mapOf(port)),
                "enabled", "type", "ports");
        return Schemas.mapOf(entry);
    }
}
