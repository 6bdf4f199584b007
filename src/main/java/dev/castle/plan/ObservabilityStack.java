package dev.castle.plan;

import java.util.ArrayList;
import java.util.List;

import dev.castle.model.SystemModel;

/** The observability stack as pinned, disabled dependencies of the parent chart, from their public repositories. */
final class ObservabilityStack {
    record Component(String alias, String chart, String version, String repository) {
    }

    static final Component PROMETHEUS = new Component("kube-prometheus-stack", "kube-prometheus-stack", "66.3.1",
            "https://prometheus-community.github.io/helm-charts");
    static final Component TRACING = new Component("opentelemetry-collector", "opentelemetry-collector", "0.110.0",
            "https://open-telemetry.github.io/opentelemetry-helm-charts");
    static final Component LOGS = new Component("fluent-bit", "fluent-bit", "0.48.0", "https://fluent.github.io/helm-charts");

    private ObservabilityStack() {
    }

    static List<Component> of(SystemModel system) {
        List<Component> components = new ArrayList<>();
        if (system.observability().stackPrometheus()) {
            components.add(PROMETHEUS);
        }
        if (system.observability().stackTracing()) {
            components.add(TRACING);
        }
        if (system.observability().stackLogs()) {
            components.add(LOGS);
        }
        return components;
    }
}
