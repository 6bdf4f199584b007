package dev.castle.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.castle.model.SystemModel;

/**
 * The castle-common library chart at {@code <system>/charts/castle-common/}: the one place where a
 * pod, a workload, a Service, an autoscaler, a route... is spelled out. Every subchart's templates
 * include it, with the subchart's own values. Only the parent chart declares it: Helm parses the
 * templates of every chart of a release into one set, so one copy serves every subchart. A subchart
 * does not declare it too, although that would let it render alone after helm dependency build:
 * for every chart that declares a dependency, Helm merges (and copies) the whole release's values
 * once (chartutil.processDependencyEnabled), which made helm template of 1,000 services take 367 s
 * instead of 27 s. A subchart renders as part of the parent (helm template --show-only).
 */
final class LibraryChartContributor implements Contributor {
    static final String NAME = "castle-common";
    /** Version of the library; raised with every change of its templates or of the values they read. */
    static final String VERSION = "1.3.0";
    static final List<String> FILES = List.of("_names.tpl", "_pod.tpl", "_env.tpl", "_workloads.tpl", "_service.tpl",
            "_scaling.tpl", "_exposure.tpl", "_observability.tpl", "_canary.tpl", "_hooks.tpl", "_tests.tpl", "_engines.tpl",
            "_system.tpl", "_credentials.tpl", "_secrets.tpl", "_operators.tpl", "_egress.tpl", "_shared.tpl", "_versions.tpl");

    @Override
    public List<PlannedFile> contribute(SystemModel system) {
        String dir = system.metadata().name() + "/charts/" + NAME + "/";
        List<PlannedFile> files = new ArrayList<>();
        Map<String, Object> chart = new LinkedHashMap<>();
        chart.put("apiVersion", "v2");
        chart.put("name", NAME);
        chart.put("description", "Named templates of castle's charts: every object of a service or component, written from the values of the chart that includes it.");
        chart.put("type", "library");
        chart.put("version", VERSION);
        chart.put("annotations", Map.of("castle.dev/generated", "true"));
        files.add(new PlannedFile.YamlDocument(dir + "Chart.yaml", chart));
        for (String file : FILES) {
            files.add(new PlannedFile.Verbatim(dir + "templates/" + file, "library/templates/" + file));
        }
        return files;
    }

    /** The dependency on the library, as the parent chart lists it. */
    static Map<String, Object> dependency(String repository) {
        Map<String, Object> dependency = new LinkedHashMap<>();
        dependency.put("name", NAME);
        dependency.put("version", VERSION);
        dependency.put("repository", repository);
        return dependency;
    }
}
