package dev.castle.charts;

import static dev.castle.charts.PodChecks.get;
import static dev.castle.charts.PodChecks.list;
import static dev.castle.charts.PodChecks.map;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import dev.castle.model.Quantity;

/**
 * Whether the rendered ResourceQuota admits every rendered workload at the most pods it can run at
 * once, counted from the rendered objects alone: replicas or the maximum of the HPA or ScaledObject
 * that scales it, plus the Deployment strategy's maxSurge; a Rollout or a Flagger Canary's target
 * twice; a Job at its parallelism, a CronJob twice unless it forbids overlapping runs; the heaviest
 * phase of hook Jobs; every test pod. A pod weighs the larger of its containers' sum and its
 * largest init container.
 */
final class QuotaCheck {
    private static final List<String> DIMENSIONS = List.of("requests.cpu", "requests.memory", "limits.cpu", "limits.memory");
    private static final List<String> CHECKED = List.of("requests.cpu", "requests.memory", "limits.cpu", "limits.memory", "pods");

    private QuotaCheck() {
    }

    /** The problems found: each dimension the workloads need more of than the quota allows. */
    static List<String> check(List<Map<String, Object>> docs) {
        List<Map<String, Object>> quotas = docs.stream().filter(d -> "ResourceQuota".equals(d.get("kind"))).toList();
        if (quotas.isEmpty()) {
            return List.of();
        }
        Map<String, Object> hard = map(get(quotas.get(0), "spec", "hard"));
        PodChecks pods = new PodChecks(docs);
        Map<String, BigDecimal> need = new TreeMap<>();
        Map<String, Map<String, BigDecimal>> hookPhases = new TreeMap<>();
        for (Map<String, Object> doc : docs) {
            String kind = String.valueOf(doc.get("kind"));
            Object hook = get(doc, "metadata", "annotations", "helm.sh/hook");
            long count;
            Map<String, Object> podSpec;
            switch (kind) {
                case "Deployment", "Rollout" -> {
                    long most = pods.mostPods(doc);
                    count = most + surge(get(doc, "spec", "strategy", "rollingUpdate", "maxSurge"), most);
                    if (kind.equals("Rollout") || isFlaggerTarget(docs, doc)) {
                        count += most;
                    }
                    podSpec = map(get(doc, "spec", "template", "spec"));
                }
                case "StatefulSet" -> {
                    count = pods.mostPods(doc);
                    podSpec = map(get(doc, "spec", "template", "spec"));
                }
                case "Job" -> {
                    count = ((Number) Objects.requireNonNullElse(get(doc, "spec", "parallelism"), 1)).longValue();
                    podSpec = map(get(doc, "spec", "template", "spec"));
                }
                case "CronJob" -> {
                    long parallelism = ((Number) Objects.requireNonNullElse(get(doc, "spec", "jobTemplate", "spec", "parallelism"), 1)).longValue();
                    count = parallelism * ("Forbid".equals(get(doc, "spec", "concurrencyPolicy")) ? 1 : 2);
                    podSpec = map(get(doc, "spec", "jobTemplate", "spec", "template", "spec"));
                }
                case "Pod" -> {
                    count = 1;
                    podSpec = map(doc.get("spec"));
                }
                default -> {
                    continue;
                }
            }
            Map<String, BigDecimal> weight = podWeight(podSpec, count);
            if (hook != null && !"test".equals(hook)) {
                for (String phase : String.valueOf(hook).split(",")) {
                    weight.forEach((k, v) -> hookPhases.computeIfAbsent(phase.trim(), p -> new TreeMap<>()).merge(k, v, BigDecimal::add));
                }
            } else {
                weight.forEach((k, v) -> need.merge(k, v, BigDecimal::add));
            }
        }
        for (Map<String, BigDecimal> phase : hookPhases.values()) {
            phase.forEach((k, v) -> need.merge(k + ".hooks", v, BigDecimal::max));
        }
        List<String> problems = new ArrayList<>();
        for (String dimension : CHECKED) {
            BigDecimal needed = need.getOrDefault(dimension, BigDecimal.ZERO).add(need.getOrDefault(dimension + ".hooks", BigDecimal.ZERO));
            BigDecimal allowed = Quantity.parse(String.valueOf(hard.get(dimension)));
            if (needed.compareTo(allowed) > 0) {
                problems.add("ResourceQuota " + dimension + " " + hard.get(dimension) + " is below the " + needed.stripTrailingZeros().toPlainString()
                        + " the workloads need at their most pods");
            }
        }
        return problems;
    }

    private static boolean isFlaggerTarget(List<Map<String, Object>> docs, Map<String, Object> workload) {
        return docs.stream().filter(d -> "Canary".equals(d.get("kind"))).map(d -> map(get(d, "spec", "targetRef")))
                .anyMatch(ref -> Objects.equals(ref.get("kind"), workload.get("kind")) && Objects.equals(ref.get("name"), get(workload, "metadata", "name")));
    }

    private static long surge(Object maxSurge, long pods) {
        if (maxSurge == null) {
            return (pods * 25 + 99) / 100;
        }
        if (maxSurge instanceof Number n) {
            return n.longValue();
        }
        String text = String.valueOf(maxSurge);
        return BigDecimal.valueOf(pods).multiply(new BigDecimal(text.replace("%", ""))).divide(BigDecimal.valueOf(100), 0, RoundingMode.CEILING).longValue();
    }

    /** Requests and limits of {@code count} pods of the spec, and the pods themselves. */
    private static Map<String, BigDecimal> podWeight(Map<String, Object> spec, long count) {
        Map<String, BigDecimal> weight = new TreeMap<>();
        for (String dimension : DIMENSIONS) {
            String[] parts = dimension.split("\\.");
            BigDecimal sum = BigDecimal.ZERO;
            for (Object c : list(spec.get("containers"))) {
                sum = sum.add(quantity(get(c, "resources", parts[0], parts[1])));
            }
            BigDecimal init = BigDecimal.ZERO;
            for (Object c : list(spec.get("initContainers"))) {
                init = init.max(quantity(get(c, "resources", parts[0], parts[1])));
            }
            weight.put(dimension, sum.max(init).multiply(BigDecimal.valueOf(count)));
        }
        weight.put("pods", BigDecimal.valueOf(count));
        return weight;
    }

    private static BigDecimal quantity(Object value) {
        return value == null ? BigDecimal.ZERO : Quantity.parse(String.valueOf(value));
    }
}
