package dev.castle.rules;

import java.util.List;

import dev.castle.load.Node;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * Placement the API server accepts: node selectors and taints as labels (keys qualified names,
 * values label values), tolerations that say one thing (Exists takes no value, an empty key only
 * Exists, tolerationSeconds only NoExecute), topology keys that are label keys.
 */
final class PlacementRules {
    static final List<Rule.OfService> SERVICE = List.of(PlacementRules::nodeSelectorIsLabels, PlacementRules::tolerationsAreConsistent,
            PlacementRules::topologyKeysAreLabelKeys);

    private PlacementRules() {
    }

    static void nodeSelectorIsLabels(Service s, SystemModel system, Findings out) {
        s.scheduling().placement().nodeSelector().forEach((key, value) -> {
            String at = "placement/nodeSelector/" + Node.escapePointerToken(key);
            if (s.declared().has(at)) {
                label(s, at, key, value, out);
            }
        });
        for (String part : List.of("placement/pool/nodeLabel", "placement/pool/taint/key")) {
            s.declared().text(part).filter(key -> !Formats.isQualifiedName(key)).ifPresent(key -> out.error(s.declared().at(part),
                    "'" + key + "' is not a label key", "a name of at most 63 letters, digits, '-', '_', '.', after an optional DNS prefix and '/'"));
        }
        for (String part : List.of("placement/pool/name", "placement/pool/taint/value")) {
            s.declared().text(part).filter(value -> !Formats.isLabelValue(value)).ifPresent(value -> out.error(s.declared().at(part),
                    "'" + value + "' is not a label value", "at most 63 letters, digits, '-', '_', '.', beginning and ending alphanumeric"));
        }
    }

    private static void label(Service s, String at, String key, String value, Findings out) {
        if (!Formats.isQualifiedName(key)) {
            out.errorAtKey(s.declared().at(at), "'" + key + "' is not a label key",
                    "a name of at most 63 letters, digits, '-', '_', '.', after an optional DNS prefix and '/'");
        }
        if (!Formats.isLabelValue(value)) {
            out.error(s.declared().at(at), "'" + value + "' is not a label value",
                    "at most 63 letters, digits, '-', '_', '.', beginning and ending alphanumeric");
        }
    }

    static void tolerationsAreConsistent(Service s, SystemModel system, Findings out) {
        List<Service.Toleration> tolerations = s.scheduling().placement().tolerations();
        int written = (int) s.declared().keys().stream().filter(k -> k.matches("placement/tolerations/\\d+")).count();
        for (int i = 0; i < tolerations.size() && i < written; i++) {
            Service.Toleration t = tolerations.get(tolerations.size() - written + i);
            String at = "placement/tolerations/" + i;
            boolean exists = t.operator().filter(o -> o == Service.TolerationOperator.Exists).isPresent();
            if (exists && t.value().filter(v -> !v.isEmpty()).isPresent()) {
                out.error(s.declared().at(at + "/value"), "a toleration with operator Exists takes no value", "remove value, or operator: Equal");
            }
            if (t.key().filter(k -> !k.isEmpty()).isEmpty() && !exists) {
                out.error(s.declared().at(at), "a toleration without a key must have operator Exists (it tolerates every taint)",
                        "a key, or operator: Exists");
            }
            t.key().filter(k -> !k.isEmpty() && !Formats.isQualifiedName(k)).ifPresent(k -> out.error(s.declared().at(at + "/key"),
                    "'" + k + "' is not a taint key", "a label key: a name of at most 63 letters, digits, '-', '_', '.', after an optional prefix and '/'"));
            t.value().filter(v -> !exists && !Formats.isLabelValue(v)).ifPresent(v -> out.error(s.declared().at(at + "/value"),
                    "'" + v + "' is not a taint value", "a label value: at most 63 letters, digits, '-', '_', '.'"));
            if (t.tolerationSeconds().isPresent() && t.effect().filter(e -> e == Service.TaintEffect.NoExecute).isEmpty()) {
                out.error(s.declared().at(at + "/tolerationSeconds"), "tolerationSeconds is only for the effect NoExecute", "effect: NoExecute");
            }
        }
    }

    static void topologyKeysAreLabelKeys(Service s, SystemModel system, Findings out) {
        List<Service.TopologySpread> spread = s.scheduling().placement().topologySpread();
        for (int i = 0; i < spread.size(); i++) {
            String at = "placement/topologySpread/" + i + "/topologyKey";
            if (s.declared().has(at) && !Formats.isQualifiedName(spread.get(i).topologyKey())) {
                out.error(s.declared().at(at), "'" + spread.get(i).topologyKey() + "' is not a label key",
                        "a node label such as topology.kubernetes.io/zone or kubernetes.io/hostname");
            }
        }
    }
}
