package dev.castle.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import dev.castle.model.Infrastructure;
import dev.castle.model.Infrastructure.Type;
import dev.castle.model.SystemModel;

/**
 * One subchart per embedded infrastructure component under {@code <system>/charts/<name>/}: a
 * StatefulSet of one pod of the official image, its client and headless Services, what makes its
 * credentials Secret in the cluster, a ServiceAccount and a {@code helm test} hook. The parent chart lists these subcharts.
 */
final class InfrastructureChartContributor implements Contributor {

    /** A chart template (an include of the library) and the condition under which the component's chart has it. */
    record ChartTemplate(String output, String template, Predicate<Infrastructure> when) {
    }

    static final List<ChartTemplate> TEMPLATES = List.of(
            new ChartTemplate("templates/statefulset.yaml", "engine.statefulset", i -> true),
            new ChartTemplate("templates/service.yaml", "service", i -> true),
            new ChartTemplate("templates/service-headless.yaml", "headlessService", i -> true),
            new ChartTemplate("templates/credentials.yaml", "credentials", Infrastructure::generatesCredentials),
            new ChartTemplate("templates/configmap.yaml", "engine.configmap", i -> i.type() == Type.mongodb || i.type() == Type.rabbitmq),
            new ChartTemplate("templates/configmap-server.yaml", "engine.serverConfigmap", i -> !i.type().configDirectory().isEmpty()),
            new ChartTemplate("templates/monitor.yaml", "monitor", i -> i.server().metrics() && i.type().metricsPort() > 0),
            new ChartTemplate("templates/serviceaccount.yaml", "serviceaccount", i -> true),
            new ChartTemplate("templates/extra-objects.yaml", "extraObjects", i -> true),
            new ChartTemplate("templates/tests/test.yaml", "test", i -> true));

    private final ChartValuesMemo memo;

    InfrastructureChartContributor(ChartValuesMemo memo) {
        this.memo = memo;
    }

    @Override
    public List<PlannedFile> contribute(SystemModel system) {
        List<PlannedFile> files = new ArrayList<>();
        for (Infrastructure infra : system.infrastructure()) {
            if (infra.mode() != Infrastructure.Mode.embedded) {
                continue;
            }
            String dir = system.metadata().name() + "/charts/" + infra.name() + "/";
            ChartValues values = memo.infrastructure(system, infra);
            Map<String, Object> data = templateData(system, infra);
            files.add(new PlannedFile.YamlDocument(dir + "Chart.yaml", ChartMetadata.forInfrastructure(system, infra)));
            files.add(new PlannedFile.ValuesDocument(dir + "values.yaml", "Values of the " + infra.name() + " chart ("
                    + infra.type().name() + ")", values));
            files.add(new PlannedFile.JsonDocument(dir + "values.schema.json", values.topLevelSchema(
                    "Values of the " + infra.name() + " chart", ServiceChartContributor.SUBCHART_KEYS)));
            Map<String, Object> readme = new LinkedHashMap<>(data);
            readme.put("sections", Markdown.parameterSections(values));
            files.add(new PlannedFile.FromTemplate(dir + "README.md", "infra/README.md.ftl", readme));
            for (ChartTemplate template : TEMPLATES) {
                if (template.when().test(infra)) {
                    files.add(new PlannedFile.FromTemplate(dir + template.output(), "chart/include.yaml.ftl",
                            Map.of("template", template.template(), "arguments", ".")));
                }
            }
        }
        return files;
    }

    /** What templates may see: the chart name (a validated DNS label) and castle's own flags and constants. */
    static Map<String, Object> templateData(SystemModel system, Infrastructure infra) {
        InfrastructureValues.Profile profile = InfrastructureValues.profile(infra);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("chart", infra.name());
        data.put("system", system.metadata().name());
        data.put("type", infra.type().name());
        data.put("port", infra.type().port);
        data.put("component", profile.component());
        data.put("uid", profile.uid());
        data.put("hasCredentials", infra.generatesCredentials());
        data.put("auth", infra.auth().mode().name());
        data.put("existingSecret", infra.auth().existingSecret().map(Infrastructure.SecretRef::name).orElse(""));
        data.put("dataPath", profile.dataPath());
        data.put("writable", InfrastructureValues.writableData(profile));
        data.put("notes", profile.notes());
        data.put("mongodbRootUser", InfrastructureValues.MONGODB_ROOT_USER);
        return data;
    }
}
