package dev.castle.plan;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.castle.model.Infrastructure;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;
import dev.castle.model.Quantity;

/**
 * The ResourceQuota of the release namespace, derived from what the descriptor declares: every
 * pod at its replica count plus the rolling-update surge, batch pods at their parallelism,
 * embedded infrastructure, the test hook pods, then the headroom.
 */
final class NamespaceQuota {
    /** What a container without declared resources gets from the LimitRange (pods of upstream charts). */
    static final String DEFAULT_REQUEST_CPU = "100m";
    static final String DEFAULT_REQUEST_MEMORY = "128Mi";
    static final String DEFAULT_LIMIT_CPU = "500m";
    static final String DEFAULT_LIMIT_MEMORY = "256Mi";
    /** Resources of a test or wait container (see the templates). */
    static final String SMALL_REQUEST_CPU = "10m";
    static final String SMALL_REQUEST_MEMORY = "16Mi";
    static final String SMALL_LIMIT_CPU = "100m";
    static final String SMALL_LIMIT_MEMORY = "32Mi";

    private BigDecimal requestsCpu = BigDecimal.ZERO;
    private BigDecimal requestsMemory = BigDecimal.ZERO;
    private BigDecimal limitsCpu = BigDecimal.ZERO;
    private BigDecimal limitsMemory = BigDecimal.ZERO;
    private BigDecimal storage = BigDecimal.ZERO;
    /** Counts in long: replicas are int32, and their sum with the surge and the canary is not. */
    private long pods;
    private long claims;

    static Map<String, Object> hard(SystemModel system) {
        NamespaceQuota quota = new NamespaceQuota();
        for (Service s : system.services()) {
            long replicas = s.scheduling().replicas();
            long count = switch (s.workload()) {
                case Deployment -> replicas + (replicas + 3) / 4;
                case StatefulSet -> replicas;
                case Job, CronJob -> s.job().flatMap(Service.JobSettings::parallelism).orElse(1);
            };
            quota.add(count, s.container().resources().requests(), s.container().resources().limits());
            s.canary().ifPresent(canary -> quota.add(canary.castleManagesTracks() ? canary.replicas() : s.scheduling().replicas(),
                    s.container().resources().requests(), s.container().resources().limits()));
            if (s.hasService()) {
                int checks = (int) s.ports().stream().filter(p -> p.exposed() && p.protocol() == Service.Protocol.TCP).count();
                quota.addSmall(1, checks);
            }
            for (Service.Volume v : s.volumes()) {
                if (v.source() instanceof Service.Persistent p) {
                    long volumes = s.workload() == Service.WorkloadKind.StatefulSet ? replicas : 1;
                    quota.claims += volumes;
                    quota.storage = quota.storage.add(Quantity.parse(p.size()).multiply(BigDecimal.valueOf(volumes)));
                }
            }
        }
        for (Infrastructure infra : system.infrastructure()) {
            if (infra.mode() == Infrastructure.Mode.embedded) {
                quota.add(1, infra.resources().requests(), infra.resources().limits());
                quota.addSmall(1, 1);
                if (!infra.storage().ephemeral()) {
                    quota.claims++;
                    quota.storage = quota.storage.add(Quantity.parse(infra.storage().size()));
                }
            } else if (infra.mode() == Infrastructure.Mode.chart) {
                quota.add(2, Map.of("cpu", DEFAULT_REQUEST_CPU, "memory", DEFAULT_REQUEST_MEMORY),
                        Map.of("cpu", DEFAULT_LIMIT_CPU, "memory", DEFAULT_LIMIT_MEMORY));
                quota.claims += 2;
            }
        }
        BigDecimal headroom = BigDecimal.ONE.add(BigDecimal.valueOf(system.namespace().headroomPercent()).movePointLeft(2));
        Map<String, Object> hard = new LinkedHashMap<>();
        hard.put("requests.cpu", Quantity.cpu(roundCpu(quota.requestsCpu.multiply(headroom))));
        hard.put("requests.memory", Quantity.memory(roundMemory(quota.requestsMemory.multiply(headroom))));
        hard.put("limits.cpu", Quantity.cpu(roundCpu(quota.limitsCpu.multiply(headroom))));
        hard.put("limits.memory", Quantity.memory(roundMemory(quota.limitsMemory.multiply(headroom))));
        hard.put("pods", String.valueOf(ceil(BigDecimal.valueOf(quota.pods).multiply(headroom))));
        hard.put("persistentvolumeclaims", String.valueOf(ceil(BigDecimal.valueOf(quota.claims).multiply(headroom))));
        if (quota.storage.signum() > 0) {
            hard.put("requests.storage", Quantity.memory(roundMemory(quota.storage.multiply(headroom))));
        }
        hard.put("services.loadbalancers", String.valueOf(system.services().stream()
                .filter(s -> s.hasService() && s.network().service().type() == Service.ServiceType.LoadBalancer).count()));
        hard.put("services.nodeports", String.valueOf(system.services().stream()
                .filter(s -> s.hasService() && s.network().service().type() == Service.ServiceType.NodePort).mapToLong(s -> s.ports().stream()
                        .filter(Service.Port::exposed).count()).sum()));
        return hard;
    }

    private void add(long count, Map<String, String> requests, Map<String, String> limits) {
        BigDecimal n = BigDecimal.valueOf(count);
        requestsCpu = requestsCpu.add(Quantity.parse(requests.getOrDefault("cpu", DEFAULT_REQUEST_CPU)).multiply(n));
        requestsMemory = requestsMemory.add(Quantity.parse(requests.getOrDefault("memory", DEFAULT_REQUEST_MEMORY)).multiply(n));
        limitsCpu = limitsCpu.add(Quantity.parse(limits.getOrDefault("cpu", DEFAULT_LIMIT_CPU)).multiply(n));
        limitsMemory = limitsMemory.add(Quantity.parse(limits.getOrDefault("memory", DEFAULT_LIMIT_MEMORY)).multiply(n));
        pods += count;
    }

    /** A pod of small containers (a helm test hook with one container per check). */
    private void addSmall(long count, long containers) {
        BigDecimal n = BigDecimal.valueOf(count * containers);
        requestsCpu = requestsCpu.add(Quantity.parse(SMALL_REQUEST_CPU).multiply(n));
        requestsMemory = requestsMemory.add(Quantity.parse(SMALL_REQUEST_MEMORY).multiply(n));
        limitsCpu = limitsCpu.add(Quantity.parse(SMALL_LIMIT_CPU).multiply(n));
        limitsMemory = limitsMemory.add(Quantity.parse(SMALL_LIMIT_MEMORY).multiply(n));
        pods += count;
    }

    private static BigDecimal roundCpu(BigDecimal cores) {
        return cores.multiply(BigDecimal.TEN).setScale(0, RoundingMode.CEILING).divide(BigDecimal.TEN);
    }

    private static BigDecimal roundMemory(BigDecimal bytes) {
        BigDecimal mi = BigDecimal.valueOf(1L << 20);
        return bytes.divide(mi, 0, RoundingMode.CEILING).multiply(mi);
    }

    private static long ceil(BigDecimal value) {
        return value.setScale(0, RoundingMode.CEILING).longValueExact();
    }
}
