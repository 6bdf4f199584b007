package dev.castle.rules;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.castle.load.Node;
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

    /** Each container's security context by the pointer prefix of its fields: the service's own first. */
    private static Map<String, Service.Security> containers(Service s) {
        Map<String, Service.Security> containers = new LinkedHashMap<>();
        containers.put("", s.container().security());
        s.companions().sidecars().forEach(c -> containers.put("sidecars/" + Node.escapePointerToken(c.name()) + "/", c.security()));
        s.companions().initContainers().forEach(c -> containers.put("initContainers/" + Node.escapePointerToken(c.name()) + "/", c.security()));
        return containers;
    }

    /** Whether the container at {@code prefix} states the field itself (the service's own container always does). */
    private static boolean own(Service s, String prefix, String field) {
        return prefix.isEmpty() || s.declared().has(prefix + "securityContext/" + field);
    }

    static void rootNeedsRunAsNonRootOff(Service s, SystemModel system, Findings out) {
        containers(s).forEach((prefix, security) -> {
            if (security.runAsUser() == 0 && security.runAsNonRoot() && (own(s, prefix, "runAsUser") || own(s, prefix, "runAsNonRoot"))) {
                out.error(s.declared().at(prefix + "securityContext/" + (own(s, prefix, "runAsUser") ? "runAsUser" : "runAsNonRoot")),
                        "runAsUser 0 is root, but runAsNonRoot is true", "a non-zero user id, or runAsNonRoot: false (a documented relaxation)");
            }
        });
    }

    static void capabilitiesFitBaseline(Service s, SystemModel system, Findings out) {
        containers(s).forEach((prefix, security) -> {
            if (!own(s, prefix, "addCapabilities")) {
                return;
            }
            List<String> added = security.addCapabilities();
            for (int i = 0; i < added.size(); i++) {
                String capability = added.get(i).startsWith("CAP_") ? added.get(i).substring(4) : added.get(i);
                if (!BASELINE_CAPABILITIES.contains(capability)) {
                    out.error(s.declared().at(prefix + "securityContext/addCapabilities/" + i), "the capability " + added.get(i)
                                    + " is forbidden by the Pod Security baseline level, the most castle's namespaces allow",
                            "one of " + String.join(", ", new java.util.TreeSet<>(BASELINE_CAPABILITIES)) + " (only NET_BIND_SERVICE keeps the"
                                    + " restricted level)");
                }
            }
        });
    }

    static void seccompFitsBaseline(Service s, SystemModel system, Findings out) {
        containers(s).forEach((prefix, security) -> {
            if (security.seccompProfile() == Service.SeccompProfile.Unconfined && own(s, prefix, "seccompProfile")) {
                out.error(s.declared().at(prefix + "securityContext/seccompProfile"), "seccompProfile Unconfined is forbidden by the Pod"
                        + " Security baseline level, the most castle's namespaces allow", "RuntimeDefault (the default)");
            }
        });
    }

    /** fsGroup belongs to the pod, not to a container: a sidecar's or init container's would be ignored. */
    static void fsGroupIsThePods(Service s, SystemModel system, Findings out) {
        containers(s).keySet().stream().filter(prefix -> !prefix.isEmpty() && own(s, prefix, "fsGroup")).forEach(prefix ->
                out.error(s.declared().at(prefix + "securityContext/fsGroup"), "fsGroup is a setting of the whole pod, which a "
                        + (prefix.startsWith("sidecars/") ? "sidecar" : "init container") + " cannot change",
                        "the service's securityContext.fsGroup, the group of its volumes for every container"));
    }
}
