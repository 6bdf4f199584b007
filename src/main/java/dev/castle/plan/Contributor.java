package dev.castle.plan;

import java.util.List;

import dev.castle.model.SystemModel;

/** Owns some files of the output and adds them to the plan when the model calls for them. */
interface Contributor {
    List<PlannedFile> contribute(SystemModel system);
}
