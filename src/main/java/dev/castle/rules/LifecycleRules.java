package dev.castle.rules;

import java.util.List;
import java.util.Optional;

import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/** Lifecycle hooks: the preStop sleep ends before the grace period, http hooks call ports of the service. */
final class LifecycleRules {
    static final List<Rule.OfService> SERVICE = List.of(LifecycleRules::preStopEndsBeforeGracePeriod, LifecycleRules::hookPortsExist);

    private LifecycleRules() {
    }

    static void preStopEndsBeforeGracePeriod(Service s, SystemModel system, Findings out) {
        Service.Lifecycle lifecycle = s.container().lifecycle();
        int grace = lifecycle.terminationGracePeriodSeconds();
        lifecycle.preStop().filter(Service.Sleep.class::isInstance).map(h -> ((Service.Sleep) h).seconds())
                .filter(sleep -> sleep >= grace).ifPresent(sleep -> out.error(
                        s.declared().at(s.declared().has("lifecycle/preStop") ? "lifecycle/preStop" : "lifecycle/terminationGracePeriodSeconds"),
                        "preStop sleeps " + sleep + "s, as long as or longer than terminationGracePeriodSeconds (" + grace + "s)",
                        "a sleep shorter than the grace period, so the process still gets SIGTERM"));
    }

    static void hookPortsExist(Service s, SystemModel system, Findings out) {
        Service.Lifecycle lifecycle = s.container().lifecycle();
        check(s, "preStop", lifecycle.preStop(), out);
        check(s, "postStart", lifecycle.postStart(), out);
    }

    private static void check(Service s, String hook, Optional<Service.Handler> handler, Findings out) {
        String http = "lifecycle/" + hook + "/http";
        if (!s.declared().has(http) || !(handler.orElse(null) instanceof Service.HttpGet get)) {
            return;
        }
        if (!s.declared().has(http + "/port") && !ProbeRules.hasTcpPort(s)) {
            out.error(s.declared().at(http), "the http hook names no port and the service has no TCP port", "add port");
        }
        if (get.port() instanceof Service.PortName name && !name.name().isEmpty() && !ProbeRules.hasPort(s, name.name())) {
            out.error(s.declared().at(http + "/port"), "port '" + name.name() + "' is not a port of this service",
                    ProbeRules.portChoice(s));
        }
    }
}
