package dev.castle.rules;

import java.util.List;

import dev.castle.model.Service;
import dev.castle.model.Service.WorkloadKind;
import dev.castle.model.SystemModel;

/**
 * A rollout says what its workload can do: a Job or CronJob has none; surge, unavailable, the
 * recreate strategy and the progress deadline are a Deployment's, the partition a StatefulSet's;
 * a rolling update moves (surge and unavailable not both 0) and its deadline outlasts the time a
 * pod must stay ready, as the API server requires.
 */
final class RolloutRules {
    static final List<Rule.OfService> SERVICE = List.of(RolloutRules::rolloutFitsWorkload, RolloutRules::rollingUpdateProgresses);

    private static final List<String> DEPLOYMENT_ONLY = List.of("strategy", "maxSurge", "maxUnavailable", "progressDeadlineSeconds");

    private RolloutRules() {
    }

    static void rolloutFitsWorkload(Service s, SystemModel system, Findings out) {
        if (!s.declared().has("rollout")) {
            return;
        }
        if (s.workload().isBatch()) {
            out.errorAtKey(s.declared().at("rollout"), "a " + s.workload() + " has no rollout: its pods run to completion",
                    "job settings (backoffLimit, activeDeadlineSeconds...), or workload: Deployment");
            return;
        }
        if (s.workload() == WorkloadKind.StatefulSet) {
            DEPLOYMENT_ONLY.stream().filter(key -> s.declared().has("rollout/" + key)).forEach(key ->
                    out.errorAtKey(s.declared().at("rollout/" + key), key + " is a Deployment's; a StatefulSet replaces its pods one by one",
                            "partition, minReadySeconds, revisionHistoryLimit"));
        } else if (s.declared().has("rollout/partition")) {
            out.errorAtKey(s.declared().at("rollout/partition"), "partition is a StatefulSet's", "maxSurge and maxUnavailable, or workload: StatefulSet");
        }
        Service.Rollout r = s.scheduling().rollout();
        if (r.recreate()) {
            List.of("maxSurge", "maxUnavailable").stream().filter(key -> s.declared().has("rollout/" + key)).forEach(key ->
                    out.errorAtKey(s.declared().at("rollout/" + key), "the recreate strategy stops every pod first: it has no " + key,
                            "strategy: rollingUpdate, or no " + key));
        }
    }

    static void rollingUpdateProgresses(Service s, SystemModel system, Findings out) {
        if (!s.declared().has("rollout") || s.workload() != WorkloadKind.Deployment) {
            return;
        }
        Service.Rollout r = s.scheduling().rollout();
        if (!r.recreate() && zero(r.maxSurge()) && zero(r.maxUnavailable())) {
            out.error(s.declared().at("rollout"), "maxSurge and maxUnavailable are both 0: the rolling update could replace no pod",
                    "maxSurge: 1 (a new pod first) or maxUnavailable: 1");
        }
        if (r.progressDeadlineSeconds() <= r.minReadySeconds()) {
            out.error(s.declared().at(s.declared().has("rollout/progressDeadlineSeconds") ? "rollout/progressDeadlineSeconds" : "rollout/minReadySeconds"),
                    "progressDeadlineSeconds (" + r.progressDeadlineSeconds() + ") must be more than minReadySeconds (" + r.minReadySeconds() + ")",
                    "a deadline longer than the time a pod must stay ready");
        }
    }

    private static boolean zero(Object countOrPercent) {
        return countOrPercent instanceof Number n ? n.longValue() == 0 : "0%".equals(countOrPercent);
    }
}
