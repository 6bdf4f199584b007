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
                        """, "2001:db8::1/32 has address bits beyond its prefix length", "9:21"),
                Arguments.of("ExtraServiceRules.portsExist", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            extraServices:
                              external: {type: LoadBalancer, ports: {htp: 80}}
                        """, "'htp' is not a port of this service", "9:46"),
                Arguments.of("ExtraServiceRules.nameIsFree: another service", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            extraServices:
                              admin: {}
                          web-admin:
                            image: ghcr.io/acme/admin:1.0.0
                            ports: {http: 8080}
                        """, "the Service name 'shop-web-admin' is taken twice", "9:14"),
                Arguments.of("ExtraServiceRules.nameIsFree: the canary's", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            extraServices:
                              canary: {}
                        """, "'shop-web-canary' is the name of a Service castle or Flagger makes", "9:7"),
                Arguments.of("ExtraServiceRules.nameIsFree: length", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            extraServices:
                              a-very-long-name-for-a-service-that-nobody-can-read-anymore: {}
                        """, "has 68 characters", "9:7"),
                Arguments.of("ExtraServiceRules.fieldsFitTheType", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            extraServices:
                              internal: {ports: {http: {port: 80, nodePort: 30080}}}
                        """, "a node port is for NodePort and LoadBalancer Services", "9:53"),
                Arguments.of("ExtraServiceRules.nodePortsAreUnique", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: {port: 8080, nodePort: 30080}}
                            expose: {via: nodePort}
                            extraServices:
                              again: {type: NodePort, ports: {http: {nodePort: 30080}}}
                        """, "node port 30080 is also web's port http", "10:56"),
                Arguments.of("ExtraServiceRules.servesPodsThatListen", """
                        services:
                          task:
                            workload: Job
                            image: ghcr.io/acme/task:1.0.0
                            ports: {http: 8080}
                            extraServices:
                              x: {}
                        """, "extra Services need pods that listen", "10:7"),
                Arguments.of("RouteRules.oneCatchAllPerPath", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            expose: {via: gateway}
                          shop:
                            image: ghcr.io/acme/shop:1.0.0
                            ports: {http: 8080}
                            expose: {via: gateway, paths: [/shop, /]}
                        """, "'shop' already takes every host of the Gateway shop on /", "8:13"),
                Arguments.of("RouteRules.certificateNeedsHosts", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            expose: {via: gateway, tls: {issuer: letsencrypt}}
                        """, "a certificate names the hosts it is for", "8:33"),
                Arguments.of("RouteRules.istioGatewayRoutingNeedsHosts", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            expose: {via: gateway}
                            canary: {strategy: istio}
                        """, "the Istio VirtualService of the canary binds to the gateway by host names", "8:13"),
                Arguments.of("SharedRules.sharedAccountExists", """
                        serviceAccounts: {social: {}}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            serviceAccount: socail
                          api:
                            image: ghcr.io/acme/api:1.0.0
                            ports: {http: 8080}
                            serviceAccount: social
                        """, "no shared ServiceAccount 'socail'", "9:21"),
                Arguments.of("SharedRules.sharedAccountsAreUsedAndFree: a service's own", """
                        serviceAccounts: {web: {}}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                          api:
                            image: ghcr.io/acme/api:1.0.0
                            ports: {http: 8080}
                            serviceAccount: web
                        """, "'shop-web' is also the ServiceAccount of the service 'web'", "4:24"),
                Arguments.of("SharedRules.sharedAccountsAreUsedAndFree: unused", """
                        serviceAccounts: {social: {}}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                        """, "no service runs as the shared ServiceAccount 'social'", "4:27"),
                Arguments.of("SharedRules.sharedConfigIsDeclaredAndRead: unknown", """
                        config: {social: {data: {A: b}}}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            sharedConfig: {social: {}, socail: {}}
                        """, "no shared config 'socail'", "9:32"),
                Arguments.of("SharedRules.sharedConfigIsDeclaredAndRead: nothing read", """
                        config: {social: {data: {A: b}}}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            sharedConfig: {social: {envFrom: false}}
                        """, "the pods would read nothing of 'social'", "9:28"),
                Arguments.of("SharedRules.sharedConfigIsUsedAndFits: a service's name", """
                        config: {web: {data: {A: b}}}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            sharedConfig: {web: {}}
                        """, "'shop-web' is also the name of the service 'web' and of its ConfigMap", "4:10"),
                Arguments.of("SharedRules.sharedConfigIsUsedAndFits: unused", """
                        config: {social: {data: {A: b}}}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                        """, "no service reads the shared config 'social'", "4:18"),
                Arguments.of("VersionRules.weightsAddUp", """
                        services:
                          reviews:
                            image: ghcr.io/acme/reviews:1.0.0
                            ports: {http: 9080}
                            versions: {v1: {weight: 60}, v2: {weight: 60}}
                        """, "the versions' weights add up to 120", "8:15"),
                Arguments.of("VersionRules.versionsStandAlone: keda", """
                        services:
                          reviews:
                            image: ghcr.io/acme/reviews:1.0.0
                            ports: {http: 9080}
                            versions: {v1: {}, v2: {}}
                            autoscaling: {maxReplicas: 4, keda: {triggers: [{type: cron, metadata: {timezone: UTC, start: 0 8 * * *, end: 0 18 * * *, desiredReplicas: "3"}}]}}
                        """, "KEDA scales one workload from its triggers, and versions are several", "9:41"),
                Arguments.of("VersionRules.versionsStandAlone: replicas of an autoscaled version", """
                        services:
                          reviews:
                            image: ghcr.io/acme/reviews:1.0.0
                            ports: {http: 9080}
                            versions: {v1: {replicas: 3}, v2: {}}
                            autoscaling: {maxReplicas: 4}
                        """, "the autoscaler sets the replicas of version 'v1'", "8:31"),
                Arguments.of("VersionRules.versionsStandAlone: an Ingress", """
                        network: {ingressNamespace: ingress-nginx}
                        services:
                          reviews:
                            image: ghcr.io/acme/reviews:1.0.0
                            ports: {http: 9080}
                            versions: {v1: {}, v2: {}}
                            expose: {via: ingress, hosts: [reviews.example.com]}
                        """, "an exposure through an Ingress, which has no weights between backends, would reach every version alike", "10:13"),
                Arguments.of("VersionRules.versionsStandAlone: Istio's subsets", """
                        services:
                          reviews:
                            image: ghcr.io/acme/reviews:1.0.0
                            ports: {http: 9080}
                            versionRouting: istio
                            versions: {v1: {}, v2: {}}
                            expose: {hosts: [reviews.example.com]}
                        """, "Istio's subsets split the calls inside the mesh only", "10:13"),
                Arguments.of("VersionRules.versionsStandAlone: another port", """
                        services:
                          reviews:
                            image: ghcr.io/acme/reviews:1.0.0
                            ports: {http: 9080, admin: 9081}
                            versions: {v1: {}, v2: {}}
                            expose: {hosts: [reviews.example.com], port: admin}
                        """, "the versions are routed on the port 'http', and the exposure serves 'admin'", "9:50"),
                Arguments.of("VersionRules.versionsStandAlone: canary", """
                        services:
                          reviews:
                            image: ghcr.io/acme/reviews:1.0.0
                            ports: {http: 9080}
                            versions: {v1: {}, v2: {}}
                            canary: {image: {tag: 1.1.0}}
                        """, "a canary and versions both split the service's requests", "9:13"),
                Arguments.of("VersionRules.versionsAreDeploymentsBehindAService", """
                        services:
                          reviews:
                            workload: StatefulSet
                            image: ghcr.io/acme/reviews:1.0.0
                            ports: {http: 9080}
                            replicas: 1
                            versions: {v1: {}, v2: {}}
                        """, "versions are Deployments, and this service is a StatefulSet", "10:15"),
                Arguments.of("VersionRules.routingNeedsVersions", """
                        services:
                          reviews:
                            image: ghcr.io/acme/reviews:1.0.0
                            ports: {http: 9080}
                            versionRouting: istio
                        """, "versionRouting routes between versions, and the service has none", "8:21"),
                Arguments.of("VersionRules.versionsCallTheServicesDependencies", """
                        services:
                          reviews:
                            image: ghcr.io/acme/reviews:1.0.0
                            ports: {http: 9080}
                            versions: {v1: {dependsOn: []}, v2: {dependsOn: [ratings, details]}}
                            dependsOn: [ratings]
                          ratings: {image: ghcr.io/acme/ratings:1.0.0, ports: {http: 9080}}
                        """, "version v2 calls 'details', which is not a dependency of the service", "8:63"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void ruleReportsItsMessageAtItsPlace(String rule, String services, String message, String at) throws Exception {
        RulesTest.assertOnlyFinding(rule, HEADER + services, message, at);
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("a catch-all route, and routes with hosts or other paths beside it", """
                        network: {ingressNamespace: ingress-nginx}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            expose: {via: gateway}
                          api:
                            image: ghcr.io/acme/api:1.0.0
                            ports: {http: 8080}
                            expose: {via: gateway, paths: [/api]}
                          admin:
                            image: ghcr.io/acme/admin:1.0.0
                            ports: {http: 8080}
                            expose: {via: gateway, hosts: [admin.example.com]}
                          legacy:
                            image: ghcr.io/acme/legacy:1.0.0
                            ports: {http: 8080}
                            expose: {via: ingress, ingressClassName: nginx}
                        """),
                Arguments.of("an exact path beside the prefix of another service on one host", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            expose: {hosts: [shop.example.com], paths: [{path: /login, match: exact}, {path: /static}]}
                          api:
                            image: ghcr.io/acme/api:1.0.0
                            ports: {http: 8080}
                            expose: {hosts: [shop.example.com], paths: [/login, /]}
                        """),
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
