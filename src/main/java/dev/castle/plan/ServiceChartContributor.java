package dev.castle.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import dev.castle.model.Canary;
import dev.castle.model.Operations;
import dev.castle.model.Service;
import dev.castle.model.Service.WorkloadKind;
import dev.castle.model.SystemModel;

/** One subchart per service under {@code <system>/charts/<service>/}, with only the resources it needs. */
final class ServiceChartContributor implements Contributor {

    /** A chart template and the condition under which the service needs it. */
    record ChartTemplate(String output, String template, Predicate<Service> when) {
    }

    static final List<ChartTemplate> TEMPLATES = List.of(
            new ChartTemplate("templates/_helpers.tpl", "service/_helpers.tpl.ftl", s -> true),
            new ChartTemplate("templates/_pod.tpl", "service/_pod.tpl.ftl", s -> true),
            new ChartTemplate("templates/deployment.yaml", "service/deployment.yaml.ftl", s -> s.workload() == WorkloadKind.Deployment),
            new ChartTemplate("templates/statefulset.yaml", "service/statefulset.yaml.ftl", s -> s.workload() == WorkloadKind.StatefulSet),
            new ChartTemplate("templates/job.yaml", "service/job.yaml.ftl", s -> s.workload() == WorkloadKind.Job),
            new ChartTemplate("templates/cronjob.yaml", "service/cronjob.yaml.ftl", s -> s.workload() == WorkloadKind.CronJob),
            new ChartTemplate("templates/service.yaml", "service/service.yaml.ftl", s -> s.hasService() && !canary(s, Canary.Strategy.FLAGGER)),
            new ChartTemplate("templates/service-headless.yaml", "service/service-headless.yaml.ftl", s -> s.workload() == WorkloadKind.StatefulSet),
            new ChartTemplate("templates/configmap.yaml", "service/configmap.yaml.ftl", s -> s.configuration().config().isPresent()),
            new ChartTemplate("templates/serviceaccount.yaml", "service/serviceaccount.yaml.ftl", s -> s.pod().serviceAccount().create()),
            new ChartTemplate("templates/pdb.yaml", "service/pdb.yaml.ftl", s -> s.scheduling().disruptionBudget().isPresent()),
            new ChartTemplate("templates/pvc.yaml", "service/pvc.yaml.ftl", s -> s.workload() == WorkloadKind.Deployment
                    && s.volumes().stream().anyMatch(v -> v.source() instanceof Service.Persistent)),
            new ChartTemplate("templates/tests/test-connection.yaml", "service/tests/test-connection.yaml.ftl", Service::hasService),
            new ChartTemplate("templates/route.yaml", "service/route.yaml.ftl",
                    s -> exposedVia(s, Operations.Via.gateway) && !(canary(s, Canary.Strategy.FLAGGER) && router(s, Canary.Router.GATEWAY_API))),
            new ChartTemplate("templates/ingress.yaml", "service/ingress.yaml.ftl",
                    s -> exposedVia(s, Operations.Via.ingress)),
            new ChartTemplate("templates/certificate.yaml", "service/certificate.yaml.ftl",
                    s -> s.operations().expose().flatMap(Operations.Expose::tls).filter(t -> t.certificate() && t.issuer().isPresent()).isPresent()),
            new ChartTemplate("templates/hpa.yaml", "service/hpa.yaml.ftl",
                    s -> s.operations().autoscaling().filter(a -> a.keda().isEmpty()).isPresent()),
            new ChartTemplate("templates/scaledobject.yaml", "service/scaledobject.yaml.ftl",
                    s -> s.operations().autoscaling().flatMap(Operations.Autoscaling::keda).isPresent()),
            new ChartTemplate("templates/vpa.yaml", "service/vpa.yaml.ftl",
                    s -> s.operations().autoscaling().filter(Operations.Autoscaling::vpa).isPresent()),
            new ChartTemplate("templates/servicemonitor.yaml", "service/servicemonitor.yaml.ftl", s -> s.operations().metrics().isPresent()),
            new ChartTemplate("templates/prometheusrule.yaml", "service/prometheusrule.yaml.ftl", s -> !s.operations().alerts().isEmpty()),
            new ChartTemplate("templates/hooks.yaml", "service/hooks.yaml.ftl", s -> !s.operations().hooks().isEmpty()),
            new ChartTemplate("templates/canary-deployment.yaml", "service/canary-deployment.yaml.ftl",
                    s -> s.canary().filter(Canary::castleManagesTracks).isPresent()),
            new ChartTemplate("templates/canary-configmap.yaml", "service/canary-configmap.yaml.ftl",
                    s -> s.canary().isPresent() && s.configuration().config().isPresent()),
            new ChartTemplate("templates/canary-service.yaml", "service/canary-service.yaml.ftl",
                    s -> canary(s, Canary.Strategy.GATEWAY_API) || canary(s, Canary.Strategy.INGRESS_NGINX) || canary(s, Canary.Strategy.ARGO_ROLLOUTS)),
            new ChartTemplate("templates/canary-httproute.yaml", "service/canary-httproute.yaml.ftl",
                    s -> (canary(s, Canary.Strategy.GATEWAY_API) || canary(s, Canary.Strategy.ARGO_ROLLOUTS) && router(s, Canary.Router.GATEWAY_API)) && !exposedVia(s, Operations.Via.gateway)),
            new ChartTemplate("templates/canary-ingress.yaml", "service/canary-ingress.yaml.ftl", s -> canary(s, Canary.Strategy.INGRESS_NGINX)),
            new ChartTemplate("templates/canary-istio.yaml", "service/canary-istio.yaml.ftl",
                    s -> canary(s, Canary.Strategy.ISTIO) || canary(s, Canary.Strategy.ARGO_ROLLOUTS) && router(s, Canary.Router.ISTIO)),
            new ChartTemplate("templates/canary-flagger.yaml", "service/canary-flagger.yaml.ftl", s -> canary(s, Canary.Strategy.FLAGGER)));

