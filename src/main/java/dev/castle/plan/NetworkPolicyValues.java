package dev.castle.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.castle.model.NetworkPolicies;

/** The network policies of the model as parent-chart values, in castle's peer form. */
final class NetworkPolicyValues {
    private NetworkPolicyValues() {
    }

    static Map<String, Object> of(Map<String, NetworkPolicies.Policy> policies) {
        Map<String, Object> components = new TreeMap<>();
        policies.forEach((name, policy) -> {
            Map<String, Object> component = new LinkedHashMap<>();
            component.put("ingress", rules(policy.ingress(), "from"));
            component.put("egress", rules(policy.egress(), "to"));
            components.put(name, component);
        });
        return components;
    }

    private static List<Object> rules(List<NetworkPolicies.Rule> rules, String direction) {
        List<Object> list = new ArrayList<>();
        for (NetworkPolicies.Rule rule : rules) {
            if (rule.ports().isEmpty()) {
                continue;
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put(direction, peer(rule.peer()));
            List<Object> ports = new ArrayList<>();
            rule.ports().stream().distinct().forEach(p -> {
                Map<String, Object> port = new LinkedHashMap<>();
                port.put("port", p.port());
                port.put("protocol", p.protocol().name());
                ports.add(port);
            });
            entry.put("ports", ports);
            list.add(entry);
        }
        return list;
    }

    private static Map<String, Object> peer(NetworkPolicies.Peer peer) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (peer instanceof NetworkPolicies.Component c) {
            map.put("component", c.name());
            if (!c.versions().isEmpty()) {
                map.put("versions", c.versions());
            }
        } else if (peer instanceof NetworkPolicies.Labels l) {
            map.put("podLabels", new TreeMap<>(l.labels()));
        } else if (peer instanceof NetworkPolicies.Cidr c) {
            map.put("cidr", c.cidr());
        } else if (peer instanceof NetworkPolicies.Namespace n) {
            map.put("namespace", n.name());
        } else if (peer instanceof NetworkPolicies.Proxies p) {
            Map<String, Object> proxies = new LinkedHashMap<>();
            p.namespace().ifPresent(ns -> proxies.put("namespace", ns));
            proxies.put("podLabels", new TreeMap<>(p.podLabels()));
            map.put("proxies", proxies);
        } else if (peer instanceof NetworkPolicies.Anywhere) {
            map.put("anywhere", true);
        } else {
            map.put("tests", true);
        }
        return map;
    }
}
