package dev.castle.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;


/**
 * The rules of what real systems need (issue 13): authentication of components, Service names,
 * dependency formats, sidecars, versions, egress, shared configuration... Each case: a small
 * descriptor, the message and its line:column (the header is lines 1-3); then descriptors the
 * six public systems need that no rule may refuse.
 */
class SystemNeedsRulesTest {
    private static final String HEADER = """
            apiVersion: castle/v1alpha1
            kind: System
            metadata: {name: shop, version: 1.0.0}
            """;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("AuthRules.modeFitsType", """
                        infrastructure:
                          events: {type: kafka, auth: generated}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [events]}
                        """, "castle's embedded kafka takes no credentials", "5:31"),
                Arguments.of("AuthRules.modeFitsType (memcached)", """
                        infrastructure:
                          cache: {type: memcached, auth: {existingSecret: {name: cache}}}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [cache]}
                        """, "castle's embedded memcached takes no credentials", "5:34"),
                Arguments.of("ObservabilityRules.tracingBackendIsATracingComponent (no component)", """
                        observability:
                          tracing: {backend: jaegr}
                        infrastructure:
                          jaeger: {type: jaeger}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}}
                        """, "'jaegr' is not an infrastructure component of the system", "5:22"),
                Arguments.of("ObservabilityRules.tracingBackendIsATracingComponent (not a tracing type)", """
                        observability:
                          tracing: {backend: db}
                        infrastructure:
                          db: {type: postgresql}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [db]}
                        """, "'db' is a postgresql, not a tracing backend", "5:22"),
                Arguments.of("ObservabilityRules.tracingBackendIsATracingComponent (outside the release)", """
                        observability:
                          tracing: {backend: jaeger}
                        infrastructure:
                          jaeger: {type: jaeger, mode: external, host: jaeger.example.com}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}}
                        """, "'jaeger' is external: a backend is a component the release runs (embedded)", "5:22"),
                Arguments.of("ObservabilityRules.tracingBackendIsATracingComponent (endpoint too)", """
                        observability:
                          tracing: {backend: jaeger, endpoint: "http://collector:4317"}
                        infrastructure:
                          jaeger: {type: jaeger}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}}
                        """, "the endpoint and the backend 'jaeger' both say where the spans go", "5:40"),
                Arguments.of("EnvironmentRules.tracingBackendStaysEnabled (a warning)", """
                        observability:
                          tracing: {backend: jaeger}
                        infrastructure:
                          jaeger: {type: jaeger}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}}
                        environments:
                          dev:
                            infrastructure:
                              jaeger: {enabled: false}
                        """, "environment dev switches off 'jaeger', the tracing backend of 'web' and the other traced services", "13:25"),
                Arguments.of("GraphRules.dependenciesNameCallables (the agent of a Jaeger without one)", """
                        infrastructure:
                          jaeger: {type: jaeger, version: "1.63.0"}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [{name: jaeger, port: agent-compact}]}
                        """, "jaeger 1.63.0 has no agent (Jaeger removed it in 1.63), so nothing listens on 'agent-compact'", "7:94"),
                Arguments.of("GraphRules.dependenciesNameCallables (a port the component lacks)", """
                        infrastructure:
                          jaeger: {type: jaeger}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [{name: jaeger, port: grpc}]}
                        """, "'grpc' is not a port of component 'jaeger'", "7:94"),
                Arguments.of("GraphRules.startupWaitsOnTcp (the Jaeger agent)", """
                        infrastructure:
                          jaeger: {type: jaeger, version: "1.57.0"}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [{name: jaeger, port: agent-compact, startup: true}]}
                        """, "the start-up wait for 'jaeger' connects over TCP, but its port 6831 is UDP", "7:118"),
                Arguments.of("AuthRules.modeFitsType (jaeger)", """
                        infrastructure:
                          jaeger: {type: jaeger, auth: generated}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}}
                        """, "castle's embedded jaeger takes no credentials", "5:32"),
                Arguments.of("InfrastructureRules.versionIsSupported (jaeger)", """
                        infrastructure:
                          jaeger: {type: jaeger, version: "1.34.0"}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}}
                        """, "jaeger 1.34.0 is older than castle's embedded jaeger supports", "5:35"),
                Arguments.of("ServerRules.envLeavesCastlesVariables (jaeger)", """
                        infrastructure:
                          jaeger: {type: jaeger, env: {SPAN_STORAGE_TYPE: elasticsearch}}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}}
                        """, "SPAN_STORAGE_TYPE is set by castle for the embedded jaeger", "5:32"),
                Arguments.of("ServerRules.configFilesFitTheImage (jaeger)", """
                        infrastructure:
                          jaeger: {type: jaeger, config: {files: {jaeger.yaml: src/test/resources/descriptors/valid/files/tricky.conf}}}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}}
                        """, "the jaeger image takes its settings as variables, not files", "5:34"),
                Arguments.of("AuthRules.memcachedTakesNoCredentials (external, secret)", """
                        infrastructure:
                          cache: {type: memcached, mode: external, host: cache.example.com, secret: {name: cache}}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [cache]}
                        """, "memcached takes no credentials: castle gives its clients a host and a port only", "5:77"),
                Arguments.of("InfrastructureRules.versionIsSupported (memcached)", """
                        infrastructure:
                          cache: {type: memcached, version: "1.5.22"}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [cache]}
                        """, "memcached 1.5.22 is older than castle's embedded memcached supports", "5:37"),
                Arguments.of("ServerRules.configFilesFitTheImage (memcached)", """
                        infrastructure:
                          cache: {type: memcached, config: {files: {memcached.conf: src/test/resources/descriptors/valid/files/tricky.conf}}}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [cache]}
                        """, "the memcached image takes its settings as arguments, not files", "5:36"),
                Arguments.of("AuthRules.generatedOnlyEmbedded", """
                        infrastructure:
                          db: {type: postgresql, mode: external, host: db.example.com, auth: generated}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [db]}
                        """, "castle generates credentials only for a component it runs", "5:70"),
                Arguments.of("AuthRules.secretSaidOnce", """
                        infrastructure:
                          db: {type: postgresql, mode: external, host: db.example.com, secret: {name: db}, auth: none}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [db]}
                        """, "the credentials are given twice", "5:72"),
                Arguments.of("AuthRules.existingSecretKeysFit (username of an embedded server)", """
                        infrastructure:
                          db: {type: postgresql, auth: {existingSecret: {name: db, usernameKey: user}}}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [db]}
                        """, "the embedded server's user is its username ('app')", "5:73"),
                Arguments.of("AuthRules.existingSecretKeysFit (root password of another type)", """
                        infrastructure:
                          db: {type: postgresql, auth: {existingSecret: {name: db, rootPasswordKey: root}}}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [db]}
                        """, "rootPasswordKey is the password of the administrator of an embedded mongodb or mysql (root)", "5:77"),
                Arguments.of("AuthRules.usernameNeedsAuthentication", """
                        infrastructure:
                          db: {type: mysql, auth: none, username: shop}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [db]}
                        """, "without authentication (auth: none) there is no user to name (clients connect as root)", "5:43"),
                Arguments.of("InfrastructureRules.versionIsSupported (credentials need mongosh)", """
                        infrastructure:
                          db: {type: mongodb, version: "4.4.6"}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [db]}
                        """, "mongodb 4.4.6 is older than castle's embedded mongodb supports", "5:32"),
                Arguments.of("InfrastructureRules.versionIsSupported (rabbitmq before 3.10 with credentials)", """
                        infrastructure:
                          queue: {type: rabbitmq, version: "3.6.8-management"}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [queue]}
                        """, "rabbitmq 3.6.8-management is older than castle's embedded rabbitmq supports: RabbitMQ itself reads", "5:36"),
                Arguments.of("InfrastructureRules.versionIsSupported (rabbitmq before 3.6)", """
                        infrastructure:
                          queue: {type: rabbitmq, version: "3.5.7-management", auth: none}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [queue]}
                        """, "rabbitmq 3.5.7-management is older than castle's embedded rabbitmq supports: 3.6 is the oldest line", "5:36"),
                Arguments.of("InfrastructureRules.versionIsSupported (mysql 5.6 before MYSQL_ROOT_HOST)", """
                        infrastructure:
                          db: {type: mysql, version: "5.6.34"}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [db]}
                        """, "mysql 5.6.34 is older than castle's embedded mysql supports", "5:30"),
                Arguments.of("InfrastructureRules.versionIsSupported (mysql 5.5)", """
                        infrastructure:
                          db: {type: mysql, version: "5.5", auth: none}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [db]}
                        """, "mysql 5.5 is older than castle's embedded mysql supports", "5:30"),
                Arguments.of("ServerRules.olderRabbitmqCanDoIt (config files)", """
                        infrastructure:
                          queue: {type: rabbitmq, version: "3.8", auth: none, config: {files: {limits.conf: limits.conf}}}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [queue]}
                        """, "the rabbitmq 3.8 image reads no conf.d", "5:63"),
                Arguments.of("ServerRules.olderRabbitmqCanDoIt (a virtual host)", """
                        infrastructure:
                          queue: {type: rabbitmq, version: "3.7", auth: none, database: orders}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [queue]}
                        """, "the rabbitmq 3.7 image runs RabbitMQ's default virtual host '/' only", "5:65"),
                Arguments.of("ServerRules.olderRabbitmqCanDoIt (metrics without the management plugin)", """
                        infrastructure:
                          queue: {type: rabbitmq, version: "3.6.8", auth: none, metrics: true}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [queue]}
                        """, "the metrics of rabbitmq 3.6.8 come from the exporter beside it, which reads the management API", "5:66"),
                Arguments.of("ServerRules.olderRabbitmqCanDoIt (a variable the entrypoint writes into the file)", """
                        infrastructure:
                          queue: {type: rabbitmq, version: "3.9-management", auth: none, env: {RABBITMQ_VM_MEMORY_HIGH_WATERMARK: "0.5"}}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [queue]}
                        """, "the entrypoint of the rabbitmq 3.9-management image writes RABBITMQ_VM_MEMORY_HIGH_WATERMARK", "5:72"),
                Arguments.of("EnvironmentRules.overridesFitBase (a rabbitmq version across 3.10)", """
                        infrastructure:
                          queue: {type: rabbitmq, version: "3.13-management", auth: none}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [queue]}
                        environments:
                          dev:
                            infrastructure:
                              queue: {version: "3.6.8-management"}
                        """, "rabbitmq 3.6.8-management here and 3.13-management in the base are on both sides of 3.10", "11:24"),
                Arguments.of("AuthRules.managedModesWriteTheirOwn", """
                        infrastructure:
                          db: {type: postgresql, mode: operator, auth: none}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [db]}
                        """, "a component run by an operator has the credentials its operator writes in its own Secret", "5:48"),
                Arguments.of("ServiceNameRules.serviceNameApplies (claim)", """
                        infrastructure:
                          db: {type: mysql, mode: claim, serviceName: db, claim: {apiVersion: db.example.org/v1, kind: MySQL}}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [db]}
                        """, "serviceName does not apply to a component claimed", "5:47"),
                Arguments.of("CompanionRules.namesAreDistinct (the service's own)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, sidecars: {web: {image: ghcr.io/acme/x:1.0.0}}}
                        """, "'web' is already the name of a container of the pod (the service's own)", "5:72"),
                Arguments.of("CompanionRules.namesAreDistinct (castle's waits)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, initContainers: {wait-for-db: {image: ghcr.io/acme/x:1.0.0}}}
                        """, "container names starting with wait-for- are castle's", "5:78"),
                Arguments.of("CompanionRules.imagesArePinned", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, sidecars: {proxy: {image: ghcr.io/acme/proxy:latest}}}
                        """, "the image tag 'latest' is not reproducible", "5:87"),
                Arguments.of("CompanionRules.mountsNameVolumes", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, initContainers: {clone: {image: ghcr.io/acme/git:1.0.0, mounts: {site: /site}}}}
                        """, "'site' is not a volume of the service", "5:126"),
                Arguments.of("PortRules.portsAreUnique (a sidecar's port name)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, sidecars: {proxy: {image: ghcr.io/acme/p:1.0.0, ports: {http: 9090}}}}
                        """, "port name 'http' is taken twice in the pod", "5:117"),
                Arguments.of("PortRules.portsAreUnique (a sidecar's port number)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, sidecars: {proxy: {image: ghcr.io/acme/p:1.0.0, ports: {proxy: {port: 8080, servicePort: 9090}}}}}
                        """, "container port 8080/TCP is used twice", "5:124"),
                Arguments.of("ResourceRules.limitCoversRequest (a sidecar's)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, sidecars: {proxy: {image: ghcr.io/acme/p:1.0.0, resources: {limits: {cpu: 5m}}}}}
                        """, "the cpu limit is below the default request", "5:135"),
                Arguments.of("EnvReferenceRules.companionReferencesNameTheirVariables", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, env: {A: "1"}, sidecars: {proxy: {image: ghcr.io/acme/p:1.0.0, env: {B: "$(A)"}}}}
                        """, "$(A) in B names no variable of this container", "5:133"),
                Arguments.of("ServerRules.configFilesFitTheImage (kafka)", """
                        infrastructure:
                          events: {type: kafka, config: {files: {server.properties: src/test/resources/descriptors/valid/files/tricky.conf}}}
                        """, "the kafka image takes its settings as variables, not files", "5:33"),
                Arguments.of("ServerRules.configFilesFitTheImage (a name the folder does not read)", """
                        infrastructure:
                          db: {type: mysql, config: {files: {tuning.conf: src/test/resources/descriptors/valid/files/tricky.conf}}}
                        """, "the mysql image reads /etc/mysql/conf.d/*.cnf; 'tuning.conf' is not such a name", "5:38"),
                Arguments.of("ServerRules.envLeavesCastlesVariables", """
                        infrastructure:
                          db: {type: postgresql, env: {POSTGRES_USER: admin}}
                        """, "POSTGRES_USER is set by castle for the embedded postgresql", "5:32"),
                Arguments.of("InfrastructureRules.fieldsFitMode (args of an external component)", """
                        infrastructure:
                          db: {type: postgresql, mode: external, host: db.example.com, args: [-c, x=1]}
                        """, "args does not apply to mode external", "5:70"),
                Arguments.of("ServerRules.metricsHaveAnExporter", """
                        infrastructure:
                          events: {type: kafka, metrics: true}
                        """, "castle runs no metrics exporter for the embedded kafka", "5:34"),
                Arguments.of("ProbeRules.probeHasOneCheck (the service's health check)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, probes: {http: /health, grpc: http}}
                        """, "the service's health check has http and grpc", "5:69"),
                Arguments.of("ProbeRules.probePortsExist (the service's health check)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, probes: {grpc: admin}}
                        """, "probe port 'admin' is not a port of this service", "5:76"),
                Arguments.of("ServiceNameRules.serviceNamesAreUnique (a fixed name another Service has)", """
                        services:
                          a: {image: ghcr.io/acme/a:1.0.0, ports: {http: 8080}, serviceName: shop-b}
                          b: {image: ghcr.io/acme/b:1.0.0, ports: {http: 8080}}
                        """, "the Service name 'shop-b' is taken twice: by the Service of 'a' and by the Service of 'b'", "5:70"),
                Arguments.of("ServiceNameRules.serviceNamesAreUnique (exact names and a headless Service)", """
                        network: {serviceNames: exact}
                        infrastructure:
                          db: {type: postgresql}
                        services:
                          shop-db-headless: {image: ghcr.io/acme/a:1.0.0, ports: {http: 8080}}
                        """, "the Service name 'shop-db-headless' is taken twice", "6:7"),
                Arguments.of("ServiceNameRules.serviceNameApplies (external)", """
                        infrastructure:
                          db: {type: postgresql, mode: external, host: db.example.com, serviceName: db}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [db]}
                        """, "serviceName does not apply to an external component", "5:77"),
                Arguments.of("ServiceNameRules.serviceNameApplies (Flagger)", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, serviceName: web, canary: {strategy: flagger}}
                        """, "Flagger names the Services after the workload", "5:74"),
                Arguments.of("EnvReferenceRules.formatsHoldKnownPlaceholders (credentials of a component without)", """
                        infrastructure:
                          cache: {type: redis, auth: none}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            dependsOn: [{name: cache, env: {url: {name: CACHE, format: "redis://:{password}@{host}:{port}"}}}]
                        """, "'cache' has no password (it takes no credentials)", "10:64"),
                Arguments.of("EnvReferenceRules.formatsHoldKnownPlaceholders (the database of a service)", """
                        services:
                          api: {image: ghcr.io/acme/api:1.0.0, ports: {grpc: 9090}}
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            dependsOn: [{name: api, env: {url: {name: API, format: "{host}:{port}/{database}"}}}]
                        """, "'api' has no database", "9:60"),
                Arguments.of("EnvironmentRules.overridesFitBase (all.autoscaling without an autoscaled service)", """
                        services:
                          api: {image: ghcr.io/acme/api:1.0.0, ports: {http: 80}}
                        environments:
                          dev: {all: {autoscaling: {maxReplicas: 2}}}
                        """, "all.autoscaling, but no service autoscales", "7:28"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void ruleReportsItsMessageAtItsPlace(String rule, String yaml, String message, String at) throws Exception {
        RulesTest.assertOnlyFinding(rule, HEADER + yaml, message, at);
    }

    /** Descriptors the six public systems need that no rule may refuse. */
    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("health checks on servers without a health endpoint, and one check for both probes", """
                        services:
                          plain: {image: ghcr.io/acme/web:1.0.0, ports: {http: 9080}}
                          grpc: {image: ghcr.io/acme/api:1.0.0, ports: {grpc: 9090}, probes: {grpc: grpc, startup: {failureThreshold: 30}}}
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, probes: {http: /health, readiness: {periodSeconds: 3}}}
                          worker: {image: ghcr.io/acme/worker:1.0.0, probes: {exec: [/bin/true]}}
                        """),
                Arguments.of("datastores without authentication, on the older images castle runs without it", """
                        infrastructure:
                          carts-db: {type: mongodb, version: "3.4", auth: none}
                          session-db: {type: redis, version: "5.0", auth: none}
                          catalogue-db: {type: mysql, version: "5.7", auth: none, database: socksdb}
                          queue: {type: rabbitmq, auth: none}
                          ledger: {type: postgresql, auth: none, username: ledger}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            dependsOn: [carts-db, session-db, catalogue-db, queue, ledger]
                        """),
                Arguments.of("the older RabbitMQ and MySQL the Sock Shop and Train-Ticket run", """
                        infrastructure:
                          rabbitmq: {type: rabbitmq, version: "3.6.8-management", auth: none, metrics: true}
                          broker: {type: rabbitmq, version: "3.8.34", auth: none, args: [], env: {RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: "+K true"}}
                          voucher: {type: mysql, version: "5.6.35", database: voucherservice, auth: {existingSecret: {name: voucher, rootPasswordKey: root-password}}}
                          ledger: {type: mysql, version: "5.6", metrics: true}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            dependsOn: [rabbitmq, broker, voucher, ledger]
                        """),
                Arguments.of("a tracing backend as a component, and a legacy client of its agent", """
                        observability:
                          tracing: {backend: jaeger, protocol: http/protobuf}
                        infrastructure:
                          jaeger: {type: jaeger, version: "1.62.0", metrics: true}
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}}
                          legacy:
                            image: ghcr.io/acme/legacy:1.0.0
                            ports: {thrift: 9090}
                            tracing: {enabled: false}
                            dependsOn: [{name: jaeger, port: agent-compact}, {name: jaeger-ui, port: 16686}]
                          jaeger-ui: {image: ghcr.io/acme/ui:1.0.0, ports: {http: 16686}}
                        """),
                Arguments.of("addresses in the callees' formats, composed from their parts", """
                        infrastructure:
                          db: {type: postgresql}
                          queue: {type: rabbitmq}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            args: ["-DSN=$(DB_DSN)"]
                            dependsOn:
                              - {name: db, env: {url: {name: DB_DSN, format: "{scheme}://{username}:{password}@{host}:{port}{path}?sslmode=disable"}}}
                              - {name: queue, env: {url: {name: AMQP, format: "amqp://{username}:{password}@{host}:{port}/{database}"}, host: {name: QUEUE, format: "tcp://{host}:{port}"}}}
                              - {name: api, env: {url: {name: API_ADDR, format: "{host}:{port}"}}}
                          api: {image: ghcr.io/acme/api:1.0.0, ports: {http: 8080}}
                        """),
                Arguments.of("environment-wide defaults when only some services autoscale", """
                        services:
                          web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 80}, autoscaling: {minReplicas: 2, maxReplicas: 6}}
                          api: {image: ghcr.io/acme/api:1.0.0, ports: {http: 80}}
                          nightly: {image: ghcr.io/acme/job:1.0.0, workload: CronJob, schedule: "0 3 * * *"}
                        environments:
                          dev: {all: {replicas: 1, autoscaling: {minReplicas: 1, maxReplicas: 2}}}
                        """),
                Arguments.of("credentials the application already has, in an existing Secret", """
                        infrastructure:
                          db: {type: mysql, username: catalogue_user, auth: {existingSecret: {name: catalogue-db, passwordKey: password}}}
                          docs: {type: mongodb, auth: {existingSecret: {name: docs, rootPasswordKey: admin}}}
                          vouchers: {type: mysql, auth: {existingSecret: {name: vouchers, rootPasswordKey: root-password}}}
                          managed: {type: postgresql, mode: external, host: pg.example.com, auth: {existingSecret: {name: pg, usernameKey: user}}}
                        services:
                          web:
                            image: ghcr.io/acme/web:1.0.0
                            ports: {http: 8080}
                            dependsOn: [db, docs, vouchers, managed]
                        """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void noRuleRefuses(String what, String yaml) throws Exception {
        assertEquals(List.of(), RulesTest.check(HEADER + yaml), what);
    }
}
