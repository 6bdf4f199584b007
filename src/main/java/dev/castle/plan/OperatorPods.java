package dev.castle.plan;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.castle.model.Infrastructure;
import dev.castle.model.Quantity;

/**
 * The pods, volume claims and storage an operator runs in the release namespace for a component,
 * as the namespace quota counts them: every container the operator creates has the requests and
 * limits castle writes into the custom resource (or the LimitRange's defaults, which castle's
 * helper sizes equal).
 * <ul>
 * <li>CloudNativePG: the instances, plus the one bootstrap or join Job pod that runs beside them
 * at a time (with the instances' resources); the PgBouncer pods; a claim per instance.</li>
 * <li>Strimzi: the nodes; the entity operator's pod (Topic and User Operators); a claim per node.</li>
 * <li>RabbitMQ: the nodes; a claim per node.</li>
 * <li>MongoDB: the members, each mongod plus the agent; a data and a logs claim per member.</li>
 * </ul>
 * A claim runs nothing in the namespace.
 */
final class OperatorPods {
    /** {@code count} pods of these requests and limits, and the volume claims they bring. */
    record Pods(int count, Map<String, String> requests, Map<String, String> limits, int claims, BigDecimal storage) {
    }

    private OperatorPods() {
    }

    static List<Pods> of(Infrastructure infra) {
        List<Pods> pods = new ArrayList<>();
        if (infra.mode() != Infrastructure.Mode.operator) {
            return pods;
        }
        int n = infra.operator().instances();
        Map<String, String> requests = infra.resources().requests();
        Map<String, String> limits = infra.resources().limits();
        BigDecimal size = Quantity.parse(infra.storage().size());
        Map<String, String> helperRequests = OperatorValues.HELPER_REQUESTS;
        Map<String, String> helperLimits = OperatorValues.HELPER_LIMITS;
        switch (infra.type()) {
            case postgresql -> {
                pods.add(new Pods(n, requests, limits, n, size.multiply(BigDecimal.valueOf(n))));
                pods.add(new Pods(1, requests, limits, 0, BigDecimal.ZERO));
                infra.operator().pooler().ifPresent(p -> pods.add(new Pods(p.instances(), helperRequests, helperLimits, 0, BigDecimal.ZERO)));
            }
            case kafka -> {
                pods.add(new Pods(n, requests, limits, n, size.multiply(BigDecimal.valueOf(n))));
                pods.add(new Pods(1, sum(helperRequests, helperRequests, true), sum(helperLimits, helperLimits, false), 0, BigDecimal.ZERO));
            }
            case rabbitmq -> pods.add(new Pods(n, requests, limits, n, size.multiply(BigDecimal.valueOf(n))));
            case mongodb -> pods.add(new Pods(n, sum(requests, helperRequests, true), sum(limits, helperLimits, false), 2 * n,
                    size.add(Quantity.parse(OperatorValues.MONGODB_LOGS_SIZE)).multiply(BigDecimal.valueOf(n))));
            default -> {
            }
        }
        return pods;
    }

    /** The requests (or limits) of two containers of one pod; what one leaves out, the LimitRange gives. */
    private static Map<String, String> sum(Map<String, String> a, Map<String, String> b, boolean requests) {
        String cpuDefault = requests ? NamespaceQuota.DEFAULT_REQUEST_CPU : NamespaceQuota.DEFAULT_LIMIT_CPU;
        String memoryDefault = requests ? NamespaceQuota.DEFAULT_REQUEST_MEMORY : NamespaceQuota.DEFAULT_LIMIT_MEMORY;
        Map<String, String> total = new LinkedHashMap<>();
        total.put("cpu", Quantity.cpu(Quantity.parse(a.getOrDefault("cpu", cpuDefault)).add(Quantity.parse(b.getOrDefault("cpu", cpuDefault)))));
        total.put("memory", Quantity.memory(Quantity.parse(a.getOrDefault("memory", memoryDefault))
                .add(Quantity.parse(b.getOrDefault("memory", memoryDefault)))));
        return total;
    }
}
