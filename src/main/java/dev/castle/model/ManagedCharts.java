package dev.castle.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


/**
 * The subcharts of components run by an operator or claimed from Crossplane:
 * {@code charts/<name>-operator} and {@code charts/<name>-claim}, one for every mode a component
 * has in the base or in an environment (an environment switches a component from its embedded
 * chart to its operator chart as it switches it to external: values-<env>.yaml turns one chart
 * off and the other on). A chart's defaults are the component as the first model that runs it in
 * that mode declares it: the base, else the first environment by name; each environment's values
 * file says what differs from them.
 */
public final class ManagedCharts {
    /** One managed subchart: its name, the component in that mode, and the model its defaults come from. */
    public record Chart(String name, Infrastructure infra, SystemModel model) {
        public Infrastructure.Mode mode() {
            return infra.mode();
        }
    }

    private ManagedCharts() {
    }

    public static List<Chart> of(SystemModel system) {
        Map<String, Chart> charts = new LinkedHashMap<>();
        List<SystemModel> models = new ArrayList<>();
        models.add(system);
        system.environments().forEach(e -> models.add(e.model()));
        for (Infrastructure base : system.infrastructure()) {
            for (SystemModel model : models) {
                model.infrastructure(base.name()).filter(i -> i.mode().managed()).ifPresent(infra -> {
                    String name = Infrastructure.managedChart(infra.name(), infra.mode());
                    charts.putIfAbsent(name, new Chart(name, infra, model));
                });
            }
        }
        return List.copyOf(charts.values());
    }

    /** The component as a model runs it in the chart's mode, if it does. */
    public static java.util.Optional<Infrastructure> in(SystemModel model, Chart chart) {
        return model.infrastructure(chart.infra().name()).filter(i -> i.mode() == chart.mode());
    }
}
