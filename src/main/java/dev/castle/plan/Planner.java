package dev.castle.plan;

import java.util.ArrayList;
import java.util.List;

import dev.castle.model.SystemModel;

/** Fourth stage: runs every contributor and returns the plan of files. */
public final class Planner {
    public OutputPlan plan(SystemModel system) {
        ChartValuesMemo values = new ChartValuesMemo();
        List<Contributor> contributors = List.of(
                new ParentChartContributor(values),
                new LibraryChartContributor(),
                new ServiceChartContributor(values),
                new InfrastructureChartContributor(values),
                new EnvironmentValuesContributor(values));
        List<PlannedFile> files = new ArrayList<>();
        for (Contributor contributor : contributors) {
            files.addAll(contributor.contribute(system));
        }
        return new OutputPlan(List.of(system.metadata().name()), files);
    }
}
