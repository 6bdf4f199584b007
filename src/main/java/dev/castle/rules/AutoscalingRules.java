package dev.castle.rules;

import java.util.List;

import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/** Autoscaling: long-running workloads, a maximum above the minimum, the autoscaler alone decides the count. */
final class AutoscalingRules {
    static final List<Rule.OfService> SERVICE = List.of(AutoscalingRules::batchDoesNotAutoscale, AutoscalingRules::maximumAboveMinimum,
            AutoscalingRules::noReplicasBesideAutoscaler, AutoscalingRules::kedaTakesNoHpaSettings);

    private AutoscalingRules() {
    }

    static void batchDoesNotAutoscale(Service s, SystemModel system, Findings out) {
        if (s.workload().isBatch() && s.declared().has("autoscaling")) {
            out.error(s.declared().at("autoscaling"), "a " + s.workload() + " does not autoscale",
                    "autoscaling only for Deployments and StatefulSets");
        }
    }

    static void maximumAboveMinimum(Service s, SystemModel system, Findings out) {
        s.operations().autoscaling().filter(a -> a.maxReplicas() <= a.minReplicas()).ifPresent(a ->
                out.error(s.declared().at(s.declared().has("autoscaling/maxReplicas") ? "autoscaling/maxReplicas" : "autoscaling"),
                        "maxReplicas (" + a.maxReplicas() + ") is not above minReplicas (" + a.minReplicas() + ")",
                        "a maximum above the minimum (default minimum 2, maximum 10)"));
    }

    static void noReplicasBesideAutoscaler(Service s, SystemModel system, Findings out) {
        if (s.declared().has("autoscaling") && s.declared().has("replicas") && !s.workload().isBatch()) {
            out.error(s.declared().at("replicas"), "replicas is set but the autoscaler decides the count",
                    "autoscaling.minReplicas instead of replicas");
        }
    }

    static void kedaTakesNoHpaSettings(Service s, SystemModel system, Findings out) {
        if (!s.declared().has("autoscaling/keda")) {
            return;
        }
        for (String key : List.of("cpu", "memory", "metrics", "behavior")) {
            if (s.declared().has("autoscaling/" + key)) {
                out.error(s.declared().at("autoscaling/" + key), key + " is for the HorizontalPodAutoscaler, not with keda",
                        "keda triggers only (KEDA creates its own autoscaler)");
            }
        }
    }
}
