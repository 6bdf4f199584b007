package dev.castle.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.castle.model.Infrastructure;
import dev.castle.model.ManagedCharts;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/** Chart.yaml contents of the parent chart and the subcharts. */
final class ChartMetadata {
    /** The preStop sleep action needs Kubernetes 1.30; the Kustomize output is rendered for this version too. */
    static final String KUBE_VERSION = ">=1.30.0-0";

    private ChartMetadata() {
    }

    static String describe(SystemModel system, Service service) {
        return service.description().isEmpty()
                ? "The " + service.name() + " service of the " + system.metadata().name() + " system."
                : service.description();
    }

    static Map<String, Object> forService(SystemModel system, Service service) {
        Map<String, Object> chart = new LinkedHashMap<>();
        chart.put("apiVersion", "v2");
        chart.put("name", service.name());
        chart.put("description", describe(system, service));
        chart.put("type", "application");
        chart.put("version", system.metadata().version());
        chart.put("appVersion", appVersion(service.container().image()));
        chart.put("kubeVersion", KUBE_VERSION);
        repositoryInfo(chart, system.metadata().chart());
        chart.put("annotations", Map.of("castle.dev/generated", "true", "artifacthub.io/images", images(serviceImages(system, service))));
        return chart;
    }

    /** Chart.yaml of the subchart of an embedded infrastructure component (the parent lists it). */
    static Map<String, Object> forInfrastructure(SystemModel system, Infrastructure infra) {
        Map<String, Object> chart = new LinkedHashMap<>();
        chart.put("apiVersion", "v2");
        chart.put("name", infra.name());
        chart.put("description", "The " + infra.name() + " " + infra.type().name() + " of the " + system.metadata().name()
                + " system: one pod of the official image.");
        chart.put("type", "application");
        chart.put("version", system.metadata().version());
        chart.put("appVersion", appVersion(infra.image()));
        chart.put("kubeVersion", KUBE_VERSION);
        repositoryInfo(chart, system.metadata().chart());
        chart.put("annotations", Map.of("castle.dev/generated", "true",
                "artifacthub.io/images", images(infrastructureImages(system, infra))));
        return chart;
    }

    /** Chart.yaml of the subchart of a component run by an operator or claimed from Crossplane (the parent lists it). */
    static Map<String, Object> forManaged(SystemModel system, String name, Infrastructure infra, String description) {
        Map<String, Object> chart = new LinkedHashMap<>();
        chart.put("apiVersion", "v2");
        chart.put("name", name);
        chart.put("description", description);
        chart.put("type", "application");
        chart.put("version", system.metadata().version());
        chart.put("appVersion", infra.mode() == Infrastructure.Mode.operator
                ? infra.operator().version().orElse(infra.type() == Infrastructure.Type.kafka ? system.metadata().appVersion() : infra.type().defaultTag)
                : system.metadata().appVersion());
        chart.put("kubeVersion", KUBE_VERSION);
        repositoryInfo(chart, system.metadata().chart());
        chart.put("annotations", Map.of("castle.dev/generated", "true"));
        return chart;
    }

    /** The component's image, its exporter's, and the credentials Job's when a Job generates its credentials. */
    private static Map<String, String> infrastructureImages(SystemModel system, Infrastructure infra) {
        Map<String, String> images = new LinkedHashMap<>();
        images.put(infra.name(), infra.image().reference());
        infra.server().exporter().ifPresent(exporter -> images.put(infra.name() + "-exporter", exporter.reference()));
        if (infra.generatesCredentials()) {
            images.put("credentials", system.helpers().credentialsJob().reference());
        }
        return images;
    }

