package dev.castle.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.castle.model.Infrastructure;
import dev.castle.model.ManagedCharts;
import dev.castle.model.Infrastructure.Type;
import dev.castle.model.OperatorWiring;
import dev.castle.model.SystemModel;

/**
 * One subchart per component run by an operator or claimed from Crossplane
 * ({@link ManagedCharts}): {@code <system>/charts/<name>-operator/} with the operator's custom
 * resources, or {@code <system>/charts/<name>-claim/} with the claim, each a one-line include of
 * the castle-common library ({@code _operators.tpl}) driven by {@link OperatorValues}.
 */
final class OperatorChartContributor implements Contributor {

    /** The library templates of a component's chart, by type (claims have one). */
    static List<String> templates(Infrastructure infra) {
        if (infra.mode() == Infrastructure.Mode.claim) {
            return List.of("claim");
        }
        return switch (infra.type()) {
            case postgresql -> List.of("cnpg.cluster", "cnpg.pooler", "cnpg.scheduledBackup");
            case kafka -> List.of("strimzi.kafka", "strimzi.nodePool", "strimzi.topics", "strimzi.users");
            case rabbitmq -> List.of("rabbitmq.cluster");
            case mongodb -> List.of("mongodb.credentials", "mongodb.community");
            default -> List.of();
        };
    }

    @Override
    public List<PlannedFile> contribute(SystemModel system) {
        List<PlannedFile> files = new ArrayList<>();
        for (ManagedCharts.Chart chart : ManagedCharts.of(system)) {
            Infrastructure infra = chart.infra();
            String dir = system.metadata().name() + "/charts/" + chart.name() + "/";
            ChartValues values = OperatorValues.forComponent(chart.model(), infra);
            files.add(new PlannedFile.YamlDocument(dir + "Chart.yaml", ChartMetadata.forManaged(system, chart.name(), infra,
                    description(system, infra))));
            files.add(new PlannedFile.ValuesDocument(dir + "values.yaml", "Values of the " + chart.name() + " chart ("
                    + infra.type().name() + " run by " + OperatorValues.runner(infra) + ")", values));
            files.add(new PlannedFile.JsonDocument(dir + "values.schema.json", values.topLevelSchema(
                    "Values of the " + chart.name() + " chart", ServiceChartContributor.SUBCHART_KEYS)));
            Map<String, Object> readme = readmeData(system, chart);
            readme.put("sections", Markdown.parameterSections(values));
            files.add(new PlannedFile.FromTemplate(dir + "README.md", "infra/operator-README.md.ftl", readme));
            files.add(ResourcesFile.of(dir, templates(infra).stream().map(t -> new ResourcesFile.Include(t, ".")).toList()));
        }
        return files;
    }

    static String description(SystemModel system, Infrastructure infra) {
        return "The " + infra.name() + " " + infra.type().name() + " of the " + system.metadata().name() + " system, run by "
                + OperatorValues.runner(infra) + ".";
    }

    /** What the README may see: validated names and castle's own constants. */
    private static Map<String, Object> readmeData(SystemModel system, ManagedCharts.Chart chart) {
        Infrastructure infra = chart.infra();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("chart", chart.name());
        data.put("component", infra.name());
        data.put("system", system.metadata().name());
        data.put("type", infra.type().name());
        data.put("mode", infra.mode().name());
        data.put("runner", Markdown.text(OperatorValues.runner(infra)));
        data.put("api", OperatorValues.api(infra));
        data.put("port", infra.port());
        boolean operator = infra.mode() == Infrastructure.Mode.operator && OperatorWiring.TYPES.contains(infra.type());
        data.put("host", operator ? OperatorWiring.host(infra).replace("{release}", "<release>") : "");
        data.put("secret", infra.credentials().map(s -> s.name().replace("{release}", "<release>")).orElse(""));
        data.put("kafkaUser", infra.type() == Type.kafka ? OperatorWiring.kafkaUser(infra, "<service>").replace("{release}", "<release>") : "");
        data.put("podLabels", operator ? String.join(", ", OperatorWiring.podLabels(infra).entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue().replace("{release}", "<release>")).toList()) : "");
        return data;
    }
}
