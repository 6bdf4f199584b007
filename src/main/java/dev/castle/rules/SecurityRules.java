package dev.castle.rules;

import java.util.List;

import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/** Security contexts that contradict themselves. */
final class SecurityRules {
    static final List<Rule.OfService> SERVICE = List.of(SecurityRules::rootNeedsRunAsNonRootOff);

    private SecurityRules() {
    }

    static void rootNeedsRunAsNonRootOff(Service s, SystemModel system, Findings out) {
        Service.Security security = s.container().security();
        if (security.runAsUser() == 0 && security.runAsNonRoot()) {
            out.error(s.declared().at("securityContext/runAsUser"), "runAsUser 0 is root, but runAsNonRoot is true",
                    "a non-zero user id, or runAsNonRoot: false (a documented relaxation)");
        }
    }
}
