package dev.castle.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.castle.model.Infrastructure;
import dev.castle.model.NetworkPolicies;
import dev.castle.model.SystemModel;

/**
 * The values of an embedded Jaeger (its ports by version, traces in memory sized by the memory limit
 * or in Badger on a claim, no credentials, its own metrics) and the network policies of a tracing
 * backend: the traced services reach its OTLP port without a dependsOn edge.
 */
class JaegerValuesTest {
    private static final String HEADER = """
            apiVersion: castle/v1alpha1
            kind: System
            metadata: {name: shop, version: 1.0.0}
            """;

    private static Map<String, Object> values(String jaeger) throws Exception {
        SystemModel system = NamespaceQuotaTest.bind(HEADER + "infrastructure:\n  traces: " + jaeger + "\n");
        Infrastructure traces = system.infrastructure("traces").orElseThrow();
        return InfrastructureValues.forInfrastructure(system, traces).tree();
    }

    /** The node at a path of keys in a values tree. */
    @SuppressWarnings("unchecked")
    static Object at(Map<String, Object> v, String... path) {
        Object node = v;
        for (String key : path) {
            node = ((Map<String, Object>) node).get(key);
        }
        return node;
    }

    @Test
    @SuppressWarnings("unchecked")
    void portsFollowTheVersionAndTheTracesTheMemoryLimit() throws Exception {
        Map<String, Object> v = values("{type: jaeger, version: \"1.57.0\", resources: {limits: {memory: 1Gi}}}");
        assertEquals("jaeger", v.get("engine"));
        assertFalse(v.containsKey("auth"), "no authentication values");
        assertEquals(51200L, at(v, "jaeger", "maxTraces"), "50 traces per MiB of the limit");
        assertEquals(java.util.List.of("admin", "agent-binary", "agent-compact", "otlp-grpc", "otlp-http", "query"),
                java.util.List.copyOf(((Map<String, Object>) at(v, "ports")).keySet()));
        assertEquals("UDP", at(v, "ports", "agent-compact", "protocol"));
        assertEquals(false, at(v, "ports", "admin", "expose"), "the admin port is off the Service");
        assertEquals(false, at(v, "persistence", "enabled"), "in memory");
        assertEquals("/tmp", at(v, "persistence", "mountPath"));
        assertEquals(10001L, ((Number) at(v, "podSecurityContext", "runAsUser")).longValue());
        assertEquals(Map.of("path", "/", "port", 14269), at(v, "readinessProbe", "httpGet"));
        assertEquals(java.util.Set.of("otlp-grpc", "query"), ((Map<String, Object>) at(v, "tests", "checks")).keySet());
    }

    @Test
    @SuppressWarnings("unchecked")
    void badgerOnAClaimAndItsOwnMetricsOnTheAdminPort() throws Exception {
        Map<String, Object> v = values("{type: jaeger, storage: {ephemeral: false, size: 2Gi}, metrics: true}");
        assertEquals(true, at(v, "persistence", "enabled"));
        assertEquals("/badger", at(v, "persistence", "mountPath"));
        assertEquals("2Gi", at(v, "persistence", "size"));
        assertEquals(java.util.List.of("metrics", "otlp-grpc", "otlp-http", "query"), java.util.List.copyOf(((Map<String, Object>) at(v, "ports")).keySet()),
                "1.76 has no agent; the admin port serves the metrics");
        assertEquals(14269, at(v, "ports", "metrics", "containerPort"));
        assertFalse(((Map<String, Object>) at(v, "ports", "metrics")).containsKey("container"), "Jaeger serves its own metrics: no exporter");
        assertEquals(null, at(v, "metrics", "exporter"));
        assertEquals("/tmp", at(v, "volumes", "tmp", "mountPath"), "Badger's claim at /badger, /tmp an emptyDir");
    }

    @Test
    void tracedServicesReachTheBackendsOtlpPort() throws Exception {
        SystemModel system = NamespaceQuotaTest.bind(HEADER + """
                observability:
                  tracing: {backend: traces}
                infrastructure:
                  traces: {type: jaeger, version: "1.57.0"}
                services:
                  web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}}
                  legacy: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, tracing: {enabled: false}, dependsOn: [{name: traces, port: agent-compact}]}
                """);
        Map<String, NetworkPolicies.Policy> policies = NetworkPolicies.of(system);
        NetworkPolicies.PortRef otlp = new NetworkPolicies.PortRef(4317, dev.castle.model.Service.Protocol.TCP);
        NetworkPolicies.PortRef agent = new NetworkPolicies.PortRef(6831, dev.castle.model.Service.Protocol.UDP);
        assertEquals(java.util.List.of(new NetworkPolicies.Rule(new NetworkPolicies.Component("traces"), java.util.List.of(otlp))),
                policies.get("web").egress());
        assertEquals(java.util.List.of(new NetworkPolicies.Rule(new NetworkPolicies.Component("traces"), java.util.List.of(agent))),
                policies.get("legacy").egress());
        assertEquals(java.util.List.of(
                        new NetworkPolicies.Rule(new NetworkPolicies.Component("legacy"), java.util.List.of(agent)),
                        new NetworkPolicies.Rule(new NetworkPolicies.Component("web"), java.util.List.of(otlp))),
                policies.get("traces").ingress().subList(0, 2));
    }
}
