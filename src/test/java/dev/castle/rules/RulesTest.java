package dev.castle.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.castle.load.ConfigFileReader;
import dev.castle.load.DescriptorLoader;
import dev.castle.load.Diagnostic;
import dev.castle.load.Node;
import dev.castle.merge.EnvironmentMerge;
import dev.castle.model.ModelBinder;
import dev.castle.model.SystemModel;

/**
 * Each rule on its own, without Helm or the command line: given a small descriptor, the rule's
 * message at its line and column. (The invalid descriptors under src/test/resources cover the
 * others through the command line.)
 */
class RulesTest {
    private static final String HEADER = """
            apiVersion: castle/v1alpha1
            kind: System
            metadata: {name: shop, version: 1.0.0}
            """;

    static List<Diagnostic> check(String yaml) throws Exception {
        Node root = new DescriptorLoader().load(Path.of("castle.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
        List<EnvironmentMerge.MergedEnvironment> environments = EnvironmentMerge.environments(root);
        SystemModel model = new ModelBinder(new ConfigFileReader(Path.of("."))).bind(root, environments);
        Map<String, Node> trees = new LinkedHashMap<>();
        environments.forEach(e -> trees.put(e.name(), e.descriptor()));
        return Checker.check(model, root, trees, List.of());
    }

    /** A case: the services (and more) after the header, the message, its line:column (the header is lines 1-3). */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("ProbeRules.probeHasOneCheck", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            probes:
                              liveness: {http: /healthz, tcp: http}
                        """, "a probe has http and tcp", "9:17"),
                Arguments.of("ProbeRules.successThresholdIsOne", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            probes:
                              liveness: {tcp: http, successThreshold: 2}
                        """, "liveness successThreshold must be 1", "9:47"),
                Arguments.of("LifecycleRules.hookPortsExist", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            lifecycle:
                              preStop: {http: {path: /stop, port: admin}}
                        """, "port 'admin' is not a port of this service", "9:43"),
                Arguments.of("BatchRules.jobSettingsOnlyOnBatch", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            job: {backoffLimit: 1}
                        """, "job settings are only for a Job or CronJob", "8:10"),
                Arguments.of("VolumeRules.volumeNameIsNotReserved", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            volumes:
                              config-cache: {mountPath: /cache, emptyDir: {}}
                        """, "volume name 'config-cache' is reserved", "9:7"),
                Arguments.of("VolumeRules.mountPathsAreDistinct", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            secrets:
                              creds: {mountPath: /data}
                            volumes:
                              cache: {mountPath: /data, emptyDir: {}}
                        """, "mount path /data is also used by secret creds", "11:26"),
                Arguments.of("SecurityRules.rootNeedsRunAsNonRootOff", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            securityContext: {runAsUser: 0}
                        """, "runAsUser 0 is root, but runAsNonRoot is true", "8:34"),
                Arguments.of("ResourceRules.limitCoversRequest (defaulted request)", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            resources: {limits: {cpu: 50m}}
                        """, "the cpu limit is below the default request", "8:31"),
                Arguments.of("ExposureRules.proxiedExposureHasHosts", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            expose: {via: gateway}
                        """, "exposing through gateway needs host names", "8:13"),
                Arguments.of("ExposureRules.ingressControllerIsLocated", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            expose: {via: ingress, hosts: [web.example.com]}
                        """, "the network policies admit the ingress controller's pods, but their namespace is not said", "8:19"),
                Arguments.of("ExposureRules.createdGatewayIsInTheReleaseNamespace", """
                        gateway: {create: true, namespace: gateway-system}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                        """, "gateway.create puts the Gateway in the release namespace, not in gateway-system", "4:36"),
                Arguments.of("ExposureRules.serviceTypeFitsVia", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            service: {type: ClusterIP}
                            expose: {via: nodePort}
                        """, "service.type ClusterIP contradicts expose.via nodePort", "8:14"),
                Arguments.of("AutoscalingRules.kedaTakesNoHpaSettings", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            autoscaling: {maxReplicas: 5, cpu: 50, keda: {triggers: [{type: cron}]}}
                        """, "cpu is for the HorizontalPodAutoscaler, not with keda", "8:40"),
                Arguments.of("ObservabilityRules.metricsHavePort", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            metrics: {path: /metrics}
                        """, "no port serves the metrics", "8:14"),
                Arguments.of("ObservabilityRules.alertApplies", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            alerts: {JobFailed: false}
                        """, "alert JobFailed does not apply to this service", "8:14"),
                Arguments.of("CanaryRules.stepsIncrease", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            canary: {strategy: argo-rollouts, steps: [50, 20]}
                        """, "canary steps must increase", "8:46"),
                Arguments.of("CanaryRules.settingsFitStrategy", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            canary: {strategy: flagger, cookie: canary}
                        """, "cookie is not used by a flagger canary", "8:41"),
                Arguments.of("DisruptionBudgetRules.exactlyOneBound", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            disruptionBudget: {minAvailable: 1, maxUnavailable: 1}
                        """, "both minAvailable and maxUnavailable are set", "8:23"),
                Arguments.of("GraphRules.placementNamesOtherServices", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            placement: {colocateWith: [cache]}
                        """, "'cache' in colocateWith is not another service", "8:32"),
                Arguments.of("GraphRules.preInstallHookWaitsForNothingOfItsRelease", """
                        infrastructure:
                          db: {type: postgresql}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            dependsOn: [db]
                            hooks:
                              migrate: {when: [pre-install]}
                        """, "hook 'migrate' runs at pre-install, before db", "12:23"),
                Arguments.of("GraphRules.dependenciesNameCallables (port)", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            dependsOn: [{name: api, port: admin}]
                          api:
                            image: ghcr.io/acme/api:1.0.0
                            ports: {http: 8080}
                        """, "'admin' is not a port of service 'api'", "8:35"),
                Arguments.of("InfrastructureRules.fieldsFitMode", """
                        infrastructure:
                          db: {type: postgresql, host: db.example.com}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                        """, "host does not apply to mode embedded", "5:32"),
                Arguments.of("InfrastructureRules.applicationUserIsNotRoot", """
                        infrastructure:
                          db: {type: mysql, username: root}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                        """, "the application user cannot be root", "5:31"),
                Arguments.of("InfrastructureRules.versionIsSupported (older)", """
                        infrastructure:
                          docs: {type: mongodb, version: "4.4.29"}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                        """, "mongodb 4.4.29 is older than castle's embedded mongodb supports: castle's init script and probes need mongosh", "5:34"),
                Arguments.of("InfrastructureRules.versionIsSupported (newer)", """
                        infrastructure:
                          db: {type: postgresql, image: "postgres:19-alpine"}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                        """, "postgresql 19-alpine is newer than the versions castle's embedded postgresql was written against", "5:33"),
                Arguments.of("InfrastructureRules.versionIsSupported (unknown)", """
                        infrastructure:
                          cache: {type: redis, image: {repository: library/redis, tag: bookworm}}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                        """, "castle cannot tell which redis version the tag 'bookworm' is", "5:64"),
                Arguments.of("EnvironmentRules.overridesFitBase (mode)", """
                        infrastructure:
                          db: {type: postgresql, mode: external, host: db.example.com}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                        environments:
                          dev:
                            infrastructure:
                              db: {mode: embedded}
                        """, "only an embedded component, or one run by its operator, can change mode in an environment", "13:18"),
                Arguments.of("GraphRules.startupWaitsOnTcp", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            dependsOn:
                              - {name: collector, port: spans, startup: true}
                          collector:
                            image: ghcr.io/acme/collector:1.0.0
                            ports: {spans: {port: 6831, protocol: UDP}}
                            probes: {liveness: {exec: [ok]}, readiness: {exec: [ok]}}
                        """, "the start-up wait for 'collector' connects over TCP, but its port 6831 is UDP", "9:49"),
                Arguments.of("CanaryRules.flaggerServicesCarryThePorts", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080, spans: {port: 6831, protocol: UDP}}
                            canary: {strategy: flagger}
                        """, "port 'spans' is UDP, but Flagger creates TCP Services only", "7:32"),
                Arguments.of("EnvReferenceRules.referencesNameVariables", """
                        infrastructure:
                          db: {type: postgresql}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            env: {DSN: "$(DB_HOTS):$(DB_PORT)"}
                            dependsOn: [db]
                        """, "$(DB_HOTS) in DSN names no variable of this container", "10:16"),
                Arguments.of("EnvReferenceRules.referencesFormNoCycle", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            env: {A: "x$(B)", B: "$(C)y", C: "$(A)"}
                        """, "the $(VAR) references of A -> B -> C -> A go round in a circle", "8:14"),
                Arguments.of("EnvReferenceRules.referencesFormNoCycle (itself)", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            env: {PATH: "$(PATH):/app/bin"}
                        """, "the $(VAR) references of PATH -> PATH go round in a circle", "8:17"),
                Arguments.of("EnvReferenceRules.tracingVariablesAreCastles", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            env: {POD_NAMESPACE: {field: metadata.namespace}}
                        """, "POD_NAMESPACE is set by castle while tracing is on", "8:11"),
                Arguments.of("EnvReferenceRules.formatsHoldKnownPlaceholders", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            dependsOn:
                              - {name: api, env: {url: {name: API_ADDR, format: "{hostname}:{port}"}}}
                          api:
                            image: ghcr.io/acme/api:1.0.0
                            ports: {http: 8080}
                        """, "'{hostname}' is not a placeholder of a dependency's format", "9:57"),
                Arguments.of("EnvironmentRules.overridesFitBase (operator to embedded)", """
                        infrastructure:
                          db: {type: postgresql, mode: operator}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                        environments:
                          dev:
                            infrastructure:
                              db: {mode: embedded}
                        """, "a component run by its operator in the base cannot be embedded in an environment", "13:18"),
                Arguments.of("OperatorRules.anOperatorRunsTheType", """
                        infrastructure:
                          db: {type: mysql, mode: operator}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                        """, "no operator castle knows runs mysql", "5:27"),
                Arguments.of("OperatorRules.settingsFitTheType", """
                        infrastructure:
                          events: {type: kafka, mode: operator, operator: {pooler: {instances: 2}}}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                        """, "pooler does not apply to kafka", "5:60"),
                Arguments.of("OperatorRules.operatorsKeepTheirData", """
                        infrastructure:
                          db: {type: postgresql, mode: operator, storage: {ephemeral: true}}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                        """, "an operator runs db on volume claims", "5:63"),
                Arguments.of("OperatorRules.derivedNamesFit", """
                        infrastructure:
                          a-rather-long-component-name-for-kafka: {type: kafka, mode: operator}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                        """, "the operator names resources 'shop-a-rather-long-component-name-for-kafka'", "5:3"),
                Arguments.of("OperatorRules.topicIdsDiffer", """
                        infrastructure:
                          events: {type: kafka, mode: operator, operator: {topics: {a_b: {}, a.b: {}}}}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                        """, "the topics 'a.b' and 'a_b' cannot be told apart", "5:11"),
                Arguments.of("OperatorRules.topicsOnKafkaOnly", """
                        infrastructure:
                          db: {type: postgresql}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            dependsOn: [{name: db, topics: [orders]}]
                        """, "topics on 'db', which is not a Kafka component", "10:36"),
                Arguments.of("OperatorRules.managedChartNamesAreFree", """
                        infrastructure:
                          db: {type: postgresql, mode: operator}
                        services:
                          db-operator:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                        """, "the operator of 'db' is the subchart 'db-operator'", "5:32"),
                Arguments.of("an environment's own problem points at its override", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                        environments:
                          prod:
                            services:
                              web: {image: {tag: latest}}
                        """, "in environment prod: the image tag 'latest' is not reproducible", "11:26"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void ruleReportsItsMessageAtItsPlace(String rule, String services, String message, String at) throws Exception {
        List<Diagnostic> found = check(HEADER + services);
        assertTrue(found.stream().anyMatch(d -> d.problem().contains(message)), () -> rule + ": no '" + message + "' in " + found);
        Diagnostic d = found.stream().filter(f -> f.problem().contains(message)).findFirst().orElseThrow();
        assertEquals(at, d.position().line() + ":" + d.position().column(), () -> rule + ": " + d.format());
        assertEquals(1, found.size(), () -> rule + ": only this finding, got " + found);
    }

    /** Descriptors real systems need that no rule may refuse. */
    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("expose.via nodePort with a fixed nodePort sets the Service type (issue 11, item 7)", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: {port: 8080, nodePort: 30080}}
                            expose: {via: nodePort}
                        """),
                Arguments.of("a UDP port called without a start-up wait", """
                        services:
                          collector:
                            image: ghcr.io/acme/collector:1.0.0
                            ports: {grpc: 4317, spans: {port: 6831, protocol: UDP}, dns: {port: 53, protocol: UDP}, dns-tcp: 53}
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            dependsOn: [{name: collector, port: spans}]
                        """),
                Arguments.of("references to injected variables, config keys and escaped text", """
                        infrastructure:
                          db: {type: postgresql, version: "18"}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            env: {DSN: "$(DB_USERNAME)@$(DB_HOST):$(DB_PORT)", NS: "$(POD_NAMESPACE)", TEXT: "$$(HOME) $(GREETING)", LOG_LEVEL: debug}
                            config: {data: {GREETING: hello}}
                            dependsOn: [db]
                        """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void noRuleRefuses(String what, String services) throws Exception {
        assertEquals(List.of(), check(HEADER + services), what);
    }
}
