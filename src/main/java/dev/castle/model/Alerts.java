package dev.castle.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The default alerts of a service, from kube-state-metrics series and the metrics the descriptor
 * names; each with a severity, a duration, a summary and a description, and each overridable.
 */
final class Alerts {
    private Alerts() {
    }

    static List<Operations.Alert> of(String service, Service.WorkloadKind workload, Optional<Operations.Autoscaling> autoscaling,
                                     Fields metrics, Fields overrides) {
        String pods = "namespace=\"{namespace}\", pod=~\"{fullname}-[a-z0-9]+(-[a-z0-9]+)?\"";
        String label = "The " + service + " service";
        List<Operations.Alert> alerts = new ArrayList<>();
        if (!workload.isBatch()) {
            alerts.add(new Operations.Alert("PodCrashLooping",
                    "max_over_time(kube_pod_container_status_waiting_reason{reason=\"CrashLoopBackOff\", " + pods + "}[5m]) >= 1",
                    "5m", Operations.Severity.critical, label + " has a pod crash-looping",
                    "Pod {{ $labels.pod }} of " + service + " has been in CrashLoopBackOff for 5 minutes.", Optional.empty()));
            alerts.add(new Operations.Alert("PodNotReady",
                    "sum by (pod) (kube_pod_status_ready{condition=\"false\", " + pods + "}) > 0",
                    "10m", Operations.Severity.warning, label + " has a pod not ready",
                    "Pod {{ $labels.pod }} of " + service + " has not been ready for 10 minutes.", Optional.empty()));
            alerts.add(new Operations.Alert("PodRestartingOften",
                    "increase(kube_pod_container_status_restarts_total{" + pods + "}[1h]) > 3",
                    "0m", Operations.Severity.warning, label + " restarts often",
                    "Container {{ $labels.container }} of pod {{ $labels.pod }} restarted {{ $value }} times in the last hour.",
                    Optional.empty()));
        } else {
            alerts.add(new Operations.Alert("JobFailed",
                    "kube_job_status_failed{namespace=\"{namespace}\", job_name=~\"{fullname}(-[0-9]+)?\"} > 0",
                    "0m", Operations.Severity.warning, label + " has a failed Job",
                    "Job {{ $labels.job_name }} of " + service + " failed.", Optional.empty()));
        }
        autoscaling.filter(a -> a.keda().isEmpty()).ifPresent(a -> alerts.add(new Operations.Alert("AutoscalerAtMaximum",
                "kube_horizontalpodautoscaler_status_current_replicas{namespace=\"{namespace}\", horizontalpodautoscaler=\"{fullname}\"}"
                        + " >= kube_horizontalpodautoscaler_spec_max_replicas{namespace=\"{namespace}\", horizontalpodautoscaler=\"{fullname}\"}",
                "15m", Operations.Severity.warning, label + " runs at its maximum replicas",
                "The autoscaler of " + service + " has been at its maximum of replicas for 15 minutes: raise maxReplicas or find the load.",
                Optional.empty())));
        Fields errorRate = metrics.object("errorRate");
        errorRate.text("metric").ifPresent(metric -> {
            String errors = errorRate.text("errorSelector", "code=~\"5..\"");
            double threshold = errorRate.decimal("threshold").orElse(0.05);
            String selector = "namespace=\"{namespace}\", service=\"{fullname}\"";
            alerts.add(new Operations.Alert("HighErrorRate",
                    "sum(rate(" + metric + "{" + selector + ", " + errors + "}[5m])) / sum(rate(" + metric + "{" + selector + "}[5m])) > "
                            + threshold,
                    "5m", Operations.Severity.critical, label + " fails too many requests",
                    "More than " + Math.round(threshold * 100) + "% of the requests to " + service + " failed over 5 minutes.",
                    Optional.empty()));
        });
        Fields latency = metrics.object("latency");
        latency.text("metric").ifPresent(metric -> {
            double quantile = latency.decimal("quantile").orElse(0.99);
            double seconds = latency.decimal("thresholdSeconds").orElse(1.0);
            alerts.add(new Operations.Alert("HighLatency",
                    "histogram_quantile(" + quantile + ", sum by (le) (rate(" + metric
                            + "_bucket{namespace=\"{namespace}\", service=\"{fullname}\"}[5m]))) > " + seconds,
                    "10m", Operations.Severity.warning, label + " is slow",
                    "The " + Math.round(quantile * 100) + "th percentile latency of " + service + " is above " + seconds + "s.",
                    Optional.empty()));
        });
        List<Operations.Alert> resolved = new ArrayList<>();
        for (Operations.Alert alert : alerts) {
            if (overrides.isFalse(alert.name())) {
                continue;
            }
            Fields o = overrides.object(alert.name());
            resolved.add(new Operations.Alert(alert.name(), alert.expr(), o.text("for", alert.forDuration()),
                    o.enumValue("severity", Operations.Severity.class, alert.severity()), alert.summary(), alert.description(), o.text("runbookUrl")));
        }
        return List.copyOf(resolved);
    }
}
