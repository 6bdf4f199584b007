package dev.castle.rules;

import java.math.BigDecimal;
import java.util.List;

import dev.castle.model.Quantity;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/** Resources: no limit below its request, whether the request was written or defaulted. */
final class ResourceRules {
    static final List<Rule.OfService> SERVICE = List.of(ResourceRules::limitCoversRequest);

    private ResourceRules() {
    }

    static void limitCoversRequest(Service s, SystemModel system, Findings out) {
        Service.Resources resources = s.container().resources();
        for (String name : List.of("cpu", "memory", "ephemeral-storage")) {
            BigDecimal request = amount(resources.requests().get(name));
            BigDecimal limit = amount(resources.limits().get(name));
            if (request != null && limit != null && limit.compareTo(request) < 0) {
                String written = s.declared().has("resources/limits/" + name) ? "resources/limits/" + name : "resources/requests/" + name;
                out.error(s.declared().at(written), "the " + name + " limit is below the "
                                + (s.declared().has("resources/requests/" + name) ? "request" : "default request"),
                        "a limit at least " + resources.requests().get(name));
            }
        }
    }

    private static BigDecimal amount(String quantity) {
        return quantity != null && Quantity.isValid(quantity) ? Quantity.parse(quantity) : null;
    }
}
