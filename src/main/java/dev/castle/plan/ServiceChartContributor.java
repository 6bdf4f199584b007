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
 * README, and templates of one line each, every one an include of the castle-common library that
 * renders its object when the values switch it on.
 */
final class ServiceChartContributor implements Contributor {

    /** A chart template: an include of the library, and the condition under which the service's chart has it. */
    record ChartTemplate(String output, String template, boolean kindArgument, Predicate<Service> when) {
        String arguments(Service s) {
            return kindArgument ? "(list . \"" + s.workload().name() + "\")" : ".";
        }
    }

    private static boolean longRunning(Service s) {
        return !s.workload().isBatch();
    }

    static final List<ChartTemplate> TEMPLATES = List.of(
            new ChartTemplate("templates/deployment.yaml", "deployment", false, s -> s.workload() == WorkloadKind.Deployment && s.versions().isEmpty()),
            new ChartTemplate("templates/versions.yaml", "versionDeployments", false, s -> s.workload() == WorkloadKind.Deployment && s.versions().isPresent()),
            new ChartTemplate("templates/version-routing.yaml", "versionRouting", false,
                    s -> s.workload() == WorkloadKind.Deployment && s.versions().isPresent() && s.hasService()),
            new ChartTemplate("templates/statefulset.yaml", "statefulset", false, s -> s.workload() == WorkloadKind.StatefulSet),
            new ChartTemplate("templates/service-headless.yaml", "headlessService", false, s -> s.workload() == WorkloadKind.StatefulSet),
            new ChartTemplate("templates/job.yaml", "job", false, s -> s.workload() == WorkloadKind.Job),
            new ChartTemplate("templates/cronjob.yaml", "cronjob", false, s -> s.workload() == WorkloadKind.CronJob),
            new ChartTemplate("templates/service.yaml", "service", false, s -> longRunning(s) && !s.ports().isEmpty()),
            new ChartTemplate("templates/services-extra.yaml", "extraServices", false, s -> longRunning(s) && !s.network().extraServices().isEmpty()),
            new ChartTemplate("templates/configmap.yaml", "configmap", false, s -> true),
            new ChartTemplate("templates/serviceaccount.yaml", "serviceaccount", false, s -> true),
            new ChartTemplate("templates/pvc.yaml", "persistentVolumeClaims", false, s -> s.workload() != WorkloadKind.StatefulSet),
            new ChartTemplate("templates/pdb.yaml", "pdb", true, ServiceChartContributor::longRunning),
            new ChartTemplate("templates/hpa.yaml", "hpa", true, ServiceChartContributor::longRunning),
            new ChartTemplate("templates/scaledobject.yaml", "scaledobject", true,
                    s -> s.operations().autoscaling().flatMap(Operations.Autoscaling::keda).isPresent()),
            new ChartTemplate("templates/vpa.yaml", "vpa", true, ServiceChartContributor::longRunning),
            new ChartTemplate("templates/route.yaml", "route", false, s -> longRunning(s) && s.hasService()),
            new ChartTemplate("templates/ingress.yaml", "ingress", false, s -> longRunning(s) && s.hasService()),
            new ChartTemplate("templates/certificate.yaml", "certificate", false, s -> longRunning(s) && s.hasService()),
            new ChartTemplate("templates/monitor.yaml", "monitor", false, s -> longRunning(s) && !s.ports().isEmpty()),
            new ChartTemplate("templates/prometheusrule.yaml", "prometheusrule", false, s -> true),
            new ChartTemplate("templates/canary.yaml", "canary", true, s -> s.canary().isPresent()),
            new ChartTemplate("templates/hooks.yaml", "hooks", false, s -> true),
            new ChartTemplate("templates/extra-objects.yaml", "extraObjects", false, s -> true),
            new ChartTemplate("templates/tests/test.yaml", "test", false, s -> longRunning(s) && !s.ports().isEmpty()));

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
            readme.put("workloadFile", service.workload().name().toLowerCase(java.util.Locale.ROOT) + ".yaml");
            files.add(new PlannedFile.FromTemplate(dir + "README.md", "service/README.md.ftl", readme));
            for (ChartTemplate template : TEMPLATES) {
                if (template.when().test(service)) {
                    files.add(new PlannedFile.FromTemplate(dir + template.output(), "chart/include.yaml.ftl",
                            Map.of("template", template.template(), "arguments", template.arguments(service))));
                }
            }
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
