package dev.castle.rules;

import java.util.List;
import java.util.Set;

import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * Security contexts that contradict themselves, and relaxations beyond the Pod Security Standards
 * baseline level: castle's namespaces enforce restricted, or baseline when a service relaxes its
 * context, and the API server refuses pods that need more.
 */
final class SecurityRules {
    /** The capabilities the baseline level allows a container to add. */
    static final Set<String> BASELINE_CAPABILITIES = Set.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL",
            "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");

    static final List<Rule.OfService> SERVICE = List.of(SecurityRules::rootNeedsRunAsNonRootOff,
            SecurityRules::capabilitiesFitBaseline, SecurityRules::seccompFitsBaseline);

    private SecurityRules() {
    }

    static void rootNeedsRunAsNonRootOff(Service s, SystemModel system, Findings out) {
        Service.Security security = s.container().security();
        if (security.runAsUser() == 0 && security.runAsNonRoot()) {
            out.error(s.declared().at("securityContext/runAsUser"), "runAsUser 0 is root, but runAsNonRoot is true",
                    "a non-zero user id, or runAsNonRoot: false (a documented relaxation)");
        }
    }

    static void capabilitiesFitBaseline(Service s, SystemModel system, Findings out) {
        List<String> added = s.container().security().addCapabilities();
        for (int i = 0; i < added.size(); i++) {
            String capability = added.get(i).startsWith("CAP_") ? added.get(i).substring(4) : added.get(i);
            if (!BASELINE_CAPABILITIES.contains(capability)) {
                out.error(s.declared().at("securityContext/addCapabilities/" + i), "the capability " + added.get(i)
                                + " is forbidden by the Pod Security baseline level, the most castle's namespaces allow",
                        "one of " + String.join(", ", new java.util.TreeSet<>(BASELINE_CAPABILITIES)) + " (only NET_BIND_SERVICE keeps the"
                                + " restricted level)");
            }
        }
    }

    static void seccompFitsBaseline(Service s, SystemModel system, Findings out) {
        if (s.container().security().seccompProfile() == Service.SeccompProfile.Unconfined) {
            out.error(s.declared().at("securityContext/seccompProfile"), "seccompProfile Unconfined is forbidden by the Pod Security"
                    + " baseline level, the most castle's namespaces allow", "RuntimeDefault (the default)");
        }
    }
}
