package dev.castle.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.castle.load.ConfigFileReader;
import dev.castle.load.Node;
import dev.castle.merge.EnvironmentMerge;

/**
 * The bind stage: turns the descriptor tree (and each environment's merged tree) into the immutable
 * model, deciding every default once. It binds whatever it is given (values of the wrong shape take
 * their default), so that the rules can check the model even when the schema found problems; the
 * model keeps what the user wrote ({@link Declared}) for the rules that need it. Templates and
 * values builders never decide a default: what they need is here.
 */
public final class ModelBinder {
    static final String DEFAULT_VERSION = "0.1.0";
    static final String DEFAULT_MONITORING_NAMESPACE = "monitoring";
    static final String DEFAULT_DNS_NAMESPACE = "kube-system";
    static final int DEFAULT_HEADROOM_PERCENT = 25;

    private final ConfigFileReader files;

    /** @param files the reader of config files (relative to the descriptor's folder; each read once) */
    public ModelBinder(ConfigFileReader files) {
        this.files = files;
    }

    /** The base system, with each environment bound from its merged descriptor. */
    public SystemModel bind(Node root, List<EnvironmentMerge.MergedEnvironment> merged) {
        String system = new Fields(root).object("metadata").text("name", "");
        List<SystemModel.Environment> environments = new ArrayList<>();
        for (EnvironmentMerge.MergedEnvironment environment : merged) {
            Fields overrides = new Fields(environment.overrides());
            String namespace = overrides.text("namespace", system + "-" + environment.name());
            environments.add(new SystemModel.Environment(environment.name(), namespace, bindOne(environment.descriptor(), namespace, List.of()),
                    disabled(overrides), overrides(environment)));
        }
        return bindOne(root, system, environments);
    }

    /** Names switched off in the environment ({@code enabled: false}) among services and components. */
    private static List<String> disabled(Fields overrides) {
        List<String> names = new ArrayList<>();
        for (String section : List.of("services", "infrastructure")) {
            overrides.entries(section).forEach((name, node) -> {
                if (new Fields(node).isFalse("enabled")) {
                    names.add(name);
                }
            });
        }
        return names;
    }

    private static SystemModel.Overrides overrides(EnvironmentMerge.MergedEnvironment environment) {
        Fields o = new Fields(environment.overrides());
        Map<String, Set<String>> services = new TreeMap<>();
        o.entries("services").forEach((name, node) -> services.put(name, DeclaredKeys.of(node)));
        Map<String, Set<String>> infrastructure = new TreeMap<>();
        o.entries("infrastructure").forEach((name, node) -> infrastructure.put(name, DeclaredKeys.of(node)));
        return new SystemModel.Overrides(environment.overrides().pointer(),
                o.node("all").map(DeclaredKeys::of).orElse(Set.of()), services, infrastructure);
    }

    /** One system as installed into {@code installNamespace} (the environment's, or the system's name for the base). */
    private SystemModel bindOne(Node root, String installNamespace, List<SystemModel.Environment> environments) {
        Fields doc = new Fields(root);
        Fields meta = doc.object("metadata");
        String version = meta.text("version", DEFAULT_VERSION);
        List<Map<String, String>> maintainers = new ArrayList<>();
        for (Node item : meta.items("maintainers")) {
            Fields m = new Fields(item);
            Map<String, String> maintainer = new LinkedHashMap<>();
            for (String key : List.of("name", "email", "url")) {
                m.text(key).ifPresent(v -> maintainer.put(key, v));
            }
            maintainers.add(maintainer);
        }
        SystemModel.ChartInfo chart = new SystemModel.ChartInfo(List.copyOf(maintainers), meta.text("home"),
                meta.strings("sources"), meta.text("icon"), meta.strings("keywords"), meta.stringMap("annotations"));
        SystemModel.Metadata metadata = new SystemModel.Metadata(meta.text("name", ""), version,
                meta.text("appVersion", version), meta.text("description", ""), chart);
        List<Infrastructure> infrastructure = new ArrayList<>();
        boolean exactNames = doc.object("network").enumValue("serviceNames", SystemModel.ServiceNames.class, SystemModel.ServiceNames.prefixed)
                == SystemModel.ServiceNames.exact;
        new TreeMap<>(doc.entries("infrastructure")).forEach((name, node) -> infrastructure.add(InfrastructureBinder.bind(name, node, exactNames, files)));
        SystemModel.Gateway gateway = OperationsBinder.gateway(metadata.name(), doc.object("gateway"));
        SystemModel.Observability observability = OperationsBinder.observability(doc.object("observability"));
        OperationsBinder.Defaults defaults = new OperationsBinder.Defaults(gateway, observability.tracing(), observability.logging());
        Map<String, Node> serviceNodes = new TreeMap<>(doc.entries("services"));
        Map<String, Service.Networking> targets = new TreeMap<>();
        serviceNodes.forEach((name, node) -> targets.put(name, ServiceBinder.network(new Fields(node), name, exactNames)));
        Map<String, SystemModel.SharedServiceAccount> accounts = SharedBinder.accounts(doc);
        Map<String, SystemModel.SharedConfig> sharedConfig = SharedBinder.config(doc, files);
        ServiceBinder binder = new ServiceBinder(files, defaults, new DependencyResolver(targets, infrastructure), exactNames, accounts, sharedConfig);
        List<Service> services = new ArrayList<>();
        serviceNodes.forEach((name, node) -> services.add(binder.bind(name, node)));
        Fields network = doc.object("network");
        Fields namespace = doc.object("namespace");
        return new SystemModel(metadata, services, infrastructure,
                new SystemModel.Network(network.bool("policies", true), network.text("ingressNamespace"),
                        network.text("monitoringNamespace", DEFAULT_MONITORING_NAMESPACE), network.text("dnsNamespace", DEFAULT_DNS_NAMESPACE),
                        exactNames ? SystemModel.ServiceNames.exact : SystemModel.ServiceNames.prefixed,
                        network.enumValue("policyProvider", SystemModel.PolicyProvider.class, SystemModel.PolicyProvider.kubernetes),
                        network.enumValue("mesh", SystemModel.Mesh.class, SystemModel.Mesh.none)),
                new SystemModel.NamespaceSettings(namespace.bool("quota", true), namespace.integer("headroomPercent", DEFAULT_HEADROOM_PERCENT)),
                gateway, observability, new SecretsBinder(files).bind(doc, installNamespace, services, gateway),
                GitOpsBinder.bind(doc, version), environments, accounts, sharedConfig,
                SystemModel.HelperImages.DEFAULT);
    }
}
