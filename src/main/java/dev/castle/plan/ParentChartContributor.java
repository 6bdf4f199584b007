package dev.castle.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.castle.model.Infrastructure;
import dev.castle.model.ManagedCharts;
import dev.castle.model.NetworkPolicies;
import dev.castle.model.OperatorWiring;
import dev.castle.model.Operations;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/** The parent chart at {@code <system>/}: Chart.yaml, values, schema, README, NOTES.txt. */
final class ParentChartContributor implements Contributor {
    private final ChartValuesMemo memo;

    ParentChartContributor(ChartValuesMemo memo) {
        this.memo = memo;
    }

    @Override
    public List<PlannedFile> contribute(SystemModel system) {
        String dir = system.metadata().name() + "/";
        ChartValues values = memo.parent(system);
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
            entry.put("image", Markdown.text(s.container().image().reference()));
            services.add(entry);
        }
        data.put("services", services);
        List<Map<String, Object>> components = new ArrayList<>();
        for (Infrastructure infra : system.infrastructure()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", infra.name());
            entry.put("type", infra.type().name());
            entry.put("mode", infra.mode().name());
            entry.put("port", infra.port());
            entry.put("credentials", infra.credentials().isPresent());
            entry.put("auth", infra.auth().mode().name());
            components.add(entry);
        }
        data.put("components", components);
        List<Map<String, Object>> managed = new ArrayList<>();
        for (ManagedCharts.Chart chart : ManagedCharts.of(system)) {
            Infrastructure infra = chart.infra();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("chart", chart.name());
            entry.put("name", infra.name());
            entry.put("type", infra.type().name());
            entry.put("runner", "run by " + OperatorValues.runner(infra));
            boolean operator = infra.mode() == Infrastructure.Mode.operator && OperatorWiring.TYPES.contains(infra.type());
            entry.put("host", operator ? OperatorWiring.host(infra).replace("{release}", "{{ .Release.Name }}") : "");
            entry.put("port", infra.port());
            entry.put("secret", infra.type() == Infrastructure.Type.kafka && operator ? "{{ .Release.Name }}-" + infra.name() + "-<service> (one per service)"
                    : infra.credentials().map(s -> s.name().replace("{release}", "{{ .Release.Name }}")).orElse(""));
            managed.add(entry);
        }
        data.put("managed", managed);
        data.put("description", Markdown.text(system.metadata().description()));
        data.put("example", example(system));
        data.put("version", system.metadata().version());
        data.put("sections", Markdown.parameterSections(values));
        data.put("graph", dev.castle.graph.Mermaid.render(dev.castle.graph.GraphBuilder.of(system)));
        List<PlannedFile> files = new ArrayList<>();
        files.add(new PlannedFile.YamlDocument(dir + "Chart.yaml", ChartMetadata.forSystem(system)));
        files.add(new PlannedFile.ValuesDocument(dir + "values.yaml", "Values of the " + system.metadata().name()
                + " system; each service's own values are in charts/<service>/values.yaml and may be set here under its name", values));
        files.add(new PlannedFile.JsonDocument(dir + "values.schema.json", schema(system, values, memo)));
        files.add(new PlannedFile.FromTemplate(dir + "README.md", "chart/README.md.ftl", data));
        files.add(new PlannedFile.FromTemplate(dir + "templates/NOTES.txt", "chart/NOTES.txt.ftl", data));
        files.add(new PlannedFile.FromTemplate(dir + ".helmignore", "chart/helmignore.ftl", data));
        if (system.network().policies()) {
            files.add(include(dir + "templates/networkpolicies.yaml", "networkPolicies"));
        }
        if (system.gateway().create()) {
            files.add(include(dir + "templates/gateway.yaml", "gateway"));
        }
        if (system.observability().instrumentation()) {
            files.add(include(dir + "templates/instrumentation.yaml", "instrumentation"));
        }
        if (SecretsValues.hasSecrets(system)) {
            files.add(include(dir + "templates/secrets.yaml", "managedSecrets"));
        }
        if (SecretsValues.hasStore(system)) {
            files.add(include(dir + "templates/secretstore.yaml", "secretStore"));
        }
        if (!system.serviceAccounts().isEmpty()) {
            files.add(include(dir + "templates/serviceaccounts.yaml", "sharedServiceAccounts"));
        }
        if (!system.sharedConfig().isEmpty()) {
            files.add(include(dir + "templates/configmaps.yaml", "sharedConfigMaps"));
        }
        if (EgressValues.present(system)) {
            files.add(include(dir + "templates/egress.yaml", "externalEgress"));
        }
        if (system.namespace().quota()) {
            files.add(include(dir + "templates/resourcequota.yaml", "resourceQuota"));
            files.add(include(dir + "templates/limitrange.yaml", "limitRange"));
        }
        return files;
    }

    /** A --set example that works on this system: more pods for its first long-running service. */
    static String example(SystemModel system) {
        for (Service s : system.services()) {
            if (!s.workload().isBatch()) {
                return s.operations().autoscaling()
                        .map(a -> s.name() + ".autoscaling.maxReplicas=" + (a.maxReplicas() + 2))
                        .orElse(s.name() + ".replicaCount=" + (s.scheduling().replicas() + 1));
            }
        }
        return system.services().isEmpty() ? "networkPolicies.enabled=true" : system.services().get(0).name() + ".job.backoffLimit=5";
    }

    private static PlannedFile include(String path, String template) {
        return new PlannedFile.FromTemplate(path, "chart/include.yaml.ftl", Map.of("template", template, "arguments", "."));
    }

    /**
     * The parent chart's schema: its own values, and for each castle subchart a reference to the
     * whole schema of its values. Helm checks the parent's schema against the values merged with
     * every subchart's defaults, so one definition serves every subchart whose values have the same
     * shape (a thousand small services share one).
     */
    static Map<String, Object> schema(SystemModel system, ChartValues values, ChartValuesMemo memo) {
        Map<String, Object> root = values.jsonSchema("Values of the " + system.metadata().name() + " chart",
                Map.of(LibraryChartContributor.NAME, Schemas.object()));
        Map<String, Object> definitions = new java.util.TreeMap<>();
        Map<Map<String, Object>, String> names = new java.util.HashMap<>();
        Map<Object, String> namesByKey = new java.util.HashMap<>();
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = (Map<String, Object>) root.get("properties");
        java.util.function.BiConsumer<String, ChartValues> add = (name, chartValues) -> {
            // each definition is dropped as soon as it is found equal to one kept: a thousand alike services hold one;
            // one whose values are made of the same params as an earlier one's is not even built
            String reference = namesByKey.computeIfAbsent(chartValues.definitionKey(ServiceChartContributor.SUBCHART_KEYS),
                    key -> names.computeIfAbsent(chartValues.definition(ServiceChartContributor.SUBCHART_KEYS), d -> {
                        definitions.put(name, d);
                        return name;
                    }));
            properties.put(name, new LinkedHashMap<>(Map.of("$ref", "#/definitions/" + reference)));
        };
        for (Service s : system.services()) {
            add.accept(s.name(), memo.service(system, s));
        }
        for (Infrastructure infra : system.infrastructure()) {
            if (infra.mode() == Infrastructure.Mode.embedded) {
                add.accept(infra.name(), memo.infrastructure(system, infra));
            }
        }
        for (ManagedCharts.Chart managed : ManagedCharts.of(system)) {
            add.accept(managed.name(), OperatorValues.forComponent(managed.model(), managed.infra()));
        }
        root.put("definitions", definitions);
        return root;
    }

    static ChartValues parentValues(SystemModel system) {
        return parentValues(system, name -> true);
    }

    /** The parent's values for the services and components that run (an environment switches some off). */
    static ChartValues parentValues(SystemModel system, java.util.function.Predicate<String> runs) {
        ChartValues values = new ChartValues();
        values.section("Global parameters")
                .param("global.imageRegistry", "", "Registry that replaces the registry of every image (a mirror)", Schemas.string())
                .param("global.imagePullSecrets", List.of(), "Names of existing Secrets added to every pod's imagePullSecrets", Schemas.array(Schemas.string()))
                .param("global.offline", false, "Render for the Kustomize output (castle sets it there): lifecycle and credentials hooks as Argo CD hooks", Schemas.bool())
                .param("commonLabels", Map.of(), "Labels added to the parent chart's own objects (network policies, quota, Gateway...)", Schemas.stringMap())
                .param("commonAnnotations", Map.of(), "Annotations added to the parent chart's own objects", Schemas.stringMap());
        SharedValues.globals(values, system);
        values.section("Services");
        for (Service s : system.services()) {
            values.param(s.name() + ".enabled", true, "Install the " + s.name() + " service (its values: charts/" + s.name() + "/values.yaml)", Schemas.bool());
            values.openObject(s.name());
        }
        if (!system.infrastructure().isEmpty()) {
            values.section("Infrastructure");
            for (Infrastructure infra : system.infrastructure()) {
                switch (infra.mode()) {
                    case embedded -> values.param(infra.name() + ".enabled", true, "Install the embedded " + infra.type()
                            + " " + infra.name() + " (its values: charts/" + infra.name() + "/values.yaml)", Schemas.bool());
                    case chart -> {
                        Infrastructure.UpstreamChart chart = infra.chart().orElseThrow();
                        values.param(infra.name() + ".enabled", true, "Install " + infra.name() + " from the " + chart.name()
                                + " chart " + chart.version(), Schemas.bool());
                        chart.values().forEach((key, value) -> values.param(infra.name() + "." + key, value,
                                "Passed to the " + chart.name() + " chart", Schemas.any()));
                    }
                    case external, operator, claim -> {
                        continue;
                    }
                }
                values.openObject(infra.name());
            }
            for (ManagedCharts.Chart managed : ManagedCharts.of(system)) {
                boolean base = system.infrastructure(managed.infra().name()).map(i -> i.mode() == managed.mode()).orElse(false);
                values.param(managed.name() + ".enabled", base, "Install " + managed.infra().name() + " (" + managed.infra().type()
                        + ") run by " + OperatorValues.runner(managed.infra()) + " (its values: charts/" + managed.name() + "/values.yaml)", Schemas.bool());
                values.openObject(managed.name());
            }
        }
        SystemModel.Gateway gateway = system.gateway();
        if (gateway.create()) {
            values.section("Gateway")
                    .param("gateway.create", true, "Create the Gateway the routes attach to", Schemas.bool())
                    .param("gateway.force", false, "Render it even when the cluster does not serve gateway.networking.k8s.io/v1", Schemas.bool())
                    .param("gateway.name", gateway.name(), "Name of the Gateway", Schemas.string(Schemas.DNS_LABEL))
                    .param("gateway.className", gateway.className().orElse(""), "GatewayClass", Schemas.string())
                    .param("gateway.tlsSecretName", gateway.tls().flatMap(t -> t.secretName()).orElse(""),
                            "TLS Secret of the HTTPS listener (empty: HTTP only)", Schemas.string());
        }
        if (system.observability().instrumentation()) {
            Operations.Tracing tracing = system.observability().tracing();
            values.section("OpenTelemetry")
                    .param("instrumentation.enabled", true, "Create an OpenTelemetry Operator Instrumentation", Schemas.bool())
                    .param("instrumentation.force", false, "Render it even when the cluster does not serve opentelemetry.io/v1alpha1", Schemas.bool())
                    .param("instrumentation.endpoint", tracing.endpoint(), "OTLP endpoint ({release} stands for the release name)", Schemas.string())
                    .param("instrumentation.sampler", tracing.sampler().name(), "Sampler", Schemas.string())
                    .param("instrumentation.ratio", String.valueOf(tracing.ratio()), "Sampling ratio", Schemas.string());
        }
        SecretsValues.parameters(values, system);
        for (ObservabilityStack.Component component : ObservabilityStack.of(system)) {
            values.section("Observability stack")
                    .param(component.alias() + ".enabled", false, "Install " + component.chart() + " " + component.version()
                            + " from " + component.repository() + " (run helm dependency build first)", Schemas.bool());
            values.openObject(component.alias());
        }
        Map<String, NetworkPolicies.Policy> policies = NetworkPolicies.of(system);
        if (system.network().policies()) {
            values.section("Network policies")
                    .param("networkPolicies.enabled", true, "Deny all traffic of the system's pods except DNS and the declared edges", Schemas.bool())
                    .param("networkPolicies.dnsNamespace", system.network().dnsNamespace(), "Namespace of the cluster DNS (pods labelled k8s-app: kube-dns)", Schemas.string(Schemas.DNS_LABEL))
                    .param("networkPolicies.components", NetworkPolicyValues.of(policies),
                            "Allowed ingress and egress per component, derived from dependsOn (peers: component (with versions: only those versions' pods), podLabels, cidr, namespace, proxies {namespace, podLabels}, tests, anywhere; ports with their protocol)",
                            Schemas.of("type", "object", "propertyNames", Schemas.of("pattern", Schemas.DNS_LABEL)));
        }
        EgressValues.parameters(values, system);
        SharedValues.parameters(values, system);
        if (system.namespace().quota()) {
            values.section("Namespace budget")
                    .param("resourceQuota.enabled", true, "Create a ResourceQuota in the release namespace", Schemas.bool())
                    .param("resourceQuota.hard", NamespaceQuota.hard(system, runs), "Limits of the namespace: the requests and limits of every pod at the most pods"
                            + " it can run (autoscaler maximum, surge, canary, hooks, tests), plus "
                            + system.namespace().headroomPercent() + "% headroom", Schemas.object())
                    .param("limitRange.enabled", true, "Create a LimitRange giving defaults to containers that declare no resources", Schemas.bool())
                    .param("limitRange.default", Schemas.of("cpu", NamespaceQuota.DEFAULT_LIMIT_CPU, "memory", NamespaceQuota.DEFAULT_LIMIT_MEMORY),
                            "Default limits of a container", Schemas.quantityMap())
                    .param("limitRange.defaultRequest", Schemas.of("cpu", NamespaceQuota.DEFAULT_REQUEST_CPU, "memory", NamespaceQuota.DEFAULT_REQUEST_MEMORY),
                            "Default requests of a container", Schemas.quantityMap());
        }
        return values;
    }
}
