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
            new EnvironmentValuesContributor(),
            new GitOpsContributor());

    public OutputPlan plan(SystemModel system) {
        List<PlannedFile> files = new ArrayList<>();
        for (Contributor contributor : contributors) {
            files.addAll(contributor.contribute(system));
        }
        List<String> roots = new ArrayList<>(List.of(system.metadata().name()));
        if (system.gitops().isPresent()) {
            roots.add(GitOpsContributor.root(system));
        }
        return new OutputPlan(roots, files);
    }
}
