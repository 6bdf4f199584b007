package dev.castle.rules;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.castle.load.Node;
import dev.castle.model.Declared;
import dev.castle.model.Infrastructure;
import dev.castle.model.Quantity;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * Resources of every container of the pod (the service's, its sidecars' and init containers'): no
 * limit below its request, whether the request was written or defaulted; every quantity one
 * Kubernetes holds exactly (it caps what exceeds 2^63-1, in millicores for cpu).
 */
final class ResourceRules {
    static final BigDecimal MAX_QUANTITY = BigDecimal.valueOf(Long.MAX_VALUE);
    static final BigDecimal MAX_CPU = MAX_QUANTITY.movePointLeft(3);

    static final List<Rule.OfService> SERVICE = List.of(ResourceRules::limitCoversRequest, ResourceRules::serviceQuantitiesFit);
    static final List<Rule.OfInfrastructure> INFRASTRUCTURE = List.of(ResourceRules::componentLimitCoversRequest,
            ResourceRules::componentQuantitiesFit);

    private ResourceRules() {
    }

    static void limitCoversRequest(Service s, SystemModel system, Findings out) {
        PodContainer.of(s).forEach(c -> limitCoversRequest(s.declared(), c.prefix(), c.resources(), out));
    }

    /** An embedded component's server, an operator's instances: their pods are refused like a service's. */
    static void componentLimitCoversRequest(Infrastructure c, SystemModel system, Findings out) {
        if (c.mode() == Infrastructure.Mode.embedded || c.mode() == Infrastructure.Mode.operator) {
            limitCoversRequest(c.declared(), "", c.resources(), out);
        }
    }

    /** One container's resources, written under {@code prefix} (empty for the service's own container). */
    private static void limitCoversRequest(Declared declared, String prefix, Service.Resources resources, Findings out) {
        for (String name : List.of("cpu", "memory", "ephemeral-storage")) {
            BigDecimal request = amount(resources.requests().get(name));
            BigDecimal limit = amount(resources.limits().get(name));
            if (request != null && limit != null && limit.compareTo(request) < 0) {
                String requests = prefix + "resources/requests/" + name;
                String limits = prefix + "resources/limits/" + name;
                out.error(declared.at(declared.has(limits) ? limits : requests), "the " + name + " limit is below the "
                                + (declared.has(requests) ? "request" : "default request"),
                        "a limit at least " + resources.requests().get(name));
            }
        }
    }

    static void serviceQuantitiesFit(Service s, SystemModel system, Findings out) {
        Map<String, String> quantities = resources(s.container().resources());
        for (Service.Volume volume : s.volumes()) {
            String at = "volumes/" + Node.escapePointerToken(volume.name());
            if (volume.source() instanceof Service.Persistent p) {
                quantities.put(at + "/persistent/size", p.size());
            } else if (volume.source() instanceof Service.EmptyDir e) {
                e.sizeLimit().ifPresent(limit -> quantities.put(at + "/emptyDir/sizeLimit", limit));
            }
        }
        fit(s.declared(), quantities, "resources/requests/", out);
    }

    static void componentQuantitiesFit(Infrastructure c, SystemModel system, Findings out) {
        Map<String, String> quantities = resources(c.resources());
        quantities.put("storage/size", c.storage().size());
        fit(c.declared(), quantities, "resources/requests/", out);
    }

    /** The quantities of requests and limits by relative pointer. */
    private static Map<String, String> resources(Service.Resources resources) {
        Map<String, String> quantities = new LinkedHashMap<>();
        resources.requests().forEach((name, q) -> quantities.put("resources/requests/" + name, q));
        resources.limits().forEach((name, q) -> quantities.put("resources/limits/" + name, q));
        return quantities;
    }

    /** Reports each quantity above what Kubernetes holds, at what the user wrote (a defaulted limit at its request). */
    private static void fit(Declared declared, Map<String, String> quantities, String requests, Findings out) {
        quantities.forEach((at, quantity) -> {
            BigDecimal amount = amount(quantity);
            boolean cpu = at.endsWith("/cpu");
            if (amount == null || amount.compareTo(cpu ? MAX_CPU : MAX_QUANTITY) <= 0) {
                return;
            }
            String written = declared.has(at) ? at : requests + at.substring(at.lastIndexOf('/') + 1);
            BigDecimal request = amount(quantities.get(written));
            if (!written.equals(at) && request != null && request.compareTo(cpu ? MAX_CPU : MAX_QUANTITY) > 0) {
                return;
            }
            String shown = declared.text(at).orElse(quantity);
            out.error(declared.at(declared.has(written) ? written : at), "the quantity " + (shown.length() > 24 ? shown.substring(0, 21) + "..." : shown)
                            + (declared.has(at) ? "" : " (the default " + at.replace('/', '.') + ")") + " is larger than Kubernetes can hold",
                    cpu ? "at most 9223372036854775 cpus (2^63-1 millicores)" : "at most 2^63-1 (8Ei)");
        });
    }

    private static BigDecimal amount(String quantity) {
        return quantity != null && Quantity.isValid(quantity) ? Quantity.parse(quantity) : null;
    }
}
