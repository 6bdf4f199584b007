package dev.castle.rules;

import java.util.List;

import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/** Metrics and alerts: a port that serves the metrics, alerts that apply to the service. */
final class ObservabilityRules {
    static final List<Rule.OfService> SERVICE = List.of(ObservabilityRules::metricsHavePort, ObservabilityRules::alertApplies);

    private ObservabilityRules() {
    }

    static void metricsHavePort(Service s, SystemModel system, Findings out) {
        if (!s.declared().has("metrics")) {
            return;
        }
        var port = s.declared().text("metrics/port");
        if (port.isEmpty() && !ProbeRules.hasPort(s, "metrics")) {
            out.error(s.declared().at("metrics"), "no port serves the metrics", "metrics.port, or a port named metrics");
        }
        port.filter(p -> !p.matches("\\d+") && !ProbeRules.hasPort(s, p)).ifPresent(p ->
                out.error(s.declared().at("metrics/port"), "'" + p + "' is not a port of this service", ProbeRules.portChoice(s)));
    }

    static void alertApplies(Service s, SystemModel system, Findings out) {
        boolean batch = s.workload().isBatch();
        for (String name : List.of("PodCrashLooping", "PodNotReady", "PodRestartingOften", "AutoscalerAtMaximum", "HighErrorRate",
                "HighLatency", "JobFailed")) {
            if (!s.declared().has("alerts/" + name)) {
                continue;
            }
            boolean applies = switch (name) {
                case "HighErrorRate" -> s.declared().has("metrics/errorRate");
                case "HighLatency" -> s.declared().has("metrics/latency");
                case "AutoscalerAtMaximum" -> s.operations().autoscaling().isPresent();
                case "JobFailed" -> batch;
                default -> !batch;
            };
            if (!applies) {
                out.errorAtKey(s.declared().at("alerts/" + name), "alert " + name + " does not apply to this service",
                        "HighErrorRate needs metrics.errorRate, HighLatency metrics.latency, AutoscalerAtMaximum autoscaling,"
                                + " JobFailed a Job or CronJob, the pod alerts a Deployment or StatefulSet");
            }
        }
    }
}
