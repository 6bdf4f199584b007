package dev.castle.rules;

import java.util.List;

import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/** A disruption budget says exactly one of minAvailable and maxUnavailable. */
final class DisruptionBudgetRules {
    static final List<Rule.OfService> SERVICE = List.of(DisruptionBudgetRules::exactlyOneBound);

    private DisruptionBudgetRules() {
    }

    static void exactlyOneBound(Service s, SystemModel system, Findings out) {
        if (!s.declared().has("disruptionBudget") || s.declared().text("disruptionBudget").isPresent()) {
            return;
        }
        boolean min = s.declared().has("disruptionBudget/minAvailable");
        boolean max = s.declared().has("disruptionBudget/maxUnavailable");
        if (min && max) {
            out.error(s.declared().at("disruptionBudget"), "both minAvailable and maxUnavailable are set", "exactly one of them");
        }
        if (!min && !max) {
            out.error(s.declared().at("disruptionBudget"), "a disruptionBudget needs minAvailable or maxUnavailable",
                    "one of them, or false for none");
        }
    }
}
