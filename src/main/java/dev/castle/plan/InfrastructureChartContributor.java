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
 * StatefulSet of one pod of the official image, its client and headless Services, its credentials
 * Secret, a ServiceAccount and a {@code helm test} hook. The parent chart lists these subcharts.
 */
final class InfrastructureChartContributor implements Contributor {

    /** A chart template and the condition under which the component needs it. */
    record ChartTemplate(String output, String template, Predicate<Infrastructure> when) {
    }

    /** Types whose pod mounts a ConfigMap of castle's own text (an init script, a configuration file). */
    static boolean hasConfigMap(Infrastructure infra) {
        return infra.type() == Type.mongodb || infra.type() == Type.rabbitmq;
    }

    static final List<ChartTemplate> TEMPLATES = List.of(
            new ChartTemplate("templates/_helpers.tpl", "service/_helpers.tpl.ftl", i -> true),
            new ChartTemplate("templates/statefulset.yaml", "infra/statefulset.yaml.ftl", i -> true),
            new ChartTemplate("templates/service.yaml", "infra/service.yaml.ftl", i -> true),
            new ChartTemplate("templates/service-headless.yaml", "infra/service-headless.yaml.ftl", i -> true),
            new ChartTemplate("templates/secret.yaml", "infra/secret.yaml.ftl", i -> i.type().hasCredentials()),
            new ChartTemplate("templates/configmap.yaml", "infra/configmap.yaml.ftl", InfrastructureChartContributor::hasConfigMap),
            new ChartTemplate("templates/serviceaccount.yaml", "infra/serviceaccount.yaml.ftl", i -> true),
            new ChartTemplate("templates/tests/test-connection.yaml", "infra/tests/test-connection.yaml.ftl", i -> true));

    @Override
    public List<PlannedFile> contribute(SystemModel system) {
        List<PlannedFile> files = new ArrayList<>();
        for (Infrastructure infra : system.infrastructure()) {
            if (infra.mode() != Infrastructure.Mode.embedded) {
                continue;
            }
            String dir = system.metadata().name() + "/charts/" + infra.name() + "/";
            ChartValues values = InfrastructureValues.forInfrastructure(system, infra);
            Map<String, Object> data = templateData(system, infra);
            files.add(new PlannedFile.YamlDocument(dir + "Chart.yaml", ChartMetadata.forInfrastructure(system, infra)));
            files.add(new PlannedFile.ValuesDocument(dir + "values.yaml", "Values of the " + infra.name() + " chart ("
                    + infra.type().name() + ")", values));
            files.add(new PlannedFile.JsonDocument(dir + "values.schema.json", values.jsonSchema(
                    "Values of the " + infra.name() + " chart", Map.of("enabled", Schemas.bool()))));
            files.add(new PlannedFile.FromTemplate(dir + ".helmignore", "chart/helmignore.ftl", data));
            Map<String, Object> readme = new LinkedHashMap<>(data);
            readme.put("sections", Markdown.parameterSections(values));
            readme.put("templates", TEMPLATES.stream().filter(t -> t.when().test(infra)).map(ChartTemplate::output).toList());
            files.add(new PlannedFile.FromTemplate(dir + "README.md", "infra/README.md.ftl", readme));
            for (ChartTemplate template : TEMPLATES) {
                if (template.when().test(infra)) {
                    files.add(new PlannedFile.FromTemplate(dir + template.output(), template.template(), data));
                }
            }
        }
        return files;
    }

    /** What templates may see: the chart name (a validated DNS label) and castle's own flags and constants. */
    static Map<String, Object> templateData(SystemModel system, Infrastructure infra) {
        InfrastructureValues.Profile profile = InfrastructureValues.profile(infra.type());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("chart", infra.name());
        data.put("system", system.metadata().name());
        data.put("type", infra.type().name());
        data.put("port", infra.type().port);
        data.put("component", profile.component());
        data.put("uid", profile.uid());
        data.put("hasCredentials", infra.type().hasCredentials());
        data.put("hasConfigMap", hasConfigMap(infra));
        data.put("dataPath", profile.dataPath());
        data.put("writable", InfrastructureValues.writableData(profile));
        data.put("notes", profile.notes());
        data.put("mongodbRootUser", InfrastructureValues.MONGODB_ROOT_USER);
        data.put("testUser", ServiceValues.TEST_USER);
        return data;
    }
}
