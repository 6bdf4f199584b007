package dev.castle.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The whole system, bound, with every default resolved. The meeting point of input and output. */
public record SystemModel(Metadata metadata, List<Service> services, List<Infrastructure> infrastructure,
                          Network network, NamespaceSettings namespace, Gateway gateway, Observability observability,
                          Secrets secrets, Optional<GitOps> gitops, List<Environment> environments,
                          Map<String, SharedServiceAccount> serviceAccounts, Map<String, SharedConfig> sharedConfig,
                          HelperImages helpers) {
    public SystemModel {
        services = List.copyOf(services);
        infrastructure = List.copyOf(infrastructure);
        environments = List.copyOf(environments);
        serviceAccounts = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(serviceAccounts));
        sharedConfig = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(sharedConfig));
    }

    /**
     * Configuration several services read ({@code config.<name>}): one ConfigMap {@code <release>-<name>}
     * made by the parent chart, its keys from data and files (read once, like a service's).
     */
    public record SharedConfig(String name, Map<String, String> data, Map<String, Service.ConfigFile> files) {
        public SharedConfig {
            data = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(data));
            files = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(files));
        }

        /** Every key, sorted: data's and files'. */
        public java.util.SortedSet<String> keys() {
            return java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(contents().keySet()));
        }

        /** Every key with its text: data and file contents. */
        public Map<String, String> contents() {
            Map<String, String> all = new java.util.TreeMap<>(data);
            files.forEach((key, file) -> all.put(key, file.content()));
            return java.util.Collections.unmodifiableMap(all);
        }
    }

    /** A ServiceAccount several services run as ({@code serviceAccounts.<name>}): {@code <release>-<name>}, made by the parent chart. */
    public record SharedServiceAccount(String name, Map<String, String> annotations, boolean automountToken) {
        public SharedServiceAccount {
            annotations = Map.copyOf(annotations);
        }
    }

    /**
     * An environment: the whole system as it runs there (the descriptor with the environment's
     * overrides, bound like the base), its namespace, what is switched off, and what it overrides.
     */
    public record Environment(String name, String namespace, SystemModel model, List<String> disabled,
                              Overrides overrides) {
        public Environment {
            disabled = List.copyOf(disabled);
        }

        public boolean enabled(String component) {
            return !disabled.contains(component);
        }
    }

    /**
     * What an environment's overrides write, as relative pointers per overridden entry (such as
     * {@code autoscaling/maxReplicas}): for rules that compare an override with the base.
     */
    public record Overrides(String pointer, Set<String> all, Map<String, Set<String>> services,
                            Map<String, Set<String>> infrastructure) {
        public static Overrides none(String pointer) {
            return new Overrides(pointer, Set.of(), Map.of(), Map.of());
        }

        /**
         * Where a key of the environment's system is written: in the overrides when they write it
         * ({@code /services/web/image} is {@code /environments/prod/services/web/image} there), else
         * the base's pointer.
         */
        public String locate(String pointer) {
            for (var kind : Map.of("/services/", services, "/infrastructure/", infrastructure).entrySet()) {
                if (pointer.startsWith(kind.getKey())) {
                    String rest = pointer.substring(kind.getKey().length());
                    int slash = rest.indexOf('/');
                    Set<String> keys = slash < 0 ? Set.of() : kind.getValue().getOrDefault(rest.substring(0, slash), Set.of());
                    return slash >= 0 && keys.contains(rest.substring(slash + 1)) ? this.pointer + pointer : pointer;
                }
            }
            return pointer;
        }
    }

    public record Metadata(String name, String version, String appVersion, String description, ChartInfo chart) {
    }

    /** What chart repositories show: maintainers, links, icon, keywords, annotations (Artifact Hub). */
    public record ChartInfo(List<Map<String, String>> maintainers, Optional<String> home, List<String> sources,
                            Optional<String> icon, List<String> keywords, Map<String, String> annotations) {
    }

    /**
     * NetworkPolicy settings: on by default, with the namespaces allowed in; the ingress controller's
     * namespace has no default (it must be said when a service is exposed through an Ingress). What
     * enforces the policies and the mesh decide how egress to host names is written.
     */
    public record Network(boolean policies, Optional<String> ingressNamespace, String monitoringNamespace, String dnsNamespace,
                          ServiceNames serviceNames, PolicyProvider policyProvider, Mesh mesh) {
    }

    /** How Services are named: {@code <release>-<name>} (prefixed, the default), or exactly as the services and components. */
    public enum ServiceNames { prefixed, exact }

    public enum PolicyProvider { kubernetes, cilium }

    public enum Mesh { none, istio }

    /**
     * The Gateway API Gateway exposed services attach to; castle generates it (in the release
     * namespace) when {@code create}; its proxies are where the network policies admit traffic from.
     */
    public record Gateway(String name, Optional<String> namespace, boolean create, Optional<String> className,
                          Optional<Operations.Tls> tls, Operations.Proxies proxies) {
    }

    /**
     * System-wide observability: Prometheus Operator use, the system's own tracing (what the
     * OpenTelemetry Instrumentation applies; services override it) and logs, the optional stack.
     */
    public record Observability(boolean prometheusOperator, Map<String, String> monitorLabels, boolean instrumentation,
                                Operations.Tracing tracing, Operations.Logging logging,
                                boolean stackPrometheus, boolean stackTracing, boolean stackLogs,
                                /** What observability.tracing says as written: its backend's name and whether it writes an endpoint (for the rules). */
                                Optional<String> tracingBackendWritten, boolean tracingEndpointWritten) {
        /** Where observability.tracing's fields are. */
        public static final String TRACING_POINTER = "/observability/tracing";
    }

    /** ResourceQuota and LimitRange of the release namespace. */
    public record NamespaceSettings(boolean quota, int headroomPercent) {
    }

    /**
     * The images of castle's own containers: {@code tools} (busybox: the init containers that wait for
     * start-up dependencies, and the {@code helm test} hooks; needs sh, nc and wget) and
     * {@code credentialsJob} (curl: the Job that makes generated credentials once in the cluster).
     */
    public record HelperImages(Service.Image tools, Service.Image credentialsJob) {
        public static final HelperImages DEFAULT = new HelperImages(
                new Service.Image("docker.io", "library/busybox", "1.37.0", "", Service.Image.DEFAULT_PULL_POLICY),
                new Service.Image("docker.io", "curlimages/curl", "8.11.1", "", Service.Image.DEFAULT_PULL_POLICY));
    }

    /**
     * Whether a chart of the system runs the credentials Job: an embedded component whose credentials
     * castle generates, or a MongoDB run by its operator (castle makes the user's password).
     */
    public boolean runsCredentialsJob() {
        return infrastructure.stream().anyMatch(i -> i.generatesCredentials()
                || i.mode() == Infrastructure.Mode.operator && i.type() == Infrastructure.Type.mongodb);
    }

    /**
     * The same system with each image changed (pinned, for one), in this order: every service's (see
     * {@link Service#withImages}), every component's, castle's own helpers' (the credentials Job's only
     * when a chart runs it); then every environment's system the same way.
     */
    public SystemModel withImages(Service.ImageChange change) {
        List<Service> newServices = services.stream().map(s -> s.withImages(change)).toList();
        List<Infrastructure> newInfrastructure = infrastructure.stream().map(i -> i.withImages(change)).toList();
        Service.Image tools = change.apply("", "castle's image of the dependency waits and helm tests", helpers.tools());
        Service.Image job = runsCredentialsJob() ? change.apply("", "castle's image of the credentials Job", helpers.credentialsJob())
                : helpers.credentialsJob();
        List<Environment> changed = environments.stream().map(e -> new Environment(e.name(), e.namespace(),
                e.model().withImages((pointer, what, image) -> change.apply(e.overrides().locate(pointer), what, image)),
                e.disabled(), e.overrides())).toList();
        return new SystemModel(metadata, newServices, newInfrastructure, network, namespace, gateway, observability,
                secrets, gitops, changed, serviceAccounts, sharedConfig, new HelperImages(tools, job));
    }

    /** The same system with other GitOps settings (the command line's). */
    public SystemModel withGitOps(GitOps newGitOps) {
        return new SystemModel(metadata, services, infrastructure, network, namespace, gateway, observability, secrets,
                Optional.of(newGitOps), environments, serviceAccounts, sharedConfig, helpers);
    }

    public Optional<Service> service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public Optional<Infrastructure> infrastructure(String name) {
        return infrastructure.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    /**
     * The Pod Security Standards profile the system's pods meet, which their namespace enforces:
     * restricted, or baseline when the descriptor relaxes a service's security context.
     */
    public String podSecurityProfile() {
        boolean relaxed = services.stream().map(s -> s.container().security()).anyMatch(security -> !security.runAsNonRoot()
                || security.allowPrivilegeEscalation() || security.seccompProfile() != Service.SeccompProfile.RuntimeDefault
                || security.addCapabilities().stream().anyMatch(c -> !c.equals("NET_BIND_SERVICE")));
        return relaxed ? "baseline" : "restricted";
    }

    /** Services that call the given service or component. */
    public List<Service> callersOf(String name) {
        return services.stream().filter(s -> s.dependsOn().stream().anyMatch(d -> d.name().equals(name))).toList();
    }
}
