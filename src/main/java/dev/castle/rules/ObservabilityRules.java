package dev.castle.rules;

import java.util.List;
import java.util.Optional;

import dev.castle.load.Suggestions;
import dev.castle.model.Infrastructure;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * Metrics and alerts: a port that serves the metrics, alerts that apply to the service; the tracing
 * backend is an embedded tracing component of the system, said instead of an endpoint.
 */
final class ObservabilityRules {
    static final List<Rule.OfService> SERVICE = List.of(ObservabilityRules::metricsHavePort, ObservabilityRules::alertApplies);
    static final List<Rule.OfSystem> SYSTEM = List.of(ObservabilityRules::tracingBackendIsATracingComponent);

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

    /**
     * observability.tracing.backend names an embedded component of a tracing type (the services' OTLP
     * endpoint is its Service), and is not said beside an endpoint (which one would the SDKs use?).
     */
    static void tracingBackendIsATracingComponent(SystemModel system, Findings out) {
        SystemModel.Observability o = system.observability();
        Optional<String> written = o.tracingBackendWritten();
        if (written.isEmpty()) {
            return;
        }
        String at = SystemModel.Observability.TRACING_POINTER + "/backend";
        String name = written.get();
        List<String> tracing = system.infrastructure().stream().filter(i -> i.type().isTracingBackend() && i.mode() == Infrastructure.Mode.embedded)
                .map(Infrastructure::name).sorted().toList();
        String allowed = Findings.oneOf(tracing, "an infrastructure component of type jaeger (infrastructure: {" + name + ": {type: jaeger}})");
        Optional<Infrastructure> component = system.infrastructure(name);
        if (component.isEmpty()) {
            out.error(at, "'" + name + "' is not an infrastructure component of the system", allowed, Suggestions.closest(name, tracing));
        } else if (!component.get().type().isTracingBackend()) {
            out.error(at, "'" + name + "' is a " + component.get().type() + ", not a tracing backend", allowed);
        } else if (component.get().mode() != Infrastructure.Mode.embedded) {
            out.error(at, "'" + name + "' is " + component.get().mode() + ": a backend is a component the release runs (embedded)",
                    "mode embedded; for a backend outside the release write its endpoint instead (observability.tracing.endpoint)");
        }
        if (o.tracingEndpointWritten()) {
            out.error(SystemModel.Observability.TRACING_POINTER + "/endpoint", "the endpoint and the backend '" + name
                    + "' both say where the spans go", "one of them: the backend (castle points the services at its OTLP port) or the endpoint");
        }
    }
}
