package dev.castle.plan;

import static dev.castle.plan.Schemas.array;
import static dev.castle.plan.Schemas.bool;
import static dev.castle.plan.Schemas.integer;
import static dev.castle.plan.Schemas.of;
import static dev.castle.plan.Schemas.oneOf;
import static dev.castle.plan.Schemas.string;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.castle.model.Canary;
import dev.castle.model.Operations;
import dev.castle.model.Service;

/**
 * Values of a service's canary release. Everything a canary render needs is a value, so that
 * {@code --set <service>.canary.enabled=true --set <service>.canary.weight=30} (or a values file)
 * starts, shifts and ends a canary; the strategy and the router are fixed when castle generates
 * the chart (their schema allows one value).
 */
final class CanaryValues {
    static final String HEADER_PATTERN = "^$|^[A-Za-z0-9-]+$";
    static final String COOKIE_PATTERN = "^$|^[A-Za-z0-9_-]+$";

    private CanaryValues() {
    }

    static void add(ChartValues v, Service s) {
        if (s.canary().isEmpty()) {
            return;
        }
        Canary c = s.canary().orElseThrow();
        String strategy = c.strategy().value();
        boolean managed = c.castleManagesTracks();
        v.section("Canary release");
        v.param("canary.enabled", false, switch (strategy) {
            case "argo-rollouts" -> "Give the Rollout's pods the canary image, env and config: the next helm upgrade with it starts the Rollout's canary steps";
            case "flagger" -> "Give the Deployment the canary image, env and config: Flagger then runs its analysis and promotes or rolls back";
            default -> "Run the canary track (a second workload labelled castle.dev/track: canary) and send it canary.weight % of the requests";
        }, bool());
        v.param("canary.strategy", strategy, "How traffic is shifted; chosen in the descriptor, since it shapes the service's selectors and workload kind from the first release", oneOf(strategy));
        if (managed) {
            v.param("canary.weight", c.weight(), "Percentage of requests sent to the canary; the stable track gets the rest", integer(0, 100))
                    .param("canary.replicas", c.replicas(), "Pods of the canary track", integer(1));
        }
        ServiceValues.image(v, "canary.image", c.image(), "the canary image");
        v.param("canary.env", new TreeMap<>(c.env()), "Literal environment variables of the canary, over the service's env", Schemas.scalarMap());
        if (s.configuration().config().isPresent()) {
            v.param("canary.configData", new TreeMap<>(c.configData()),
                    "Config keys of the canary, over config.data: a non-empty map gives the canary its own ConfigMap <fullname>-canary", Schemas.scalarMap());
        }
        if (!c.isFlagger()) {
            v.param("canary.header.name", c.header().map(Canary.Header::name).orElse(""), "A request header that sends a request to the canary (empty: none)", string(HEADER_PATTERN))
                    .param("canary.header.value", c.header().map(Canary.Header::value).orElse("always"), "The value of that header", of("type", "string", "minLength", 1))
                    .param("canary.cookie", c.cookie().orElse(""), "A cookie that sends a request to the canary when set to always (empty: none)", string(COOKIE_PATTERN));
        }
        if (c.isArgo() || c.isFlagger()) {
            v.param("canary.router", c.router().value(), "Traffic router the controller drives (chosen in the descriptor)", oneOf(c.router().value()));
        }
        if (c.isArgo()) {
            v.param("canary.steps", c.steps(), "Canary weights of the Rollout's steps, each followed by a pause of canary.analysis.interval", array(integer(1, 100)))
                    .param("canary.analysis.interval", c.analysis().interval(), "Pause after each step", string("^[0-9]+[smh]$"));
        }
        if (c.isFlagger()) {
            Canary.Analysis a = c.analysis();
            v.param("canary.analysis.interval", a.interval(), "Time between two checks of the canary's metrics", string("^[0-9]+[smh]$"))
                    .param("canary.analysis.threshold", a.threshold(), "Failed checks before Flagger rolls back", integer(1))
                    .param("canary.analysis.maxWeight", a.maxWeight(), "Weight at which Flagger promotes the canary", integer(1, 100))
                    .param("canary.analysis.stepWeight", a.stepWeight(), "Weight added after each successful check", integer(1, 100))
                    .param("canary.analysis.successRate", 99, "Minimum percentage of successful requests (request-success-rate)", integer(0, 100))
                    .param("canary.analysis.maxDurationMs", 500, "Maximum request duration in milliseconds, 99th percentile (request-duration)", integer(1));
        }
        boolean istioRouting = c.isIstio() || c.isArgo() && c.router() == Canary.Router.ISTIO || c.isFlagger() && c.router() == Canary.Router.ISTIO;
        if (istioRouting) {
            v.param("canary.istioGateways", istioGateways(s), "Istio Gateways (networking.istio.io, namespace/name) the VirtualService also binds to,"
                    + " besides the mesh; default: the exposure's gateway", array(string()));
        }
    }

    /** The exposure's gateway as an Istio gateway reference, when the service is exposed through a gateway. */
    private static List<String> istioGateways(Service s) {
        List<String> gateways = new ArrayList<>();
        s.operations().expose().filter(e -> e.via() == Operations.Via.gateway).map(Operations.Expose::gateway)
                .ifPresent(g -> gateways.add(g.namespace().map(ns -> ns + "/").orElse("") + g.name()));
        return gateways;
    }
}
