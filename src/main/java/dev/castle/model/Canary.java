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
        String strategy,
        Service.Image image,
        Map<String, String> env,
        Map<String, String> configData,
        int weight,
        int replicas,
        Optional<Header> header,
        Optional<String> cookie,
        String router,
        List<Integer> steps,
        Analysis analysis) {

    public record Header(String name, String value) {
    }

    public record Analysis(String interval, int threshold, int maxWeight, int stepWeight) {
    }

    public boolean isIstio() {
        return strategy.equals("istio");
    }

    public boolean isArgo() {
        return strategy.equals("argo-rollouts");
    }

    public boolean isFlagger() {
        return strategy.equals("flagger");
    }

    /** Strategies where castle itself writes the canary workload and Service (the others leave them to a controller). */
    public boolean castleManagesTracks() {
        return !isArgo() && !isFlagger();
    }
}
