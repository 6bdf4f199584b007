package dev.castle.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rules of the shapes real systems need (issue 13): egress to external destinations, extra
 * Services, catch-all routes, shared ServiceAccounts and configuration, versions, image pinning.
 * Each rule on its own, without Helm: its message at its line and column, and what it accepts.
 */
class SystemShapesRulesTest {
    private static final String HEADER = """
            apiVersion: castle/v1alpha1
            kind: System
            metadata: {name: shop, version: 1.0.0}
            """;

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("EgressRules.hostsAreEnforceable", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            egress:
                              google: {hosts: [googleapis.com], ports: [443]}
                        """, "a NetworkPolicy cannot match host names", "9:15"),
                Arguments.of("EgressRules.cidrsAreBlocks: host bits", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            egress:
                              api: {cidrs: [10.1.2.3/8], ports: [443]}
                        """, "10.1.2.3/8 has address bits beyond its prefix length", "9:21"),
                Arguments.of("EgressRules.cidrsAreBlocks: prefix too long", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            egress:
                              api: {cidrs: [10.0.0.0/33], ports: [443]}
                        """, "10.0.0.0/33 is not an address block", "9:21"),
                Arguments.of("EgressRules.cidrsAreBlocks: IPv6 host bits", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            egress:
                              api: {cidrs: ["2001:db8::1/32"], ports: [443]}
                        """, "2001:db8::1/32 has address bits beyond its prefix length", "9:21"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void ruleReportsItsMessageAtItsPlace(String rule, String services, String message, String at) throws Exception {
        RulesTest.assertOnlyFinding(rule, HEADER + services, message, at);
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("host names with the addresses behind them, IPv4 and IPv6", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            egress:
                              google: {hosts: [googleapis.com, "*.googleapis.com"], cidrs: [0.0.0.0/0, "::/0"], ports: [443]}
                              syslog: {cidrs: [198.51.100.7/32], ports: [{port: 514, protocol: UDP}]}
                        """),
                Arguments.of("host names alone when Cilium enforces the policies", """
                        network: {policyProvider: cilium}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            egress:
                              google: {hosts: [googleapis.com], ports: [443]}
                        """),
                Arguments.of("host names alone without network policies", """
                        network: {policies: false, mesh: istio}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            egress:
                              google: {hosts: [googleapis.com], ports: [443]}
                        """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void noRuleRefuses(String what, String services) throws Exception {
        assertEquals(List.of(), RulesTest.check(HEADER + services), what);
    }
}
