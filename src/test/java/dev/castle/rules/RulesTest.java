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

    /**
     * A case: the services (and more) after the header, the message, its line:column (the header is
     * lines 1-3); a case that changes the header starts with it.
     */
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
                Arguments.of("ExposureRules.ingressControllerIsLocated", """
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            expose: {via: ingress, hosts: [web.example.com]}
                        """, "the network policies admit the ingress controller's pods, but their namespace is not said", "8:19"),
                Arguments.of("ExposureRules.createdGatewayIsInTheReleaseNamespace", """
                        gateway: {create: true, className: istio, namespace: gateway-system}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                        """, "gateway.create puts the Gateway in the release namespace, not in gateway-system", "4:54"),
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
                Arguments.of("NameRules.systemNameFitsReleaseName", HEADER.replace("name: shop,", "name: " + "s".repeat(54) + ",") + """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}}
                        """, "the system name has 54 characters", "3:18"),
                Arguments.of("NameRules.environmentNamespaceFits", HEADER.replace("name: shop,", "name: " + "s".repeat(40) + ",") + """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}}
                        environments:
                          %s: {}
                        """.formatted("e".repeat(30)), "has 71 characters", "7:3"),
                Arguments.of("CollisionRules.generatedNamesAreUnique (canary)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, canary: {}}
                          web-canary: {image: ghcr.io/acme/web:1.0.0, probes: {liveness: false, readiness: false}}
                        """, "the Deployment of service 'web-canary' and the Deployment of the canary of service 'web'", "6:3"),
                Arguments.of("CollisionRules.generatedNamesAreUnique (hook Job)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, hooks: {migrate: {when: [post-install]}}}
                          web-migrate: {image: ghcr.io/acme/web:1.0.0, workload: Job}
                        """, "are both the Job 'shop-web-migrate'", "6:3"),
                Arguments.of("CollisionRules.generatedNamesAreUnique (hook ConfigMap)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, config: {data: {a: b}}, hooks: {m: {when: [post-install]}}}
                          web-hook: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, config: {data: {a: b}}}
                        """, "are both the ConfigMap 'shop-web-hook'", "6:3"),
                Arguments.of("CollisionRules.generatedNamesAreUnique (PVC)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, replicas: 1, volumes: {cache-x: {mountPath: /c, persistent: {}}}}
                          web-cache: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, replicas: 1, volumes: {x: {mountPath: /c, persistent: {}}}}
                        """, "are both the PersistentVolumeClaim 'shop-web-cache-x'", "6:90"),
                Arguments.of("CollisionRules.generatedNamesAreUnique (TLS Secret)", """
                        infrastructure:
                          web-tls: {type: redis}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, expose: {via: ingress, hosts: [a.example.com], tls: {issuer: le}}}
                        network: {ingressNamespace: ingress-nginx}
                        """, "are both the Secret 'shop-web-tls'", "5:3"),
                Arguments.of("CollisionRules.generatedNamesAreUnique (ServiceAccount)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, serviceAccount: {name: shared}}
                          api: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, serviceAccount: {name: shared}}
                        """, "are both the ServiceAccount 'shared'", "5:78"),
                Arguments.of("CollisionRules.generatedNamesAreUnique (NetworkPolicy)", """
                        services:
                          default-deny: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}}
                        """, "are both the NetworkPolicy 'shop-default-deny'", "5:3"),
                Arguments.of("CollisionRules.generatedNamesAreUnique (operator's Service)", """
                        infrastructure:
                          db: {type: postgresql, mode: operator}
                        services:
                          db-rw: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}}
                        """, "are both the Service 'shop-db-rw'", "5:3"),
                Arguments.of("CollisionRules.generatedNamesAreUnique (credentials Job)", """
                        infrastructure:
                          db: {type: postgresql}
                        services:
                          db-credentials: {image: ghcr.io/acme/web:1.0.0, workload: Job}
                        network: {policies: false}
                        """, "are both the Job 'shop-db-credentials'", "5:3"),
                Arguments.of("CollisionRules.environmentNamesLeaveCanaryOverlays", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, canary: {}}
                        environments:
                          prod: {}
                          prod-canary: {}
                        """, "environment 'prod-canary' has the name of the canary overlay of environment 'prod'", "8:3"),
                Arguments.of("LabelRules.podLabelsLeaveCastlesLabels", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, podLabels: {app.kubernetes.io/name: x}}
                        """, "the pod label app.kubernetes.io/name is castle's own", "5:73"),
                Arguments.of("LabelRules.chartLabelIsLabelValue", HEADER.replace("version: 1.0.0}", "version: 1.0.0-" + "a".repeat(51) + ".b}")
                        + """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}}
                        """, "the chart label helm.sh/chart: shop-1.0.0-", "3:33"),
                Arguments.of("SizeRules.annotationsFit", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, podAnnotations: {a: "%s"}}
                        """.formatted("x".repeat(260_000)), "the annotations take 260001 bytes, and Kubernetes holds at most 262144", "5:77"),
                Arguments.of("SizeRules.argumentsFit", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, env: {BIG: "%s"}}
                        """.formatted("x".repeat(131_068)), "the variable BIG takes 131072 bytes, and Linux starts no process", "5:72"),
                Arguments.of("SizeRules.podTemplateFits", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, args: [%s]}
                        """.formatted(String.join(", ", java.util.Collections.nCopies(9, "x".repeat(120_000)))),
                        "take 1080000 bytes of its pod template", "5:3"),
                Arguments.of("FormatRules.scheduleIsCron", """
                        services:
                          report: {image: ghcr.io/acme/web:1.0.0, workload: CronJob, schedule: "61 * * * *"}
                        """, "the minute field '61' is not between 0 and 59", "5:72"),
                Arguments.of("FormatRules.backupScheduleIsCron", """
                        infrastructure:
                          db: {type: postgresql, mode: operator, operator: {backup: {destinationPath: "s3://b/p", secret: {name: s3}, schedule: "0 61 2 * * *"}}}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}}
                        """, "'0 61 2 * * *' is not a schedule CloudNativePG reads: the minute field '61' is not between 0 and 59", "5:121"),
                Arguments.of("FormatRules.timeZoneIsKnown", """
                        services:
                          report: {image: ghcr.io/acme/web:1.0.0, workload: CronJob, schedule: "@daily", timeZone: Mars/Olympus}
                        """, "'Mars/Olympus' is not a time zone", "5:92"),
                Arguments.of("FormatRules.sourceRangesAreCidrs", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, service: {type: LoadBalancer, loadBalancerSourceRanges: [10.0.0.256/8]}}
                        """, "'10.0.0.256/8' is not a network in CIDR notation", "5:118"),
                Arguments.of("FormatRules.cidrIsNetwork", """
                        infrastructure:
                          db: {type: postgresql, mode: external, host: db.example.com, cidr: 10.0.0.0/33}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}}
                        """, "'10.0.0.0/33' is not a network in CIDR notation", "5:70"),
                Arguments.of("FormatRules.percentagesAtMost100", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, disruptionBudget: {maxUnavailable: 101%}}
                        """, "101% is more than 100%", "5:96"),
                Arguments.of("FormatRules.hostsAreNames", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, expose: {via: ingress, hosts: [192.168.0.1]}}
                        network: {ingressNamespace: ingress-nginx}
                        """, "'192.168.0.1' is an IP address, not a host name", "5:92"),
                Arguments.of("FormatRules.pathsAreUrlPaths", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, expose: {hosts: [a.example.com], paths: ["/a b"]}}
                        """, "'/a b' is not a URL path", "5:102"),
                Arguments.of("FormatRules.pathsAreUrlPaths (not normalized)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, expose: {via: ingress, hosts: [a.example.com], paths: ["/a//b"]}}
                        network: {ingressNamespace: ingress-nginx}
                        """, "'/a//b' has //, /./, /../, an escaped '/' (%2F) or ends in /. or /..", "5:116"),
                Arguments.of("FormatRules.pathsAreUrlPaths (an exact path)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, expose: {hosts: [a.example.com], paths: [{path: "/a b", match: exact}]}}
                        """, "'/a b' is not a URL path", "5:109"),
                Arguments.of("ExposureRules.hostAndPathRouteToOneService (the same exact path)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, expose: {hosts: [a.example.com], paths: [{path: /login, match: exact}]}}
                          api: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, expose: {hosts: [a.example.com], paths: [/api, {path: /login, match: exact}]}}
                        """, "host a.example.com with path /login is also routed to service 'api' (line 6", "5:78"),
                Arguments.of("VolumeRules.configMountsNameKeys", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, config: {data: {a: b}, mounts: {nginx.conf: /etc/nginx/nginx.conf}}}
                        """, "'nginx.conf' is not a key of the config", "5:93"),
                Arguments.of("VolumeRules.configMountsNameKeys (inside the config folder)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, config: {data: {a: b}, mountPath: /etc/web, mounts: {a: /etc/web/x/a}}}
                        """, "/etc/web/x/a lies in the config folder /etc/web, mounted read-only", "5:117"),
                Arguments.of("VolumeRules.mountPathsAreDistinct (a config key)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, config: {data: {a: b}, mounts: {a: /data}}, volumes: {data: {mountPath: /data, emptyDir: {}}}}
                        """, "mount path /data is also used by volume data", "5:96"),
                Arguments.of("VolumeRules.mountPathsAreDistinct (a key of a Secret)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, config: {data: {a: b}, mounts: {a: /app/a}}, secrets: {s: {mounts: {k: /app/a}}}}
                        """, "mount path /app/a is also used by config key a", "5:132"),
                Arguments.of("VolumeRules.mountPathsAreDistinct (a shared config folder)", """
                        config:
                          shared: {files: {f: pom.xml}}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, sharedConfig: {shared: {mountPath: /data}}, volumes: {data: {mountPath: /data, emptyDir: {}}}}
                        """, "mount path /data is also used by shared config shared", "7:133"),
                Arguments.of("VolumeRules.fileMountsLieOutsideReadOnlyFolders (a key of a Secret in another Secret's folder)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, secrets: {keys: {mountPath: /keys}, s: {mounts: {k: /keys/k}}}}
                        """, "/keys/k lies in the folder of the secret keys /keys, mounted read-only", "5:113"),
                Arguments.of("VolumeRules.fileMountsLieOutsideReadOnlyFolders (a key of a Secret in the shared config's folder)", """
                        config:
                          shared: {files: {f: pom.xml}}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, sharedConfig: {shared: {mountPath: /app/config}}, secrets: {s: {mounts: {k: /app/config/k}}}}
                        """, "/app/config/k lies in the folder of the shared config shared /app/config, mounted read-only", "7:137"),
                Arguments.of("VolumeRules.fileMountsLieOutsideReadOnlyFolders (a shared config key in the config folder)", """
                        config:
                          shared: {files: {f: pom.xml}}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, config: {data: {a: b}, mountPath: /etc/web}, sharedConfig: {shared: {mounts: {f: /etc/web/f}}}}
                        """, "/etc/web/f lies in the config folder /etc/web, mounted read-only", "7:142"),
                Arguments.of("SharedRules.sharedConfigIsDeclaredAndRead (a mounted key)", """
                        config:
                          shared: {files: {f: pom.xml}}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, sharedConfig: {shared: {mounts: {g: /app/g}}}}
                        """, "'g' is not a key of the shared config 'shared'", "7:94"),
                Arguments.of("SecretRules.referencedSecretsAreRead", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, secrets: {s: {envFrom: false}}}
                        """, "the pods would read nothing of the Secret 's'", "5:74"),
                Arguments.of("SecretRules.referencedKeysExist (a mounted key)", """
                        secretStore: {name: vault}
                        secrets:
                          app-config: {externalSecret: {data: {config.json: {key: app/config}}}}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, secrets: {app-config: {mounts: {settings.json: /app/settings.json}}}}
                        """, "'settings.json' is not a key of the Secret 'app-config'", "8:108"),
                Arguments.of("RolloutRules.rolloutFitsWorkload (a Job)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, workload: Job, command: [run], rollout: {minReadySeconds: 3}}
                        """, "a Job has no rollout", "5:71"),
                Arguments.of("RolloutRules.rolloutFitsWorkload (a StatefulSet's surge)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, workload: StatefulSet, rollout: {maxSurge: 1}}
                        """, "maxSurge is a Deployment's", "5:94"),
                Arguments.of("RolloutRules.rolloutFitsWorkload (a Deployment's partition)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, rollout: {partition: 1}}
                        """, "partition is a StatefulSet's", "5:71"),
                Arguments.of("RolloutRules.rolloutFitsWorkload (recreate with a surge)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, rollout: {strategy: recreate, maxSurge: 1}}
                        """, "the recreate strategy stops every pod first: it has no maxSurge", "5:91"),
                Arguments.of("RolloutRules.rollingUpdateProgresses (no surge, none unavailable)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, rollout: {maxSurge: 0, maxUnavailable: 0%}}
                        """, "maxSurge and maxUnavailable are both 0", "5:70"),
                Arguments.of("RolloutRules.rollingUpdateProgresses (deadline)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, rollout: {minReadySeconds: 60, progressDeadlineSeconds: 30}}
                        """, "progressDeadlineSeconds (30) must be more than minReadySeconds (60)", "5:117"),
                Arguments.of("FormatRules.percentagesAtMost100 (rollout)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, rollout: {maxUnavailable: 150%}}
                        """, "150% is more than 100%", "5:87"),
                Arguments.of("ExposureRules.createdGatewayNamesItsClass", """
                        gateway: {create: true}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}}
                        """, "gateway.create needs the GatewayClass of the Gateway castle creates", "4:19"),
                Arguments.of("FormatRules.headerNamesAreTokens", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, probes: {liveness: {http: {path: /x, headers: {"X Y": v}}}}}
                        """, "'X Y' is not an HTTP header name", "5:108"),
                Arguments.of("PlacementRules.nodeSelectorIsLabels", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, placement: {nodeSelector: {zone: "us east"}}}
                        """, "'us east' is not a label value", "5:94"),
                Arguments.of("PlacementRules.tolerationsAreConsistent", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, placement: {tolerations: [{key: a, operator: Exists, value: b}]}}
                        """, "a toleration with operator Exists takes no value", "5:121"),
                Arguments.of("PlacementRules.topologyKeysAreLabelKeys", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, placement: {topologySpread: [{topologyKey: "zone key"}]}}
                        """, "'zone key' is not a label key", "5:104"),
                Arguments.of("PortRules.nodePortsAreUnique", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: {port: 8080, nodePort: 30080}}, service: {type: NodePort}}
                          api: {image: ghcr.io/acme/web:1.0.0, ports: {http: {port: 8080, nodePort: 30080}}, service: {type: NodePort}}
                        """, "node port 30080 is also taken at line 6, column 77", "5:77"),
                Arguments.of("ExposureRules.hostAndPathRouteToOneService", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, expose: {via: ingress, hosts: [a.example.com]}}
                          api: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, expose: {via: ingress, hosts: [a.example.com]}}
                        network: {ingressNamespace: ingress-nginx}
                        """, "host a.example.com with path / is also routed to service 'api' (line 6", "5:92"),
                Arguments.of("GraphRules.dependenciesNameCallables (port off the Service)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [{name: api, port: admin}]}
                          api: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080, admin: {port: 9090, expose: false}}}
                        """, "port 'admin' of service 'api' is kept off its Service", "5:91"),
                Arguments.of("ProbeRules.probesCallTcpPorts", """
                        services:
                          dns: {image: ghcr.io/acme/web:1.0.0, ports: {dns: {port: 53, protocol: UDP}, http: 8080}, probes: {liveness: {tcp: dns}}}
                        """, "port 'dns' is UDP, but the kubelet's http, tcp and grpc checks connect over TCP", "5:118"),
                Arguments.of("ProbeRules.podWithoutPortsHasHealthChecks (UDP only)", """
                        services:
                          dns: {image: ghcr.io/acme/web:1.0.0, ports: {dns: {port: 53, protocol: UDP}}, probes: {liveness: {exec: [true]}}}
                        """, "a Deployment without TCP ports needs an explicit readiness probe", "5:89"),
                Arguments.of("SecurityRules.capabilitiesFitBaseline", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, securityContext: {addCapabilities: [SYS_ADMIN]}}
                        """, "the capability SYS_ADMIN is forbidden by the Pod Security baseline level", "5:97"),
                Arguments.of("SecurityRules.seccompFitsBaseline", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, securityContext: {seccompProfile: Unconfined}}
                        """, "seccompProfile Unconfined is forbidden", "5:95"),
                Arguments.of("VolumeRules.volumeHasOneSource (none)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, volumes: {a: {mountPath: /a}}}
                        """, "volume 'a' has no source", "5:74"),
                Arguments.of("VolumeRules.mountPathsAreDistinct (castle's /tmp)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, secrets: {creds: {mountPath: /etc/../tmp}}}
                        """, "mount path /etc/../tmp (that is /tmp) is also used by castle's own volume tmp", "5:90"),
                Arguments.of("VolumeRules.mountPathsAreDistinct (a trailing slash)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, config: {data: {a: b}, mountPath: /etc/web}, volumes: {a: {mountPath: /etc/web/, emptyDir: {}}}}
                        """, "mount path /etc/web/ (that is /etc/web) is also used by the config", "5:131"),
                Arguments.of("VolumeRules.subPathStaysInVolume", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, volumes: {a: {mountPath: /a, subPath: ../x, emptyDir: {}}}}
                        """, "subPath '../x' leaves the volume", "5:99"),
                Arguments.of("ConfigRules.keysAreConfigMapKeys", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, config: {data: {..data: x}}}
                        """, "'..data' cannot be a ConfigMap key", "5:77"),
                Arguments.of("ConfigRules.configFitsInConfigMap (data)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, config: {data: {a: "%s", b: "%s"}}}
                        """.formatted("x".repeat(600_000), "y".repeat(600_000)), "the config's data and files add up to 1200000 bytes", "5:69"),
                Arguments.of("ResourceRules.serviceQuantitiesFit", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, resources: {requests: {memory: 1e400}}}
                        """, "the quantity 1e400 is larger than Kubernetes can hold", "5:92"),
                Arguments.of("InfrastructureRules.chartRepositoryIsSecure", """
                        infrastructure:
                          db: {type: postgresql, mode: chart, chart: {repository: "http://charts.example.com", name: postgresql, version: 1.2.3}}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}}
                        """, "the chart repository http://charts.example.com is plain HTTP", "5:59"),
                Arguments.of("ImageRules.componentImageIsPinned", """
                        infrastructure:
                          db: {type: postgresql, version: latest}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}}
                        """, "the image tag 'latest' is not reproducible", "5:35"),
                Arguments.of("ImageRules.referenceIsValid (a 129-character tag)", """
                        services:
                          web: {image: "ghcr.io/acme/web:%s", ports: {http: 8080}}
                        """.formatted("a".repeat(129)), "is not a valid image tag (129 characters)", "5:16"),
                Arguments.of("ImageRules.otherImagesAreValid (canary)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, canary: {image: ünïcödé}}
                        """, "'ünïcödé' is not a valid image reference", "5:77"),
                Arguments.of("EnvironmentRules.overridesFitBase (config)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}}
                        environments:
                          prod:
                            services:
                              web: {config: {data: {a: b}}}
                        """, "the service has no config in the base", "9:21"),
                Arguments.of("EnvironmentRules.startupDependenciesStayEnabled", """
                        infrastructure:
                          db: {type: postgresql}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [db]}
                        environments:
                          prod:
                            infrastructure:
                              db: {enabled: false}
                        """, "service 'web' waits at start-up for 'db', which environment prod switches off", "11:21"),
                Arguments.of("an environment's problem with a base field points at the override that causes it", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, resources: {limits: {cpu: 300m}}}
                        environments:
                          prod:
                            all:
                              resources: {requests: {cpu: 500m}}
                        """, "in environment prod: the cpu limit is below the request (with /services/web/resources/limits/cpu of the base,"
                        + " line 5, column 87)", "9:18"),
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
        assertOnlyFinding(rule, services.startsWith("apiVersion:") ? services : HEADER + services, message, at);
    }

    /** The descriptor has exactly one finding, with this message at this line:column. */
    static void assertOnlyFinding(String rule, String descriptor, String message, String at) throws Exception {
        List<Diagnostic> found = check(descriptor);
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
                Arguments.of("a configuration file from a Secret beside one from a shared config, in a folder of the image", """
                        config:
                          tracing: {files: {jaeger-config.yml: pom.xml}}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            config: {files: {nginx.conf: pom.xml}, mounts: {nginx.conf: /usr/local/openresty/nginx/conf/nginx.conf}}
                            sharedConfig: {tracing: {mounts: {jaeger-config.yml: /app/config/jaeger-config.yml}}}
                            secrets: {app-config: {mounts: {service-config.json: /app/config/service-config.json}}}
                            volumes: {scratch: {mountPath: /app/scratch, emptyDir: {}}}
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
