package dev.castle.rules;

import java.util.List;

import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/** Fields that belong to one kind of workload: schedules to CronJobs, job settings to batch, replicas and Services to the others. */
final class BatchRules {
    static final List<String> CRON_ONLY_JOB_SETTINGS = List.of("concurrencyPolicy", "startingDeadlineSeconds",
            "successfulJobsHistoryLimit", "failedJobsHistoryLimit", "suspend");

    static final List<Rule.OfService> SERVICE = List.of(BatchRules::cronJobHasSchedule, BatchRules::scheduleOnlyOnCronJob,
            BatchRules::jobSettingsOnlyOnBatch, BatchRules::batchHasNoReplicas, BatchRules::batchHasNoService,
            BatchRules::cronSettingsOnlyOnCronJob, BatchRules::batchHasNoDisruptionBudget);

    private BatchRules() {
    }

    static void cronJobHasSchedule(Service s, SystemModel system, Findings out) {
        if (s.workload() == Service.WorkloadKind.CronJob && !s.declared().has("schedule")) {
            out.error(s.declared().at(s.declared().has("workload") ? "workload" : ""), "a CronJob needs a schedule",
                    "schedule: \"*/15 * * * *\" (cron syntax)");
        }
    }

    static void scheduleOnlyOnCronJob(Service s, SystemModel system, Findings out) {
        if (s.workload() == Service.WorkloadKind.CronJob) {
            return;
        }
        for (String key : List.of("schedule", "timeZone")) {
            if (s.declared().has(key)) {
                out.error(s.declared().at(key), key + " is only for a CronJob", "workload: CronJob, or remove " + key);
            }
        }
    }

    static void jobSettingsOnlyOnBatch(Service s, SystemModel system, Findings out) {
        if (!s.workload().isBatch() && s.declared().has("job")) {
            out.error(s.declared().at("job"), "job settings are only for a Job or CronJob", "workload: Job or CronJob");
        }
    }

    static void batchHasNoReplicas(Service s, SystemModel system, Findings out) {
        if (s.workload().isBatch() && s.declared().has("replicas")) {
            out.error(s.declared().at("replicas"), "replicas is not for a " + s.workload(), "use job.parallelism and job.completions");
        }
    }

    static void batchHasNoService(Service s, SystemModel system, Findings out) {
        if (s.workload().isBatch() && s.declared().text("service/type").filter(t -> !t.equals("None")).isPresent()) {
            out.error(s.declared().at("service"), "a " + s.workload() + " gets no Service", "service.type None");
        }
    }

    static void cronSettingsOnlyOnCronJob(Service s, SystemModel system, Findings out) {
        if (s.workload() == Service.WorkloadKind.CronJob) {
            return;
        }
        for (String key : CRON_ONLY_JOB_SETTINGS) {
            if (s.declared().has("job/" + key) && s.workload().isBatch()) {
                out.error(s.declared().at("job/" + key), "job." + key + " is only for a CronJob", "workload: CronJob");
            }
        }
    }

    static void batchHasNoDisruptionBudget(Service s, SystemModel system, Findings out) {
        if (s.workload().isBatch() && s.declared().has("disruptionBudget")) {
            out.error(s.declared().at("disruptionBudget"), "a " + s.workload() + " has no disruption budget",
                    "disruptionBudget only for Deployment and StatefulSet");
        }
    }
}
