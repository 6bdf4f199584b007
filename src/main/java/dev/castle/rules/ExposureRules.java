package dev.castle.rules;

import java.util.List;

import dev.castle.model.Operations;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * Exposure: long-running services with ports, fields that fit the way it is exposed, and each host
 * and path prefix routed to one service only (routes without hosts: {@link RouteRules}).
 */
final class ExposureRules {
    static final List<Rule.OfService> SERVICE = List.of(ExposureRules::exposedServiceRunsAndListens,
            ExposureRules::exposedPortExists, ExposureRules::ingressClassOnlyForIngress, ExposureRules::serviceTypeFitsVia,
            ExposureRules::ingressControllerIsLocated);
    static final List<Rule.OfSystem> SYSTEM = List.of(ExposureRules::hostAndPathRouteToOneService, ExposureRules::createdGatewayIsInTheReleaseNamespace,
            ExposureRules::createdGatewayNamesItsClass);

    private ExposureRules() {
    }

    static void exposedServiceRunsAndListens(Service s, SystemModel system, Findings out) {
        if (!s.declared().has("expose")) {
            return;
        }
        if (s.workload().isBatch()) {
            out.error(s.declared().at("expose"), "a " + s.workload() + " cannot be exposed", "expose only Deployments and StatefulSets");
        }
        if (s.ports().isEmpty()) {
            out.error(s.declared().at("expose"), "the service has no port to expose", "declare ports");
        }
    }

    static void exposedPortExists(Service s, SystemModel system, Findings out) {
        s.declared().text("expose/port").filter(p -> !p.matches("\\d+") && !ProbeRules.hasPort(s, p)).ifPresent(p ->
                out.error(s.declared().at("expose/port"), "'" + p + "' is not a port of this service", ProbeRules.portChoice(s)));
    }

    static void ingressClassOnlyForIngress(Service s, SystemModel system, Findings out) {
        s.operations().expose().filter(e -> e.via() != Operations.Via.ingress && e.ingressClassName().isPresent()).ifPresent(e ->
                out.error(s.declared().at("expose/ingressClassName"), "ingressClassName is for via: ingress", "via: ingress"));
    }

    /** The network policies admit the ingress controller's pods: castle needs their namespace (no controller is assumed). */
    static void ingressControllerIsLocated(Service s, SystemModel system, Findings out) {
        s.operations().expose().filter(e -> e.via() == Operations.Via.ingress).ifPresent(e -> {
            if (system.network().policies() && system.network().ingressNamespace().isEmpty()) {
                out.error(s.declared().at("expose/via"), "the network policies admit the ingress controller's pods, but their namespace is not said",
                        "network.ingressNamespace: the namespace the ingress controller runs in (or network.policies: false)");
            }
        });
    }

    /** castle renders the Gateway it creates in the release namespace: a namespace of its own would leave routes and policies pointing elsewhere. */
    /** A Gateway without a GatewayClass is refused by the API server (gatewayClassName is required, at least one character). */
    static void createdGatewayNamesItsClass(SystemModel system, Findings out) {
        if (system.gateway().create() && system.gateway().className().filter(c -> !c.isBlank()).isEmpty()) {
            out.error("/gateway/create", "gateway.create needs the GatewayClass of the Gateway castle creates",
                    "className: the class of your Gateway controller (kubectl get gatewayclass), e.g. istio, eg, nginx, cilium");
        }
    }

    static void createdGatewayIsInTheReleaseNamespace(SystemModel system, Findings out) {
        if (system.gateway().create() && system.gateway().namespace().isPresent()) {
            out.error("/gateway/namespace", "gateway.create puts the Gateway in the release namespace, not in "
                    + system.gateway().namespace().get(), "leave namespace out to create it, or create: false to attach to a Gateway of that namespace");
        }
    }

    static void serviceTypeFitsVia(Service s, SystemModel system, Findings out) {
        Service.ServiceExposure service = s.network().service();
        s.operations().expose().filter(e -> s.declared().has("service/type")).ifPresent(e -> {
            boolean contradicts = e.via() == Operations.Via.loadBalancer && service.type() != Service.ServiceType.LoadBalancer
                    || e.via() == Operations.Via.nodePort && service.type() != Service.ServiceType.NodePort;
            if (contradicts || (e.via() == Operations.Via.loadBalancer || e.via() == Operations.Via.nodePort) && !service.enabled()) {
                out.error(s.declared().at("service"), "service.type " + s.declared().text("service/type").orElse("")
                        + " contradicts expose.via " + e.via(), "leave service.type out: expose.via sets it");
            }
        });
    }

    /**
     * Two Ingresses or routes with the same host and path prefix: ingress-nginx and the Gateway API
     * send the requests to one of them (the oldest route), silently.
     */
    static void hostAndPathRouteToOneService(SystemModel system, Findings out) {
        java.util.Map<String, Service> claimed = new java.util.HashMap<>();
        for (Service s : system.services()) {
            s.operations().expose().filter(e -> e.via().proxied()).ifPresent(e -> {
                for (int h = 0; h < e.hosts().size(); h++) {
                    for (Operations.RoutePath routePath : e.paths()) {
                        String path = routePath.path();
                        String key = e.hosts().get(h) + " " + (routePath.exact() ? "exactly " + path
                                : path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
                        String at = s.declared().at("expose/hosts/" + h);
                        Service previous = claimed.putIfAbsent(key, s);
                        if (previous != null && previous != s) {
                            out.error(at, "host " + e.hosts().get(h) + " with path " + path + " is also routed to service '" + previous.name()
                                    + "' (" + Checker.placeOf(previous.declared().at("expose")) + ")",
                                    "one service per host and path: another host or path");
                        }
                    }
                }
            });
        }
    }
}
