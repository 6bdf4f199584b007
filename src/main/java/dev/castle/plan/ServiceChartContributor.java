package dev.castle.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import dev.castle.model.Operations;
import dev.castle.model.Service;
import dev.castle.model.Service.WorkloadKind;
import dev.castle.model.SystemModel;

/**
 * One subchart per service under {@code <system>/charts/<service>/}: Chart.yaml, values, schema,
 * README, and one template file, {@link ResourcesFile}: a line per object kind, each an include of
 * the castle-common library that renders its object when the values switch it on.
 */
final class ServiceChartContributor implements Contributor {

    /** A chart template: an include of the library, and the condition under which the service's chart has it. */
    record ChartTemplate(String template, boolean kindArgument, Predicate<Service> when) {
        String arguments(Service s) {
            return kindArgument ? "(list . \"" + s.workload().name() + "\")" : ".";
        }
    }

    private static boolean longRunning(Service s) {
        return !s.workload().isBatch();
    }

    /** In the order the lines appear: what a pod needs first, then the workload, its scaling, exposure, monitoring, release and tests. */
    static final List<ChartTemplate> TEMPLATES = List.of(
            new ChartTemplate("serviceaccount", false, s -> true),
            new ChartTemplate("configmap", false, s -> true),
            new ChartTemplate("persistentVolumeClaims", false, s -> s.workload() != WorkloadKind.StatefulSet),
            new ChartTemplate("service", false, s -> longRunning(s) && !s.ports().isEmpty()),
            new ChartTemplate("headlessService", false, s -> s.workload() == WorkloadKind.StatefulSet),
            new ChartTemplate("extraServices", false, s -> longRunning(s) && !s.network().extraServices().isEmpty()),
            new ChartTemplate("deployment", false, s -> s.workload() == WorkloadKind.Deployment && s.versions().isEmpty()),
            new ChartTemplate("versionDeployments", false, s -> s.workload() == WorkloadKind.Deployment && s.versions().isPresent()),
            new ChartTemplate("statefulset", false, s -> s.workload() == WorkloadKind.StatefulSet),
            new ChartTemplate("job", false, s -> s.workload() == WorkloadKind.Job),
            new ChartTemplate("cronjob", false, s -> s.workload() == WorkloadKind.CronJob),
            new ChartTemplate("versionRouting", false, s -> s.workload() == WorkloadKind.Deployment && s.versions().isPresent() && s.hasService()),
            new ChartTemplate("pdb", true, ServiceChartContributor::longRunning),
            new ChartTemplate("hpa", true, ServiceChartContributor::longRunning),
            new ChartTemplate("scaledobject", true, s -> s.operations().autoscaling().flatMap(Operations.Autoscaling::keda).isPresent()),
            new ChartTemplate("vpa", true, ServiceChartContributor::longRunning),
            new ChartTemplate("route", false, s -> longRunning(s) && s.hasService()),
            new ChartTemplate("ingress", false, s -> longRunning(s) && s.hasService()),
            new ChartTemplate("certificate", false, s -> longRunning(s) && s.hasService()),
            new ChartTemplate("monitor", false, s -> longRunning(s) && !s.ports().isEmpty()),
            new ChartTemplate("prometheusrule", false, s -> true),
            new ChartTemplate("canary", true, s -> s.canary().isPresent()),
            new ChartTemplate("hooks", false, s -> true),
            new ChartTemplate("extraObjects", false, s -> true),
            new ChartTemplate("test", false, s -> longRunning(s) && !s.ports().isEmpty()));

    private final ChartValuesMemo memo;

    ServiceChartContributor(ChartValuesMemo memo) {
        this.memo = memo;
    }

    @Override
    public List<PlannedFile> contribute(SystemModel system) {
        List<PlannedFile> files = new ArrayList<>();
        for (Service service : system.services()) {
            String dir = system.metadata().name() + "/charts/" + service.name() + "/";
            ChartValues values = memo.service(system, service);
            files.add(new PlannedFile.YamlDocument(dir + "Chart.yaml", ChartMetadata.forService(system, service)));
            files.add(new PlannedFile.ValuesDocument(dir + "values.yaml", "Values of the " + service.name() + " chart", values));
            files.add(new PlannedFile.JsonDocument(dir + "values.schema.json", values.topLevelSchema(
                    "Values of the " + service.name() + " chart", SUBCHART_KEYS)));
            Map<String, Object> readme = new LinkedHashMap<>();
            readme.put("chart", service.name());
            readme.put("system", system.metadata().name());
            readme.put("description", Markdown.text(ChartMetadata.describe(system, service)));
            files.add(new PlannedFile.FromTemplate(dir + "README.md", "service/README.md.ftl", readme));
            files.add(ResourcesFile.of(dir, TEMPLATES.stream().filter(t -> t.when().test(service))
                    .map(t -> new ResourcesFile.Include(t.template(), t.arguments(service))).toList()));
        }
        return files;
    }

    /** Keys Helm adds to a subchart's values: the parent's condition, the globals, and the library once vendored. */
    /** In a fixed order: Map.of's order changes from one JVM to the next, and so would values.schema.json. */
    static final Map<String, Map<String, Object>> SUBCHART_KEYS = subchartKeys();

    private static Map<String, Map<String, Object>> subchartKeys() {
        Map<String, Map<String, Object>> keys = new LinkedHashMap<>();
        keys.put("enabled", Schemas.bool());
        keys.put("global", Schemas.object());
        keys.put(LibraryChartContributor.NAME, Schemas.object());
        return java.util.Collections.unmodifiableMap(keys);
    }
}
