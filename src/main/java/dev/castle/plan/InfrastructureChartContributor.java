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
    record ChartTemplate(String template, Predicate<Infrastructure> when) {
    }

    static final List<ChartTemplate> TEMPLATES = List.of(
            new ChartTemplate("serviceaccount", i -> true),
            new ChartTemplate("credentials", Infrastructure::generatesCredentials),
            new ChartTemplate("engine.configmap", i -> i.type() == Type.mongodb || i.type() == Type.rabbitmq),
            new ChartTemplate("engine.serverConfigmap", i -> !i.type().configDirectory().isEmpty()),
            new ChartTemplate("service", i -> true),
            new ChartTemplate("headlessService", i -> true),
            new ChartTemplate("engine.statefulset", i -> true),
            new ChartTemplate("monitor", i -> i.server().metrics() && i.metricsPort() > 0),
            new ChartTemplate("extraObjects", i -> true),
            new ChartTemplate("test", i -> true));

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
            files.add(ResourcesFile.of(dir, TEMPLATES.stream().filter(t -> t.when().test(infra))
                    .map(t -> new ResourcesFile.Include(t.template(), ".")).toList()));
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