    static Map<String, Object> forSystem(SystemModel system) {
        SystemModel.Metadata meta = system.metadata();
        Map<String, Object> chart = new LinkedHashMap<>();
        chart.put("apiVersion", "v2");
        chart.put("name", meta.name());
        chart.put("description", meta.description().isEmpty() ? "The " + meta.name() + " system." : meta.description());
        chart.put("type", "application");
        chart.put("version", meta.version());
        chart.put("appVersion", meta.appVersion());
        chart.put("kubeVersion", KUBE_VERSION);
        SystemModel.ChartInfo info = meta.chart();
        repositoryInfo(chart, info);
        Map<String, Object> annotations = new java.util.TreeMap<>(info.annotations());
        annotations.put("castle.dev/generated", "true");
        Map<String, String> images = new LinkedHashMap<>();
        system.services().forEach(service -> images.putAll(serviceImages(system, service)));
        system.infrastructure().stream().filter(infra -> infra.mode() == Infrastructure.Mode.embedded)
                .forEach(infra -> images.putAll(infrastructureImages(system, infra)));
        annotations.put("artifacthub.io/images", images(images));
        chart.put("annotations", annotations);
        List<Object> dependencies = new ArrayList<>();
        dependencies.add(LibraryChartContributor.dependency("file://charts/" + LibraryChartContributor.NAME));
        for (Service service : system.services()) {
            Map<String, Object> dependency = new LinkedHashMap<>();
            dependency.put("name", service.name());
            dependency.put("version", meta.version());
            dependency.put("repository", "file://charts/" + service.name());
            dependency.put("condition", service.name() + ".enabled");
            dependencies.add(dependency);
        }
        for (Infrastructure infra : system.infrastructure()) {
            Map<String, Object> dependency = new LinkedHashMap<>();
            if (infra.mode() == Infrastructure.Mode.embedded) {
                dependency.put("name", infra.name());
                dependency.put("version", meta.version());
                dependency.put("repository", "file://charts/" + infra.name());
            } else if (infra.mode() == Infrastructure.Mode.chart) {
                Infrastructure.UpstreamChart upstream = infra.chart().orElseThrow();
                dependency.put("name", upstream.name());
                dependency.put("version", upstream.version());
                dependency.put("repository", upstream.repository());
                dependency.put("alias", infra.name());
            } else {
                continue;
            }
            dependency.put("condition", infra.name() + ".enabled");
            dependencies.add(dependency);
        }
        for (ManagedCharts.Chart managed : ManagedCharts.of(system)) {
            Map<String, Object> dependency = new LinkedHashMap<>();
            dependency.put("name", managed.name());
            dependency.put("version", meta.version());
            dependency.put("repository", "file://charts/" + managed.name());
            dependency.put("condition", managed.name() + ".enabled");
            dependencies.add(dependency);
        }
        for (ObservabilityStack.Component component : ObservabilityStack.of(system)) {
            Map<String, Object> dependency = new LinkedHashMap<>();
            dependency.put("name", component.chart());
            dependency.put("version", component.version());
            dependency.put("repository", component.repository());
            dependency.put("alias", component.alias());
            dependency.put("condition", component.alias() + ".enabled");
            dependencies.add(dependency);
        }
        chart.put("dependencies", dependencies);
        return chart;
    }

    /** keywords, home, sources, maintainers and icon, as chart repositories and Artifact Hub show them. */
    private static void repositoryInfo(Map<String, Object> chart, SystemModel.ChartInfo info) {
        if (!info.keywords().isEmpty()) {
            chart.put("keywords", info.keywords());
        }
        info.home().ifPresent(home -> chart.put("home", home));
        if (!info.sources().isEmpty()) {
            chart.put("sources", info.sources());
        }
        if (!info.maintainers().isEmpty()) {
            chart.put("maintainers", info.maintainers());
        }
        info.icon().ifPresent(icon -> chart.put("icon", icon));
    }

    /** Every image a service's chart can run, by a name: the service, its canary, hooks, sidecars, init containers and versions, the wait and test container. */
    private static Map<String, String> serviceImages(SystemModel system, Service service) {
        Map<String, String> images = new LinkedHashMap<>();
        images.put(service.name(), service.container().image().reference());
        service.canary().ifPresent(canary -> images.put(service.name() + "-canary", canary.image().reference()));
        service.operations().hooks().forEach(hook -> images.put(service.name() + "-" + hook.name(), hook.image().reference()));
        service.companions().sidecars().forEach(c -> images.put(service.name() + "-" + c.name(), c.image().reference()));
        service.companions().initContainers().forEach(c -> images.put(service.name() + "-" + c.name(), c.image().reference()));
        service.versions().ifPresent(v -> v.versions().forEach(version -> images.put(service.name() + "-" + version.name(), version.image().reference())));
        images.put("busybox", system.helpers().tools().reference());
        return images;
    }

    /**
     * The emitter of the images annotation, made once per thread: one was made per chart, and making a
     * SnakeYAML instance (its representers and resolver) cost more than the dump.
     */
    private static final ThreadLocal<org.yaml.snakeyaml.Yaml> IMAGES_EMITTER = ThreadLocal.withInitial(() -> {
        org.yaml.snakeyaml.DumperOptions options = new org.yaml.snakeyaml.DumperOptions();
        options.setDefaultFlowStyle(org.yaml.snakeyaml.DumperOptions.FlowStyle.BLOCK);
        options.setWidth(Integer.MAX_VALUE);
        return new org.yaml.snakeyaml.Yaml(options);
    });

    /** Artifact Hub's artifacthub.io/images annotation: each image once, named by what runs it first. */
    private static String images(Map<String, String> byName) {
        Map<String, String> byImage = new LinkedHashMap<>();
        byName.forEach((name, image) -> byImage.putIfAbsent(image, name));
        List<Object> list = new ArrayList<>();
        byImage.forEach((image, name) -> {
            Map<String, String> entry = new LinkedHashMap<>();
            entry.put("name", name);
            entry.put("image", image);
            list.add(entry);
        });
        return IMAGES_EMITTER.get().dump(list);
    }

    private static String appVersion(Service.Image image) {
        if (!image.tag().isEmpty()) {
            return image.tag();
        }
        String digest = image.digest();
        return digest.substring(digest.indexOf(':') + 1, Math.min(digest.length(), digest.indexOf(':') + 13));
    }
}