    private static boolean canary(Service s, Canary.Strategy strategy) {
        return s.canary().filter(c -> c.strategy() == strategy).isPresent();
    }

    private static boolean router(Service s, Canary.Router router) {
        return s.canary().filter(c -> c.router() == router).isPresent();
    }

    private static boolean exposedVia(Service s, Operations.Via via) {
        return s.operations().expose().filter(e -> e.via() == via).isPresent();
    }

    @Override
    public List<PlannedFile> contribute(SystemModel system) {
        List<PlannedFile> files = new ArrayList<>();
        for (Service service : system.services()) {
            String dir = system.metadata().name() + "/charts/" + service.name() + "/";
            ChartValues values = ServiceValues.forService(system, service);
            Map<String, Object> data = templateData(system, service);
            files.add(new PlannedFile.YamlDocument(dir + "Chart.yaml", ChartMetadata.forService(system, service)));
            files.add(new PlannedFile.ValuesDocument(dir + "values.yaml", "Values of the " + service.name() + " chart", values));
            files.add(new PlannedFile.JsonDocument(dir + "values.schema.json", values.jsonSchema(
                    "Values of the " + service.name() + " chart", Map.of("enabled", Schemas.bool()))));
            files.add(new PlannedFile.FromTemplate(dir + ".helmignore", "chart/helmignore.ftl", data));
            Map<String, Object> readme = new LinkedHashMap<>(data);
            readme.put("description", Markdown.text(ChartMetadata.describe(system, service)));
            readme.put("sections", Markdown.parameterSections(values));
            readme.put("templates", TEMPLATES.stream().filter(t -> t.when().test(service)).map(ChartTemplate::output).toList());
            files.add(new PlannedFile.FromTemplate(dir + "README.md", "service/README.md.ftl", readme));
            for (ChartTemplate template : TEMPLATES) {
                if (template.when().test(service)) {
                    files.add(new PlannedFile.FromTemplate(dir + template.output(), template.template(), data));
                }
            }
        }
        return files;
    }

    /** What templates may see: the chart name (a validated DNS label) and castle's own flags. */
    static Map<String, Object> templateData(SystemModel system, Service s) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("chart", s.name());
        data.put("system", system.metadata().name());
        data.put("workload", s.workload().name());
        data.put("batch", s.workload().isBatch());
        data.put("hasService", s.hasService());
        data.put("hasConfig", s.configuration().config().isPresent());
        data.put("hasPorts", !s.ports().isEmpty());
        data.put("createServiceAccount", s.pod().serviceAccount().create());
        data.put("hasPersistentVolumes", s.volumes().stream().anyMatch(v -> v.source() instanceof Service.Persistent));
        data.put("testUser", ServiceValues.TEST_USER);
        data.put("waitUser", ServiceValues.TEST_USER);
        CanaryValues.templateData(data, s);
        return data;
    }
}
