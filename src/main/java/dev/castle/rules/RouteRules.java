package dev.castle.rules;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.castle.model.Canary;
import dev.castle.model.Operations;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * Routes without host names: a catch-all HTTPRoute (no hostnames) or an Ingress rule without a
 * host takes every request of its Gateway or ingress class that no more specific route matches.
 * Two of them on the same parent and path would race (Gateway API keeps the oldest route, ingress
 * controllers merge or pick one), so a path is caught by one service at most; a certificate needs
 * names, and so does an Istio VirtualService bound to a gateway.
 */
final class RouteRules {
    static final List<Rule.OfService> SERVICE = List.of(RouteRules::certificateNeedsHosts, RouteRules::istioGatewayRoutingNeedsHosts);
    static final List<Rule.OfSystem> SYSTEM = List.of(RouteRules::oneCatchAllPerPath);

    private RouteRules() {
    }

    static void certificateNeedsHosts(Service s, SystemModel system, Findings out) {
        s.operations().expose().filter(e -> e.hosts().isEmpty()).ifPresent(e -> e.tls().filter(t -> t.issuer().isPresent() || t.certificate())
                .ifPresent(t -> out.error(s.declared().at("expose/tls"), "a certificate names the hosts it is for, and this exposure has none",
                        "hosts: [shop.example.com], or tls: {secretName} of an existing certificate")));
    }

    static void istioGatewayRoutingNeedsHosts(Service s, SystemModel system, Findings out) {
        boolean istio = s.canary().map(c -> c.isIstio() || (c.isArgo() || c.isFlagger()) && c.router() == Canary.Router.ISTIO).orElse(false);
        s.operations().expose().filter(e -> istio && e.hosts().isEmpty() && e.via() == Operations.Via.gateway).ifPresent(e ->
                out.error(s.declared().at("expose"), "the Istio VirtualService of the canary binds to the gateway by host names, and this exposure has none",
                        "hosts: [shop.example.com], or canary.strategy: gateway-api"));
    }

    static void oneCatchAllPerPath(SystemModel system, Findings out) {
        Map<String, String> caught = new HashMap<>();
        for (Service s : system.services()) {
            s.operations().expose().filter(e -> e.via().proxied() && e.hosts().isEmpty()).ifPresent(e -> {
                String parent = e.via() == Operations.Via.ingress ? "the ingress class " + e.ingressClassName().orElse("(default)")
                        : "the Gateway " + e.gateway().namespace().map(n -> n + "/").orElse("") + e.gateway().name()
                        + e.gateway().sectionName().map(n -> " (listener " + n + ")").orElse("");
                List<String> paths = e.grpc() ? List.of("every gRPC method")
                        : e.paths().stream().map(p -> (p.exact() ? "exactly " : "") + p.path()).toList();
                for (String path : paths) {
                    String key = parent + " on " + path;
                    String other = caught.putIfAbsent(key, s.name());
                    if (other != null) {
                        out.error(s.declared().at("expose"), "'" + other + "' already takes every host of " + key
                                + ": two routes without hosts on one path race", "hosts for one of them, or other paths");
                    }
                }
            });
        }
    }
}
