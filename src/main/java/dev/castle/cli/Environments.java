package dev.castle.cli;

import java.util.stream.Collectors;

import dev.castle.model.SystemModel;

/** The environment an {@code --env} option names, or a usage error that lists the ones there are. */
final class Environments {
    private Environments() {
    }

    static SystemModel.Environment named(SystemModel model, String name) {
        return model.environments().stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new ExitCodes.UserError("--env " + name + ": the descriptor has "
                        + (model.environments().isEmpty() ? "no environments"
                        : "the environments " + model.environments().stream().map(SystemModel.Environment::name)
                        .collect(Collectors.joining(", ")))));
    }
}
