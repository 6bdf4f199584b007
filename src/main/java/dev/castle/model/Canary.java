package dev.castle.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A canary release of a service, defaults resolved. The strategy fixes, from the first release,
 * how the service's own objects look: with {@code istio} its Service selects both tracks (the
 * DestinationRule's subsets split them); with {@code argo-rollouts} its workload is a Rollout; with
 * {@code flagger} castle writes no Service (Flagger creates the primary and canary Services).
 */
public record Canary(
        Strategy strategy,
        Service.Image image,
        Map<String, String> env,
        Map<String, String> configData,
        int weight,
        int replicas,
        Optional<Header> header,
        Optional<String> cookie,
        Router router,
        List<Integer> steps,
        Analysis analysis) {

    public Canary {
        steps = List.copyOf(steps);
    }

    public enum Strategy implements Spelled {
        GATEWAY_API("gateway-api"), ISTIO("istio"), INGRESS_NGINX("ingress-nginx"), ARGO_ROLLOUTS("argo-rollouts"), FLAGGER("flagger");

        private final String value;

        Strategy(String value) {
            this.value = value;
        }

        @Override
        public String value() {
            return value;
        }

        /** Strategies run by a controller that takes the canary's traffic routing from {@code router}. */
        public boolean controllerDriven() {
            return this == ARGO_ROLLOUTS || this == FLAGGER;
        }
    }

    /** The traffic router Argo Rollouts or Flagger drive. */
    public enum Router implements Spelled {
        GATEWAY_API("gateway-api"), ISTIO("istio"), INGRESS_NGINX("ingress-nginx");

        private final String value;

        Router(String value) {
            this.value = value;
        }

        @Override
        public String value() {
            return value;
        }
    }

    public record Header(String name, String value) {
    }

    public record Analysis(String interval, int threshold, int maxWeight, int stepWeight) {
    }

    public boolean isIstio() {
        return strategy == Strategy.ISTIO;
    }

    public boolean isArgo() {
        return strategy == Strategy.ARGO_ROLLOUTS;
    }

    public boolean isFlagger() {
        return strategy == Strategy.FLAGGER;
    }

    /** Strategies where castle itself writes the canary workload and Service (the others leave them to a controller). */
    public boolean castleManagesTracks() {
        return !strategy.controllerDriven();
    }
}
