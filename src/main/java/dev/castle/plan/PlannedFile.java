package dev.castle.plan;

import java.util.List;
import java.util.Map;

/** One file of the output, described but not yet rendered. Paths are relative to the output folder. */
public sealed interface PlannedFile {
    String path();

    /** A FreeMarker template fed only with castle's own flags and validated names, never free user text. */
    record FromTemplate(String path, String template, Map<String, Object> data) implements PlannedFile {
    }

    /** A file of castle's own written as it is (the castle-common library's templates), from the template folder. */
    record Verbatim(String path, String resource) implements PlannedFile {
    }

    /** A YAML document emitted from a tree by the YAML emitter. */
    record YamlDocument(String path, Object tree) implements PlannedFile {
    }

    /** A chart's values.yaml: the tree with a {@code ## @param} comment per value. */
    record ValuesDocument(String path, String title, ChartValues values) implements PlannedFile {
    }

    /** A values file that overrides a chart's defaults (values-<env>.yaml), with header comment lines. */
    record ValuesOverrides(String path, List<String> header, Map<String, Object> values) implements PlannedFile {
    }

    /** A JSON document (values.schema.json). */
    record JsonDocument(String path, Object tree) implements PlannedFile {
    }
}
