package dev.castle.kustomize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * The chart the canary renders use: the parent's templates, the canary services' templates and every
 * partial kept; the other subcharts keep their values but render nothing.
 */
class CanaryChartTest {

    @Test
    void keepsTheParentTheCanaryServicesAndEveryonesValuesAndPartials() {
        Map<String, byte[]> chart = new TreeMap<>();
        for (String path : List.of("shop/Chart.yaml", "shop/values.yaml", "shop/templates/networkpolicies.yaml", "shop/templates/NOTES.txt",
                "shop/charts/castle-common/Chart.yaml", "shop/charts/castle-common/templates/_pod.tpl",
                "shop/charts/orders/Chart.yaml", "shop/charts/orders/values.yaml", "shop/charts/orders/templates/resources.yaml",
                "shop/charts/cart/Chart.yaml", "shop/charts/cart/values.yaml", "shop/charts/cart/templates/resources.yaml",
                "shop/charts/cart/templates/_helpers.tpl", "shop/charts/cart/templates/tests/connection.yaml",
                "shop/charts/templates/Chart.yaml", "shop/charts/templates/templates/resources.yaml")) {
            chart.put(path, path.getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(List.of("shop/Chart.yaml", "shop/charts/cart/Chart.yaml", "shop/charts/cart/templates/_helpers.tpl",
                        "shop/charts/cart/values.yaml", "shop/charts/castle-common/Chart.yaml", "shop/charts/castle-common/templates/_pod.tpl",
                        "shop/charts/orders/Chart.yaml", "shop/charts/orders/templates/resources.yaml", "shop/charts/orders/values.yaml",
                        "shop/charts/templates/Chart.yaml", "shop/templates/NOTES.txt", "shop/templates/networkpolicies.yaml", "shop/values.yaml"),
                List.copyOf(HelmEngine.withTemplatesOf("shop", chart, List.of("orders")).keySet()));
    }
}
