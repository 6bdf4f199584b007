package dev.castle.plan;

import java.util.ArrayList;
import java.util.List;

import dev.castle.model.SystemModel;

/** Fourth stage: runs every contributor and returns the plan of files. */
public final class Planner {
    /** The charts only. */
    public OutputPlan plan(SystemModel system) {
        return plan(system, false);
    }

    /** The charts and, with {@code kustomize}, the Kustomize tree derived from them. */
    public OutputPlan plan(SystemModel system, boolean kustomize) {
        ChartValuesMemo values = new ChartValuesMemo();
        values.prepare(system);
        List<Contributor> contributors = List.of(
                new ParentChartContributor(values),
                new LibraryChartContributor(),
                new ServiceChartContributor(values),
                new InfrastructureChartContributor(values),
                new OperatorChartContributor(),
                new EnvironmentValuesContributor(values),
                new GitOpsContributor(values));
        List<PlannedFile> files = new ArrayList<>();
        for (Contributor contributor : contributors) {
            files.addAll(contributor.contribute(system));
        }
        String name = system.metadata().name();
        List<String> roots = new ArrayList<>(List.of(name));
        if (system.gitops().isPresent()) {
            roots.add(GitOpsContributor.root(system));
        }
        List<OutputPlan.DerivedTree> derived = new ArrayList<>();
        if (kustomize) {
            derived.add(new OutputPlan.KustomizeTree("kustomize/" + name));
            roots.add("kustomize/" + name);
        }
        return new OutputPlan(roots, files, derived);
    }
}
