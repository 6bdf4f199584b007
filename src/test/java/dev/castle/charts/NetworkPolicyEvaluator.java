package dev.castle.charts;

import static dev.castle.charts.PodChecks.get;
import static dev.castle.charts.PodChecks.list;
import static dev.castle.charts.PodChecks.map;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Kubernetes NetworkPolicy semantics, enough to answer "may pod A open a connection to pod B on
 * port P": a pod selected by a policy of a type is isolated for that direction; policies add up;
 * a connection needs the source's egress and the destination's ingress.
 */
final class NetworkPolicyEvaluator {
    /** A pod as policies see it. */
    record Pod(String name, String namespace, Map<String, Object> labels) {
    }

    private final List<Map<String, Object>> policies;

    NetworkPolicyEvaluator(List<Map<String, Object>> documents, String releaseNamespace) {
        this.policies = documents.stream().filter(d -> "NetworkPolicy".equals(d.get("kind")))
                .map(d -> {
                    Map<String, Object> copy = new java.util.HashMap<>(d);
                    copy.putIfAbsent("namespace", releaseNamespace);
                    return copy;
                }).toList();
    }

    boolean allowed(Pod from, Pod to, int port, String protocol) {
        return allows(from, to, port, protocol, "Egress") && allows(to, from, port, protocol, "Ingress");
    }

    /** Whether {@code subject}'s policies of this direction let traffic with {@code peer} through. */
    private boolean allows(Pod subject, Pod peer, int port, String protocol, String type) {
        List<Map<String, Object>> selecting = new ArrayList<>();
        for (Map<String, Object> policy : policies) {
            if (!Objects.equals(policy.get("namespace"), subject.namespace())) {
                continue;
            }
            List<Object> types = list(get(policy, "spec", "policyTypes"));
            if (types.contains(type) && selects(map(get(policy, "spec", "podSelector")), subject.labels())) {
                selecting.add(policy);
            }
        }
        if (selecting.isEmpty()) {
            return true;
        }
        String rulesKey = type.equals("Ingress") ? "ingress" : "egress";
        String peersKey = type.equals("Ingress") ? "from" : "to";
        for (Map<String, Object> policy : selecting) {
            for (Object r : list(get(policy, "spec", rulesKey))) {
                Map<String, Object> rule = map(r);
                if (portMatches(list(rule.get("ports")), port, protocol) && peerMatches(rule.get(peersKey), peer, subject.namespace())) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean peerMatches(Object peers, Pod peer, String policyNamespace) {
        if (peers == null || list(peers).isEmpty()) {
            return true;
        }
        for (Object p : list(peers)) {
            Map<String, Object> entry = map(p);
            if (entry.containsKey("ipBlock")) {
                // pods of the cluster are not matched by the ipBlocks castle writes for external hosts
                if (peer.namespace().equals("<outside>")) {
                    return true;
                }
                continue;
            }
            boolean namespaceOk = entry.containsKey("namespaceSelector")
                    ? selects(map(entry.get("namespaceSelector")), Map.of("kubernetes.io/metadata.name", peer.namespace()))
                    : peer.namespace().equals(policyNamespace);
            boolean podOk = !entry.containsKey("podSelector") || selects(map(entry.get("podSelector")), peer.labels());
            if (namespaceOk && podOk) {
                return true;
            }
        }
        return false;
    }

    private static boolean portMatches(List<Object> ports, int port, String protocol) {
        if (ports.isEmpty()) {
            return true;
        }
        for (Object p : ports) {
            Map<String, Object> entry = map(p);
            String proto = (String) Objects.requireNonNullElse(entry.get("protocol"), "TCP");
            Object number = entry.get("port");
            if (proto.equals(protocol) && (number == null || Objects.equals(number, port))) {
                return true;
            }
        }
        return false;
    }

    static boolean selects(Map<String, Object> selector, Map<String, Object> labels) {
        for (Map.Entry<String, Object> e : map(selector.get("matchLabels")).entrySet()) {
            if (!Objects.equals(String.valueOf(e.getValue()), labels.get(e.getKey()) == null ? null : String.valueOf(labels.get(e.getKey())))) {
                return false;
            }
        }
        for (Object x : list(selector.get("matchExpressions"))) {
            Map<String, Object> expression = map(x);
            String key = (String) expression.get("key");
            List<Object> values = list(expression.get("values"));
            boolean has = labels.containsKey(key);
            boolean ok = switch ((String) expression.get("operator")) {
                case "Exists" -> has;
                case "DoesNotExist" -> !has;
                case "In" -> has && values.contains(labels.get(key));
                case "NotIn" -> !has || !values.contains(labels.get(key));
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
