package dev.castle.rules;

import java.util.List;
import java.util.Set;

import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * Security contexts that contradict themselves, and relaxations beyond the Pod Security Standards
 * baseline level: castle's namespaces enforce restricted, or baseline when a service relaxes its
 * context, and the API server refuses pods that need more. Every container of the pod is checked:
 * the service's own, and each sidecar and init container for what its own securityContext says
 * (what it inherits from the service's is reported there, once).
 */
final class SecurityRules {
    /** The capabilities the baseline level allows a container to add. */
    static final Set<String> BASELINE_CAPABILITIES = Set.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL",
            "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");

    static final List<Rule.OfService> SERVICE = List.of(SecurityRules::rootNeedsRunAsNonRootOff,
            SecurityRules::capabilitiesFitBaseline, SecurityRules::seccompFitsBaseline, SecurityRules::fsGroupIsThePods);

    private SecurityRules() {
    }

    /** Whether the container states the field itself (the service's own container always does). */
    private static boolean own(Service s, PodContainer container, String field) {
        return !container.companion() || s.declared().has(container.prefix() + "securityContext/" + field);
    }

    static void rootNeedsRunAsNonRootOff(Service s, SystemModel system, Findings out) {
        for (PodContainer c : PodContainer.of(s)) {
            Service.Security security = c.security();
            if (security.runAsUser() == 0 && security.runAsNonRoot() && (own(s, c, "runAsUser") || own(s, c, "runAsNonRoot"))) {
                out.error(s.declared().at(c.prefix() + "securityContext/" + (own(s, c, "runAsUser") ? "runAsUser" : "runAsNonRoot")),
                        "runAsUser 0 is root, but runAsNonRoot is true", "a non-zero user id, or runAsNonRoot: false (a documented relaxation)");
            }
        }
    }

    static void capabilitiesFitBaseline(Service s, SystemModel system, Findings out) {
        for (PodContainer c : PodContainer.of(s)) {
            if (!own(s, c, "addCapabilities")) {
                continue;
            }
            List<String> added = c.security().addCapabilities();
            for (int i = 0; i < added.size(); i++) {
                String capability = added.get(i).startsWith("CAP_") ? added.get(i).substring(4) : added.get(i);
                if (!BASELINE_CAPABILITIES.contains(capability)) {
                    out.error(s.declared().at(c.prefix() + "securityContext/addCapabilities/" + i), "the capability " + added.get(i)
                                    + " is forbidden by the Pod Security baseline level, the most castle's namespaces allow",
                            "one of " + String.join(", ", new java.util.TreeSet<>(BASELINE_CAPABILITIES)) + " (only NET_BIND_SERVICE keeps the"
                                    + " restricted level)");
                }
            }
        }
    }

    static void seccompFitsBaseline(Service s, SystemModel system, Findings out) {
        for (PodContainer c : PodContainer.of(s)) {
            if (c.security().seccompProfile() == Service.SeccompProfile.Unconfined && own(s, c, "seccompProfile")) {
                out.error(s.declared().at(c.prefix() + "securityContext/seccompProfile"), "seccompProfile Unconfined is forbidden by the Pod"
                        + " Security baseline level, the most castle's namespaces allow", "RuntimeDefault (the default)");
            }
        }
    }

    /** fsGroup belongs to the pod, not to a container: a sidecar's or init container's would be ignored. */
    static void fsGroupIsThePods(Service s, SystemModel system, Findings out) {
        PodContainer.of(s).stream().filter(c -> c.companion() && own(s, c, "fsGroup")).forEach(c ->
                out.error(s.declared().at(c.prefix() + "securityContext/fsGroup"), "fsGroup is a setting of the whole pod, which a "
                        + c.kind() + " cannot change", "the service's securityContext.fsGroup, the group of its volumes for every container"));
    }
}
