package dev.castle.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import dev.castle.load.Node;
import dev.castle.model.Infrastructure;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * Labels Kubernetes takes, as the library makes them: the {@code helm.sh/chart} label
 * ({@code <chart>-<version>}, '+' as '_', cut to 63 characters) must still be a label value; extra
 * pod labels must not name the labels castle sets on every pod (the library keeps castle's, so the
 * user's would be dropped without a word). The version label is cut and cleaned by the library
 * ({@code castle-common.labelValue}), so every appVersion and image tag gives a valid one.
 */
final class LabelRules {
    /** The labels castle sets on pods; selectors, policies and monitors rely on them. */
    static final Set<String> CASTLE_POD_LABELS = Set.of("helm.sh/chart", "app.kubernetes.io/name", "app.kubernetes.io/instance",
            "app.kubernetes.io/version", "app.kubernetes.io/component", "app.kubernetes.io/part-of", "app.kubernetes.io/managed-by");
    static final String CASTLE_PREFIX = "castle.dev/";

    static final List<Rule.OfService> SERVICE = List.of(LabelRules::podLabelsLeaveCastlesLabels);
    static final List<Rule.OfSystem> SYSTEM = List.of(LabelRules::chartLabelIsLabelValue);

    private LabelRules() {
    }

    static void podLabelsLeaveCastlesLabels(Service s, SystemModel system, Findings out) {
        for (String key : s.pod().labels().keySet()) {
            if (CASTLE_POD_LABELS.contains(key) || key.startsWith(CASTLE_PREFIX)) {
                out.errorAtKey(s.declared().at("podLabels/" + Node.escapePointerToken(key)), "the pod label " + key + " is castle's own",
                        "another label: castle sets " + String.join(", ", new TreeSet<>(CASTLE_POD_LABELS)) + " and castle.dev/*"
                                + " on every pod, and selectors use them");
            }
        }
    }

    /** The label castle-common.chart makes of a chart's name and version. */
    static String chartLabel(String chart, String version) {
        String label = GeneratedObjects.trunc((chart + "-" + version).replace("+", "_"), 63);
        while (label.endsWith("-")) {
            label = label.substring(0, label.length() - 1);
        }
        return label;
    }

    static void chartLabelIsLabelValue(SystemModel system, Findings out) {
        String version = system.metadata().version();
        List<String> charts = new ArrayList<>();
        charts.add(system.metadata().name());
        system.services().forEach(s -> charts.add(s.name()));
        system.infrastructure().stream().filter(c -> c.mode() == Infrastructure.Mode.embedded).forEach(c -> charts.add(c.name()));
        charts.stream().map(chart -> chartLabel(chart, version)).filter(label -> !Formats.isLabelValue(label)).findFirst().ifPresent(label ->
                out.error("/metadata/version", "the chart label helm.sh/chart: " + label + " (chart name, '-', version, '+' as '_', cut to 63"
                        + " characters) is not a label value", "a shorter version, or one whose 63rd character is a letter or digit"));
    }
}
