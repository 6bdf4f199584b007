package dev.castle.plan;

import java.util.ArrayList;
import java.util.List;

import dev.castle.model.SystemModel;

/** Fourth stage: runs every contributor and returns the plan of files. */
public final class Planner {
    private final List<Contributor> contributors = List.of(
            new ParentChartContributor(),
            new LibraryChartContributor(),
            new ServiceChartContributor(),
            new InfrastructureChartContributor(),
            new OperatorChartContributor(),
            new EnvironmentValuesContributor());

    public OutputPlan plan(SystemModel system) {
        List<PlannedFile> files = new ArrayList<>();
        for (Contributor contributor : contributors) {
            files.addAll(contributor.contribute(system));
        }
        return new OutputPlan(List.of(system.metadata().name()), files);
    }
}
