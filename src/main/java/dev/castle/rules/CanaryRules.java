package dev.castle.rules;

import java.util.List;

import dev.castle.model.Canary;
import dev.castle.model.Operations;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/** Canaries: a long-running service with ports, settings that fit the strategy, routing the strategy can drive. */
final class CanaryRules {
    static final List<Rule.OfService> SERVICE = List.of(CanaryRules::canaryNeedsLongRunningService, CanaryRules::flaggerPrimaryNameFits,
            CanaryRules::controllerDrivenCanaryOnDeployment, CanaryRules::ingressNginxNeedsIngress, CanaryRules::settingsFitStrategy,
            CanaryRules::flaggerOwnsAppLabel, CanaryRules::flaggerServicesCarryThePorts, CanaryRules::canaryConfigNeedsConfig,
            CanaryRules::stepsIncrease);

    private CanaryRules() {
    }

    private static String at(Service s) {
        return s.declared().at("canary");
    }

    static void canaryNeedsLongRunningService(Service s, SystemModel system, Findings out) {
        if (s.canary().isPresent() && (s.workload().isBatch() || s.ports().isEmpty())) {
            out.error(at(s), "a canary needs a long-running service with ports", "a Deployment with ports");
        }
    }

    static void flaggerPrimaryNameFits(Service s, SystemModel system, Findings out) {
        String primary = NameRules.fullname(system, s.name()) + "-primary";
        if (s.canary().filter(Canary::isFlagger).isPresent() && primary.length() > NameRules.MAX_NAME) {
            out.error(at(s), "Flagger names the primary '" + primary + "', " + primary.length() + " characters",
                    "at most " + NameRules.MAX_NAME + "; shorten the service name");
        }
    }

    static void controllerDrivenCanaryOnDeployment(Service s, SystemModel system, Findings out) {
        s.canary().filter(c -> c.strategy().controllerDriven() && s.workload() != Service.WorkloadKind.Deployment).ifPresent(c ->
                out.error(at(s), c.strategy().value() + " canaries replace or watch a Deployment, not a " + s.workload(), "workload: Deployment"));
    }

    static void ingressNginxNeedsIngress(Service s, SystemModel system, Findings out) {
        s.canary().ifPresent(c -> {
            boolean ingress = s.operations().expose().filter(e -> e.via() == Operations.Via.ingress).isPresent();
            if (c.strategy() == Canary.Strategy.INGRESS_NGINX && !ingress) {
                out.error(at(s), "an ingress-nginx canary needs the service exposed through an Ingress", "expose: {via: ingress, hosts: [...]}");
            }
            if (c.strategy().controllerDriven() && c.router() == Canary.Router.INGRESS_NGINX && !ingress) {
                out.error(at(s), "routing with ingress-nginx needs the service exposed through an Ingress", "expose: {via: ingress, hosts: [...]}");
            }
        });
    }

    static void settingsFitStrategy(Service s, SystemModel system, Findings out) {
        s.canary().ifPresent(c -> {
            if (!c.strategy().controllerDriven()) {
                for (String key : List.of("router", "steps", "analysis")) {
                    if (s.declared().has("canary/" + key)) {
                        out.error(s.declared().at("canary/" + key), key + " is for argo-rollouts or flagger canaries",
                                "strategy: argo-rollouts or flagger");
                    }
                }
            }
            if (c.isFlagger()) {
                for (String key : List.of("header", "cookie")) {
                    if (s.declared().has("canary/" + key)) {
                        out.error(s.declared().at("canary/" + key), key + " is not used by a flagger canary",
                                "header and cookie for gateway-api, istio, ingress-nginx and argo-rollouts");
                    }
                }
            }
        });
    }

    static void flaggerOwnsAppLabel(Service s, SystemModel system, Findings out) {
        if (s.canary().filter(Canary::isFlagger).isPresent() && s.pod().labels().containsKey("app")) {
            out.error(s.declared().at("podLabels/app"), "the pod label 'app' is Flagger's selector label, set by castle", "another label name");
        }
    }

    /**
     * Flagger writes the service's Services itself: every port as TCP, the main port on its service
     * port, the others (portDiscovery) on their container port. A UDP or SCTP port, or another port
     * whose service port differs, would not be where the callers look.
     */
    static void flaggerServicesCarryThePorts(Service s, SystemModel system, Findings out) {
        if (s.canary().filter(Canary::isFlagger).isEmpty()) {
            return;
        }
        String main = s.firstExposedPort().map(Service.Port::name).orElse("");
        for (Service.Port port : s.ports()) {
            if (port.protocol() != Service.Protocol.TCP) {
                out.error(PortRules.at(s, port), "port '" + port.name() + "' is " + port.protocol()
                        + ", but Flagger creates TCP Services only", "TCP ports with a flagger canary, or another strategy");
            } else if (port.exposed() && !port.name().equals(main) && port.servicePort() != port.port()) {
                out.error(PortRules.at(s, port), "Flagger publishes port '" + port.name() + "' on its container port "
                        + port.port() + ", not on servicePort " + port.servicePort(),
                        "servicePort equal to the port for every port but the main one, with a flagger canary");
            }
        }
    }

    static void canaryConfigNeedsConfig(Service s, SystemModel system, Findings out) {
        if (s.declared().has("canary/config") && s.configuration().config().isEmpty()) {
            out.error(s.declared().at("canary/config"), "canary.config changes a config the service does not have",
                    "declare config on the service first");
        }
    }

    static void stepsIncrease(Service s, SystemModel system, Findings out) {
        s.canary().filter(c -> s.declared().has("canary/steps")).ifPresent(c -> {
            for (int i = 1; i < c.steps().size(); i++) {
                if (c.steps().get(i) <= c.steps().get(i - 1)) {
                    out.error(s.declared().at("canary/steps"), "canary steps must increase", "increasing weights, such as [10, 25, 50]");
                    return;
                }
            }
        });
    }
}
