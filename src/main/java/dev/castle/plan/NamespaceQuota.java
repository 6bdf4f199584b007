package dev.castle.plan;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

import dev.castle.model.Canary;
import dev.castle.model.Infrastructure;
import dev.castle.model.Operations;
import dev.castle.model.Quantity;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * The ResourceQuota of the release namespace, derived from what the descriptor declares, every
 * workload at the most pods it can run at once:
 * <ul>
 * <li>a Deployment at its replicas or its autoscaler's maximum (HPA or KEDA), plus the rolling
 * update's surge (its maxSurge: 25% by default, rounded up; none with recreate); a StatefulSet at the same count, without surge;</li>
 * <li>a canary: castle's own canary Deployment at its replicas plus surge; with Argo Rollouts or
 * Flagger a second full set of pods (the canary grows to the stable count before promotion);</li>
 * <li>a Job at its parallelism; a CronJob too, twice when runs may overlap (Allow, or Replace while
 * the old run terminates);</li>
 * <li>lifecycle hooks, the embedded components' credentials Jobs (pre-install, pre-upgrade) included: the phase whose hook pods weigh most (Helm runs a phase's hooks one after
 * the other; Argo CD may run those of a wave together, so a phase counts all of its hooks);</li>
 * <li>embedded infrastructure, one pod each; the pods operators run ({@link OperatorPods}); the
 * {@code helm test} pods;</li>
 * </ul>
 * then the headroom on top. Counts are long and sums are exact decimals: no overflow.
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

    /** Pods and what they request and limit. */
    private static final class Budget {
        private BigDecimal requestsCpu = BigDecimal.ZERO;
        private BigDecimal requestsMemory = BigDecimal.ZERO;
        private BigDecimal limitsCpu = BigDecimal.ZERO;
        private BigDecimal limitsMemory = BigDecimal.ZERO;
        private long pods;

        void add(long count, Map<String, String> requests, Map<String, String> limits) {
            BigDecimal n = BigDecimal.valueOf(count);
            requestsCpu = requestsCpu.add(Quantity.parse(requests.getOrDefault("cpu", DEFAULT_REQUEST_CPU)).multiply(n));
            requestsMemory = requestsMemory.add(Quantity.parse(requests.getOrDefault("memory", DEFAULT_REQUEST_MEMORY)).multiply(n));
            limitsCpu = limitsCpu.add(Quantity.parse(limits.getOrDefault("cpu", DEFAULT_LIMIT_CPU)).multiply(n));
            limitsMemory = limitsMemory.add(Quantity.parse(limits.getOrDefault("memory", DEFAULT_LIMIT_MEMORY)).multiply(n));
            pods = Math.addExact(pods, count);
        }

        /** A pod of small containers (a helm test hook with one container per check). */
        void addSmall(long count, int containers) {
            BigDecimal n = BigDecimal.valueOf(count).multiply(BigDecimal.valueOf(containers));
            requestsCpu = requestsCpu.add(Quantity.parse(SMALL_REQUEST_CPU).multiply(n));
            requestsMemory = requestsMemory.add(Quantity.parse(SMALL_REQUEST_MEMORY).multiply(n));
            limitsCpu = limitsCpu.add(Quantity.parse(SMALL_LIMIT_CPU).multiply(n));
            limitsMemory = limitsMemory.add(Quantity.parse(SMALL_LIMIT_MEMORY).multiply(n));
            pods = Math.addExact(pods, count);
        }

        /** Adds, for each dimension, the largest of the budgets. */
        void addLargest(Iterable<Budget> budgets) {
            Budget largest = new Budget();
            for (Budget b : budgets) {
                largest.requestsCpu = largest.requestsCpu.max(b.requestsCpu);
                largest.requestsMemory = largest.requestsMemory.max(b.requestsMemory);
                largest.limitsCpu = largest.limitsCpu.max(b.limitsCpu);
                largest.limitsMemory = largest.limitsMemory.max(b.limitsMemory);
                largest.pods = Math.max(largest.pods, b.pods);
            }
            requestsCpu = requestsCpu.add(largest.requestsCpu);
            requestsMemory = requestsMemory.add(largest.requestsMemory);
            limitsCpu = limitsCpu.add(largest.limitsCpu);
            limitsMemory = limitsMemory.add(largest.limitsMemory);
            pods = Math.addExact(pods, largest.pods);
        }
    }

    private NamespaceQuota() {
    }

    /**
     * What one pod of a service requests and limits, as Kubernetes counts it: its container and its
     * native sidecars together, or an init container with the sidecars started before it (all of
     * them: castle starts the sidecars first), whichever is more.
     */
    static Service.Resources podResources(Service s) {
        Service.Companions companions = s.companions();
        if (companions.sidecars().isEmpty() && companions.initContainers().isEmpty()) {
            return s.container().resources();
        }
        return pod((resource, isLimit) -> {
            java.util.function.Function<Service.Resources, BigDecimal> of = r -> amount(r, resource, isLimit);
            BigDecimal sidecars = companions.sidecars().stream().map(c -> of.apply(c.resources())).reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal running = of.apply(s.container().resources()).add(sidecars);
            BigDecimal init = companions.initContainers().stream().map(c -> of.apply(c.resources()).add(sidecars))
                    .reduce(BigDecimal.ZERO, BigDecimal::max);
            return running.max(init);
        });
    }

    /** Two containers of one pod together (the server and its exporter). */
    static Service.Resources sum(Service.Resources a, Service.Resources b) {
        return pod((resource, isLimit) -> amount(a, resource, isLimit).add(amount(b, resource, isLimit)));
    }

    /** A pod's cpu and memory requests and limits, each computed by {@code amount} (resource, whether a limit). */
    private static Service.Resources pod(java.util.function.BiFunction<String, Boolean, BigDecimal> amount) {
        Map<String, String> requests = new TreeMap<>();
        Map<String, String> limits = new TreeMap<>();
        for (String resource : java.util.List.of("cpu", "memory")) {
            for (boolean isLimit : java.util.List.of(false, true)) {
                BigDecimal total = amount.apply(resource, isLimit);
                (isLimit ? limits : requests).put(resource, resource.equals("cpu") ? Quantity.cpu(total) : Quantity.memory(total));
            }
        }
        return new Service.Resources(requests, limits);
    }

    /** A container's request or limit of cpu or memory, the namespace's default when it says none. */
    private static BigDecimal amount(Service.Resources r, String resource, boolean limit) {
        boolean cpu = resource.equals("cpu");
        return Quantity.parse((limit ? r.limits() : r.requests()).getOrDefault(resource,
                cpu ? (limit ? DEFAULT_LIMIT_CPU : DEFAULT_REQUEST_CPU) : (limit ? DEFAULT_LIMIT_MEMORY : DEFAULT_REQUEST_MEMORY)));
    }

    /** The quota of the whole system. */
    static Map<String, Object> hard(SystemModel system) {
        return hard(system, name -> true);
    }

    /** The quota of the services and components that run (an environment switches some off). */
    static Map<String, Object> hard(SystemModel system, Predicate<String> runs) {
        Budget budget = new Budget();
        Map<Operations.HookPhase, Budget> hooks = new TreeMap<>();
        BigDecimal storage = BigDecimal.ZERO;
        long claims = 0;
        for (Service s : system.services()) {
            if (!runs.test(s.name())) {
                continue;
            }
            Service.Resources pod = podResources(s);
            Map<String, String> requests = pod.requests();
            Map<String, String> limits = pod.limits();
            long most = s.workload().isBatch() ? 0 : s.maxReplicas();
            budget.add(mostPods(s, most), requests, limits);
            for (Operations.Hook hook : s.operations().hooks()) {
                for (Operations.HookPhase phase : hook.when()) {
                    hooks.computeIfAbsent(phase, p -> new Budget()).add(1, requests, limits);
                }
            }
            if (s.hasService()) {
                int checks = (int) s.ports().stream().filter(p -> p.exposed() && p.protocol() == Service.Protocol.TCP).count();
                if (checks > 0) {
                    budget.addSmall(1, checks);
                }
            }
            for (Service.Volume v : s.volumes()) {
                if (v.source() instanceof Service.Persistent p) {
                    long volumes = s.workload() == Service.WorkloadKind.StatefulSet ? most : 1;
                    claims = Math.addExact(claims, volumes);
                    storage = storage.add(Quantity.parse(p.size()).multiply(BigDecimal.valueOf(volumes)));
                }
            }
        }
        for (Infrastructure infra : system.infrastructure()) {
            if (!runs.test(infra.name())) {
                continue;
            }
            if (infra.mode() == Infrastructure.Mode.embedded) {
                Service.Resources pod = infra.server().exporter().isPresent()
                        ? sum(infra.resources(), InfrastructureValues.EXPORTER_RESOURCES) : infra.resources();
                budget.add(1, pod.requests(), pod.limits());
                budget.addSmall(1, 1);
                if (infra.generatesCredentials() && system.secrets().generator() == dev.castle.model.Secrets.Generator.job) {
                    // the hook Job that makes the credentials Secret once, before install and upgrade
                    for (Operations.HookPhase phase : java.util.List.of(Operations.HookPhase.PRE_INSTALL, Operations.HookPhase.PRE_UPGRADE)) {
                        hooks.computeIfAbsent(phase, p -> new Budget()).addSmall(1, 1);
                    }
                }
                if (!infra.storage().ephemeral()) {
                    claims++;
                    storage = storage.add(Quantity.parse(infra.storage().size()));
                }
            } else if (infra.mode() == Infrastructure.Mode.operator) {
                for (OperatorPods.Pods pods : OperatorPods.of(infra)) {
                    budget.add(pods.count(), pods.requests(), pods.limits());
                    claims = Math.addExact(claims, pods.claims());
                    storage = storage.add(pods.storage());
                }
            } else if (infra.mode() == Infrastructure.Mode.chart) {
                budget.add(2, Map.of("cpu", DEFAULT_REQUEST_CPU, "memory", DEFAULT_REQUEST_MEMORY),
                        Map.of("cpu", DEFAULT_LIMIT_CPU, "memory", DEFAULT_LIMIT_MEMORY));
                claims += 2;
            }
        }
        budget.addLargest(hooks.values());
        BigDecimal headroom = BigDecimal.ONE.add(BigDecimal.valueOf(system.namespace().headroomPercent()).movePointLeft(2));
        Map<String, Object> hard = new LinkedHashMap<>();
        hard.put("requests.cpu", Quantity.cpu(roundCpu(budget.requestsCpu.multiply(headroom))));
        hard.put("requests.memory", Quantity.memory(roundMemory(budget.requestsMemory.multiply(headroom))));
        hard.put("limits.cpu", Quantity.cpu(roundCpu(budget.limitsCpu.multiply(headroom))));
        hard.put("limits.memory", Quantity.memory(roundMemory(budget.limitsMemory.multiply(headroom))));
        hard.put("pods", ceil(BigDecimal.valueOf(budget.pods).multiply(headroom)));
        hard.put("persistentvolumeclaims", ceil(BigDecimal.valueOf(claims).multiply(headroom)));
        if (storage.signum() > 0) {
            hard.put("requests.storage", Quantity.memory(roundMemory(storage.multiply(headroom))));
        }
        // a LoadBalancer Service allocates a node port per port too, and the quota counts them (allocateLoadBalancerNodePorts defaults to true)
        long loadBalancers = 0;
        long nodePorts = 0;
        for (Service s : system.services()) {
            if (!runs.test(s.name())) {
                continue;
            }
            Service.ServiceType type = s.network().service().type();
            if (s.hasService() && type != Service.ServiceType.ClusterIP) {
                loadBalancers += type == Service.ServiceType.LoadBalancer ? 1 : 0;
                nodePorts += s.ports().stream().filter(Service.Port::exposed).count();
            }
            for (dev.castle.model.ExtraService extra : s.network().extraServices()) {
                if (extra.reachableFromOutside()) {
                    loadBalancers += extra.type() == Service.ServiceType.LoadBalancer ? 1 : 0;
                    nodePorts += extra.ports().size();
                }
            }
        }
        hard.put("services.loadbalancers", String.valueOf(loadBalancers));
        hard.put("services.nodeports", String.valueOf(nodePorts));
        return hard;
    }

    /** The most pods of the service's own workloads at once (see the class comment). */
    static long mostPods(Service s, long most) {
        if (s.versions().isPresent()) {
            // an autoscaled service runs up to its maximum in each version
            boolean autoscaled = s.operations().autoscaling().isPresent();
            return s.versions().get().versions().stream().mapToLong(v -> autoscaled ? most + surge(s, most) : v.replicas() + surge(s, v.replicas())).sum();
        }
        long pods = switch (s.workload()) {
            case Deployment -> most + surge(s, most);
            case StatefulSet -> most;
            case Job -> s.job().flatMap(Service.JobSettings::parallelism).orElse(1);
            case CronJob -> (long) s.job().flatMap(Service.JobSettings::parallelism).orElse(1)
                    * (s.job().map(Service.JobSettings::concurrencyPolicy).orElse(Service.ConcurrencyPolicy.Forbid)
                    == Service.ConcurrencyPolicy.Forbid ? 1 : 2);
        };
        if (s.canary().isPresent()) {
            Canary canary = s.canary().get();
            pods += canary.castleManagesTracks() ? canary.replicas() + surge(s, canary.replicas()) : most;
        }
        return pods;
    }

    private static long surge(Service s, long pods) {
        return s.scheduling().rollout().surge(pods);
    }

    private static BigDecimal roundCpu(BigDecimal cores) {
        return cores.multiply(BigDecimal.TEN).setScale(0, RoundingMode.CEILING).divide(BigDecimal.TEN);
    }

    private static BigDecimal roundMemory(BigDecimal bytes) {
        BigDecimal mi = BigDecimal.valueOf(1L << 20);
        return bytes.divide(mi, 0, RoundingMode.CEILING).multiply(mi);
    }

    private static String ceil(BigDecimal value) {
        return value.setScale(0, RoundingMode.CEILING).toPlainString();
    }
}
