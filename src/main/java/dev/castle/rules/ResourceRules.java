package dev.castle.rules;

import java.math.BigDecimal;
import java.util.List;

import dev.castle.load.Node;
import dev.castle.model.Quantity;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/** Resources of every container of the pod (the service's, its sidecars' and init containers'): no limit below its request, whether the request was written or defaulted. */
final class ResourceRules {
    static final List<Rule.OfService> SERVICE = List.of(ResourceRules::limitCoversRequest);

    private ResourceRules() {
    }

    static void limitCoversRequest(Service s, SystemModel system, Findings out) {
        limitCoversRequest(s, "", s.container().resources(), out);
        s.companions().sidecars().forEach(c -> limitCoversRequest(s, "sidecars/" + Node.escapePointerToken(c.name()) + "/", c.resources(), out));
        s.companions().initContainers().forEach(c -> limitCoversRequest(s, "initContainers/" + Node.escapePointerToken(c.name()) + "/",
                c.resources(), out));
    }

    /** One container's resources, written under {@code prefix} (empty for the service's own container). */
    private static void limitCoversRequest(Service s, String prefix, Service.Resources resources, Findings out) {
        for (String name : List.of("cpu", "memory", "ephemeral-storage")) {
            BigDecimal request = amount(resources.requests().get(name));
            BigDecimal limit = amount(resources.limits().get(name));
            if (request != null && limit != null && limit.compareTo(request) < 0) {
                String requests = prefix + "resources/requests/" + name;
                String limits = prefix + "resources/limits/" + name;
                out.error(s.declared().at(s.declared().has(limits) ? limits : requests), "the " + name + " limit is below the "
                                + (s.declared().has(requests) ? "request" : "default request"),
                        "a limit at least " + resources.requests().get(name));
            }
        }
    }

    private static BigDecimal amount(String quantity) {
        return quantity != null && Quantity.isValid(quantity) ? Quantity.parse(quantity) : null;
    }
}
