package dev.castle.scaffold;

import java.util.List;
import java.util.Locale;

/**
 * The descriptor {@code castle init} writes: small, valid, commented, and installable as it is.
 * Each service runs podinfo (a tiny Go web service made for Kubernetes demos, with {@code /healthz}
 * and {@code /readyz} on port 9898, which its probes name) until the user puts
 * their own image in; the first service calls the others, and the services after it call the
 * infrastructure components. Names are validated DNS labels before they get here.
 */
public final class StarterDescriptor {
    /** The stand-in image: pinned, multi-architecture, runs as any user with a read-only root filesystem. */
    public static final String IMAGE = "ghcr.io/stefanprodan/podinfo:6.7.1";

    /** The component castle init adds as the services' tracing backend. */
    static final String TRACING_BACKEND = "jaeger";

    private StarterDescriptor() {
    }

    public static String text(String system, List<String> services, List<String> components, String schemaFile) {
        StringBuilder out = new StringBuilder();
        out.append("# yaml-language-server: $schema=").append(schemaFile).append('\n');
        out.append("# The castle descriptor of ").append(system).append(": the whole system in one file.\n");
        out.append("#   castle validate castle.yaml        check it (schema and rules)\n");
        out.append("#   castle graph castle.yaml           who calls whom (Mermaid; --format dot or json)\n");
        out.append("#   castle generate castle.yaml        charts-out/").append(system).append("/ and charts-out/kustomize/")
                .append(system).append("/\n");
        out.append("#   helm install ").append(system).append(" charts-out/").append(system).append(" --namespace ").append(system)
                .append(" --create-namespace\n");
        out.append("# Every field: castle schema (").append(schemaFile).append(" beside this file), or the descriptor reference in castle's README.\n");
        out.append("apiVersion: castle/v1alpha1\n");
        out.append("kind: System\n");
        out.append("metadata:\n");
        out.append(commented("  name: " + system, "the parent chart's name, and the release name to install it as"));
        out.append(commented("  version: 0.1.0", "SemVer: the version of every generated chart"));
        out.append("  description: \"The ").append(system).append(" system.\"\n");
        // a tracing backend is not called through dependsOn: every traced service sends its spans to it
        boolean tracing = components.contains(TRACING_BACKEND);
        List<String> called = components.stream().filter(c -> !c.equals(TRACING_BACKEND)).toList();
        if (tracing) {
            out.append("\n");
            out.append("# Every service sends its traces (OpenTelemetry, OTLP) to the jaeger component; the network policies let it.\n");
            out.append("observability:\n");
            out.append("  tracing: {backend: ").append(TRACING_BACKEND).append("}\n");
        }
        if (!components.isEmpty()) {
            out.append("\n");
            out.append("# Databases, caches and brokers. embedded (the default): castle runs the official image in a\n");
            out.append("# StatefulSet, creates its credentials in a Secret and injects them into the services that call it.\n");
            out.append("# In an environment, switch one to mode: external (a managed database) with host and secret.\n");
            out.append("infrastructure:\n");
            for (String component : components) {
                out.append("  ").append(component).append(":\n");
                out.append("    type: ").append(component).append('\n');
                if (component.equals(TRACING_BACKEND)) {
                    out.append("    # traces in memory, lost at every restart; storage: {ephemeral: false} keeps them on a volume\n");
                } else {
                    out.append("    storage: {size: 1Gi}\n");
                }
            }
        }
        out.append("\n");
        out.append("# One subchart per service: a Deployment, its Service, a NetworkPolicy, a PodDisruptionBudget...\n");
        out.append("# Replace the stand-in image, ports and env with your own.\n");
        out.append("services:\n");
        for (int i = 0; i < services.size(); i++) {
            String service = services.get(i);
            out.append("  ").append(service).append(":\n");
            out.append("    image: ").append(IMAGE).append("   # stand-in: podinfo answers HTTP on 9898\n");
            out.append("    ports:\n");
            out.append("      http: 9898           # the first port is the main one: the Service's, and the probes' default\n");
            out.append("    probes:                # podinfo's health endpoints (without probes: a TCP connect to the first port)\n");
            out.append("      liveness: {http: /healthz}\n");
            out.append("      readiness: {http: /readyz}\n");
            out.append("    env:\n");
            out.append("      PODINFO_UI_MESSAGE: \"").append(service).append(" of ").append(system).append("\"\n");
            out.append("    resources:\n");
            out.append("      requests: {cpu: 50m, memory: 64Mi}\n");
            out.append("      limits: {cpu: 250m, memory: 128Mi}\n");
            List<String> calls = i == 0 ? services.subList(1, services.size()) : List.of();
            List<String> uses = i > 0 || services.size() == 1 ? called : List.of();
            if (!calls.isEmpty() || !uses.isEmpty()) {
                out.append("    dependsOn:             # whom it calls: the only traffic the NetworkPolicies allow\n");
                for (String callee : calls) {
                    out.append(commented("      - " + callee, "injects " + prefix(callee) + "_HOST, _PORT and _URL"));
                }
                for (String component : uses) {
                    out.append(commented("      - " + component, "waits for it at start-up; injects " + prefix(component)
                            + (component.equals("kafka") || component.equals("memcached") ? "_HOST, _PORT and _URL" : "_URL, _USERNAME, _PASSWORD...")));
                }
            }
            if (i == 0) {
                out.append("    # expose: {hosts: [").append(system).append(".example.com]}   # an HTTPRoute through the Gateway\n");
            }
        }
        out.append("\n");
        out.append("# What differs per environment (a values-<env>.yaml and a Kustomize overlay each).\n");
        out.append("environments:\n");
        out.append("  dev:\n");
        out.append("    all: {replicas: 1}\n");
        out.append("  prod:\n");
        out.append("    all: {replicas: 3}\n");
        return out.toString();
    }

    /** A line with its comment in the column of the others. */
    private static String commented(String line, String comment) {
        return line + " ".repeat(Math.max(1, 27 - line.length())) + "# " + comment + "\n";
    }

    private static String prefix(String name) {
        return name.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
