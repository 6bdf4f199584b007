package dev.castle.plan;

import java.util.ArrayList;
import java.util.List;

import dev.castle.model.SystemModel;

/** One subchart per embedded infrastructure component under {@code <system>/charts/<name>/}. */
final class InfrastructureChartContributor implements Contributor {
    @Override
    public List<PlannedFile> contribute(SystemModel system) {
        return new ArrayList<>();
    }
}
