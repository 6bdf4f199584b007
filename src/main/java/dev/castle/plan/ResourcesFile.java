package dev.castle.plan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A subchart's one template file, {@code templates/resources.yaml}: a line per object kind the chart
 * can render, each an include of the castle-common library, which starts every document it renders
 * with {@code ---}. One file rather than one per kind: the pod, the Service and the autoscaler are
 * spelled out in the library either way, and a thousand services write 15,000 fewer files (file
 * creation was most of the time of {@code generate --no-kustomize} at that size).
 */
final class ResourcesFile {
    static final String PATH = "templates/resources.yaml";

    /** One line: a library template and its arguments ({@code .}, or a list with the workload kind). */
    record Include(String template, String arguments) {
    }

    private ResourcesFile() {
    }

    static PlannedFile of(String chartDir, List<Include> includes) {
        List<Map<String, Object>> lines = includes.stream().map(i -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("template", i.template());
            line.put("arguments", i.arguments());
            return line;
        }).toList();
        return new PlannedFile.FromTemplate(chartDir + PATH, "chart/resources.yaml.ftl", Map.of("includes", lines));
    }
}
