package dev.castle.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/** The parent chart at {@code <system>/}: Chart.yaml, values, schema, README, NOTES.txt. */
final class ParentChartContributor implements Contributor {

    @Override
    public List<PlannedFile> contribute(SystemModel system) {
        String dir = system.metadata().name() + "/";
        ChartValues values = parentValues(system);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("system", system.metadata().name());
        List<Map<String, Object>> services = new ArrayList<>();
        for (Service s : system.services()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", s.name());
            entry.put("workload", s.workload().name());
            entry.put("hasService", s.hasService());
            entry.put("port", s.ports().stream().filter(Service.Port::exposed).findFirst().map(Service.Port::servicePort).orElse(0));
            entry.put("description", Markdown.text(ChartMetadata.describe(system, s)));
            entry.put("image", Markdown.text(s.image().reference()));
            services.add(entry);
        }
        data.put("services", services);
        data.put("description", Markdown.text(system.metadata().description()));
        data.put("version", system.metadata().version());
        data.put("sections", Markdown.parameterSections(values));
        List<PlannedFile> files = new ArrayList<>();
        files.add(new PlannedFile.YamlDocument(dir + "Chart.yaml", ChartMetadata.forSystem(system)));
        files.add(new PlannedFile.ValuesDocument(dir + "values.yaml", "Values of the " + system.metadata().name()
                + " system; each service's own values are in charts/<service>/values.yaml and may be set here under its name", values));
        files.add(new PlannedFile.JsonDocument(dir + "values.schema.json", values.jsonSchema(
                "Values of the " + system.metadata().name() + " chart", Map.of())));
        files.add(new PlannedFile.FromTemplate(dir + "README.md", "chart/README.md.ftl", data));
        files.add(new PlannedFile.FromTemplate(dir + "templates/NOTES.txt", "chart/NOTES.txt.ftl", data));
        files.add(new PlannedFile.FromTemplate(dir + ".helmignore", "chart/helmignore.ftl", data));
        return files;
    }

    static ChartValues parentValues(SystemModel system) {
        ChartValues values = new ChartValues();
        values.section("Global parameters")
                .param("global.imageRegistry", "", "Registry that replaces the registry of every image (a mirror)", Schemas.string())
                .param("global.imagePullSecrets", List.of(), "Names of existing Secrets added to every pod's imagePullSecrets", Schemas.array(Schemas.string()));
        values.section("Services");
        for (Service s : system.services()) {
            values.param(s.name() + ".enabled", true, "Install the " + s.name() + " service (its values: charts/" + s.name() + "/values.yaml)", Schemas.bool());
            values.openObject(s.name());
        }
        return values;
    }
}
