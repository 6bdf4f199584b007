package dev.castle.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Prometheus may scrape a service on the port its metrics name, whatever that port is called: Sock
 * Shop's services serve /metrics on their http port, the shop's gateway on Envoy's admin port.
 */
class MetricsPolicyTest {
    @Test
    void theMonitoringNamespaceReachesThePortTheMetricsAreScrapedOn() throws Exception {
        SystemModel system = ModelBinderTest.bind(ModelBinderTest.HEADER + """
                network: {monitoringNamespace: prometheus}
                services:
                  catalogue: {image: ghcr.io/acme/catalogue:1.0.0, ports: {http: 80, admin: 9901}, metrics: {port: http}}
                  envoy: {image: ghcr.io/acme/envoy:1.0.0, ports: {http: 8080, admin: {port: 9901, expose: false}}, metrics: {port: admin}}
                  plain: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080, http-metrics: 9797}}
                """);
        assertEquals(List.of(80), scraped(system, "catalogue"));
        assertEquals(List.of(9901), scraped(system, "envoy"));
        assertEquals(List.of(9797), scraped(system, "plain"), "a port named *-metrics, as before");
    }

    private static List<Integer> scraped(SystemModel system, String service) {
        return NetworkPolicies.of(system).get(service).ingress().stream()
                .filter(r -> r.peer().equals(new NetworkPolicies.Namespace("prometheus")))
                .flatMap(r -> r.ports().stream()).map(NetworkPolicies.PortRef::port).toList();
    }
}
