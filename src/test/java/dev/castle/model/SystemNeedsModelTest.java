package dev.castle.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The bind stage for what real systems need (issue 13): Service names, dependency formats over the
 * callee's parts, authentication modes; each decided once in the model.
 */
class SystemNeedsModelTest {
    private static SystemModel bind(String yaml) throws Exception {
        return ModelBinderTest.bind(ModelBinderTest.HEADER + yaml);
    }

    @Test
    void formatsComposeTheCalleesPartsAndReferenceItsCredentials() throws Exception {
        SystemModel system = bind("""
                infrastructure:
                  catalogue-db: {type: mysql, database: socksdb, serviceName: catalogue-db}
                  cache: {type: redis, auth: none}
                services:
                  catalogue:
                    image: ghcr.io/acme/catalogue:1.0.0
                    ports: {http: 80}
                    dependsOn:
                      - {name: catalogue-db, env: {url: {name: DSN, format: "{username}:{password}@tcp({host}:{port}){path}"}}}
                      - {name: cache, env: {url: {name: CACHE_SERVER, format: "tcp://{host}:{port}"}}}
                      - {name: api, env: {url: {name: API, format: "{scheme}://{host}:{port}/v1"}}}
                  api:
                    image: ghcr.io/acme/api:1.0.0
                    ports: {http: 8080}
                """);
        Service catalogue = system.service("catalogue").orElseThrow();
        Dependency db = catalogue.dependsOn().get(0);
        assertEquals("$(CATALOGUE_DB_USERNAME):$(CATALOGUE_DB_PASSWORD)@tcp({host}:{port})/socksdb", db.formats().url());
        assertEquals("catalogue-db", db.host(), "the Service's fixed name");
        assertEquals(List.of("{host}", "{port}", "{scheme}", "{database}", "{path}", "{username}", "{password}"), db.placeholders());
        Dependency cache = catalogue.dependsOn().get(1);
        assertEquals("tcp://{host}:{port}", cache.formats().url());
        assertEquals(List.of("{host}", "{port}", "{scheme}", "{path}"), cache.placeholders(), "no credentials without authentication");
        assertEquals("http://{host}:{port}/v1", catalogue.dependsOn().get(2).formats().url());
        assertEquals(List.of("CATALOGUE_DB_USERNAME", "CATALOGUE_DB_PASSWORD"),
                catalogue.injectedEnv().stream().filter(v -> v.name().equals("DSN")).findFirst().orElseThrow().references());
    }

    @Test
    void anOlderRabbitmqKeepsTheDefaultVirtualHostAndHasItsMetricsFromTheExporter() throws Exception {
        SystemModel system = bind("""
                infrastructure:
                  old: {type: rabbitmq, version: "3.6.8-management", auth: none, metrics: true}
                  middle: {type: rabbitmq, version: "3.9.29-management", auth: none}
                  recent: {type: rabbitmq, version: "3.13-management", auth: none, metrics: true}
                services:
                  web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [old, recent]}
                """);
        Infrastructure old = system.infrastructure("old").orElseThrow();
        assertEquals(true, old.olderRabbitmq());
        assertEquals("/", old.database(), "the default virtual host: castle gives the entrypoint no RABBITMQ_DEFAULT_VHOST");
        assertEquals("/etc/rabbitmq/rabbitmq.config", old.rabbitmqConfigFile(), "3.6 reads Erlang terms");
        assertEquals(9419, old.metricsPort());
        assertEquals("kbudde/rabbitmq-exporter", old.server().exporter().orElseThrow().repository());
        assertEquals(true, old.supportedVersions().contains(3, 6), "from 3.6 without authentication");
        assertEquals(false, old.supportedVersions().contains(3, 5));
        Infrastructure middle = system.infrastructure("middle").orElseThrow();
        assertEquals("/etc/rabbitmq/rabbitmq.conf", middle.rabbitmqConfigFile());
        Infrastructure recent = system.infrastructure("recent").orElseThrow();
        assertEquals(false, recent.olderRabbitmq());
        assertEquals("recent", recent.database());
        assertEquals("/etc/rabbitmq/conf.d/90-castle.conf", recent.rabbitmqConfigFile());
        assertEquals(15692, recent.metricsPort(), "its own Prometheus plugin");
        assertEquals(java.util.Optional.empty(), recent.server().exporter());
        List<Dependency> deps = system.service("web").orElseThrow().dependsOn();
        assertEquals("amqp://{host}:{port}/%2F", deps.get(0).formats().url(), "the virtual host / in an AMQP URI");
        assertEquals("amqp://{host}:{port}/recent", deps.get(1).formats().url());
    }

    @Test
    void memcachedBindsWithoutCredentialsOnAScratchVolumeAndGivesHostColonPort() throws Exception {
        SystemModel system = bind("""
                infrastructure:
                  cache: {type: memcached}
                  pinned: {type: memcached, version: "1.6.7", storage: {size: 1Gi}}
                services:
                  web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [cache, pinned]}
                """);
        Infrastructure cache = system.infrastructure("cache").orElseThrow();
        assertEquals(Infrastructure.Type.memcached, cache.type());
        assertEquals(Infrastructure.AuthMode.none, cache.auth().mode(), "no credentials: castle sets up none for memcached");
        assertEquals(java.util.Optional.empty(), cache.credentials());
        assertEquals(11211, cache.port());
        assertEquals("docker.io/library/memcached:" + Infrastructure.Type.memcached.defaultTag, cache.image().registry() + "/"
                + cache.image().repository() + ":" + cache.image().tag());
        assertEquals(new Infrastructure.Storage("16Mi", java.util.Optional.empty(), true), cache.storage(), "a scratch emptyDir");
        assertEquals("1Gi", system.infrastructure("pinned").orElseThrow().storage().size());
        assertEquals(new Infrastructure.Version(1, 6), system.infrastructure("pinned").orElseThrow().version().orElseThrow());
        assertEquals(true, cache.supportedVersions().contains(1, 6));
        assertEquals(false, cache.supportedVersions().contains(1, 5));
        Dependency d = system.service("web").orElseThrow().dependsOn().get(0);
        assertEquals("{host}:{port}", d.formats().url(), "memcached clients take host:port");
        assertEquals(java.util.Optional.empty(), d.credentials());
        assertEquals(List.of("CACHE_HOST", "CACHE_PORT", "CACHE_URL"), List.of(d.env().host(), d.env().port(), d.env().url()));
        assertEquals(11211, d.targetPort());
    }

    @Test
    void jaegerIsATracingBackendWithItsPortsByVersionAndItsTracesInMemory() throws Exception {
        SystemModel system = bind("""
                observability:
                  tracing: {backend: traces}
                infrastructure:
                  traces: {type: jaeger, version: "1.57.0"}
                  archive: {type: jaeger, storage: {ephemeral: false}}
                services:
                  web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [archive]}
                  quiet: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, tracing: {enabled: false}}
                  legacy: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}, dependsOn: [{name: traces, port: agent-compact}]}
                """);
        Infrastructure traces = system.infrastructure("traces").orElseThrow();
        assertEquals(Infrastructure.Type.jaeger, traces.type());
        assertEquals(Infrastructure.AuthMode.none, traces.auth().mode());
        assertEquals(java.util.Optional.empty(), traces.credentials());
        assertEquals(new Infrastructure.Storage("64Mi", java.util.Optional.empty(), true), traces.storage(), "in memory: a scratch emptyDir");
        assertEquals(new Infrastructure.Storage("8Gi", java.util.Optional.empty(), false), system.infrastructure("archive").orElseThrow().storage(),
                "Badger on a volume claim");
        assertEquals(List.of("otlp-grpc 4317/TCP", "otlp-http 4318/TCP", "query 16686/TCP", "agent-compact 6831/UDP", "agent-binary 6832/UDP",
                "admin 14269/TCP"), traces.serverPorts().stream().map(p -> p.name() + " " + p.port() + "/" + p.protocol()).toList());
        Infrastructure archive = system.infrastructure("archive").orElseThrow();
        assertEquals("docker.io/jaegertracing/all-in-one:" + Infrastructure.Type.jaeger.defaultTag, archive.image().registry() + "/"
                + archive.image().repository() + ":" + archive.image().tag());
        assertEquals(List.of("otlp-grpc", "otlp-http", "query", "admin"), archive.serverPorts().stream().map(Infrastructure.ServerPort::name).toList(),
                "no agent from 1.63");
        assertEquals(false, archive.serverPorts().get(3).onService(), "the admin port is the probes' and Prometheus'");

        // every traced service sends OTLP to the backend's Service; one without tracing does not
        Service web = system.service("web").orElseThrow();
        assertEquals("http://{release}-traces:4317", web.operations().tracing().endpoint());
        assertEquals(java.util.Optional.of(new Operations.TracingBackend("traces", "{release}-traces", "otlp-grpc", 4317)), web.tracesTo());
        assertEquals(java.util.Optional.empty(), system.service("quiet").orElseThrow().tracesTo());

        // a dependency on a Jaeger: its OTLP gRPC port by default (an HTTP URL), or the agent's UDP port named, without a start-up wait
        Dependency otlp = web.dependsOn().get(0);
        assertEquals(List.of(4317, "otlp-grpc", Service.Protocol.TCP, true, "http://{host}:{port}"),
                List.of(otlp.targetPort(), otlp.targetPortName(), otlp.protocol(), otlp.startup(), otlp.formats().url()));
        Dependency agent = system.service("legacy").orElseThrow().dependsOn().get(0);
        assertEquals(List.of(6831, "agent-compact", Service.Protocol.UDP, false, "{host}:{port}"),
                List.of(agent.targetPort(), agent.targetPortName(), agent.protocol(), agent.startup(), agent.formats().url()));
    }

    @Test
    void theBackendsOtlpPortFollowsTheProtocolAndItsServiceName() throws Exception {
        SystemModel system = bind("""
                network: {serviceNames: exact}
                observability:
                  tracing: {backend: jaeger, protocol: http/protobuf}
                infrastructure:
                  jaeger: {type: jaeger}
                services:
                  web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}}
                """);
        assertEquals("http://jaeger:4318", system.service("web").orElseThrow().operations().tracing().endpoint());
        assertEquals("otlp-http", system.observability().tracing().backend().orElseThrow().portName());
        SystemModel notATracer = bind("""
                observability:
                  tracing: {backend: db}
                infrastructure:
                  db: {type: postgresql}
                services:
                  web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 8080}}
                """);
        assertEquals(java.util.Optional.empty(), notATracer.observability().tracing().backend(), "the rules say why");
        assertEquals(java.util.Optional.of("db"), notATracer.observability().tracingBackendWritten());
        assertEquals("http://otel-collector.observability:4317", notATracer.observability().tracing().endpoint());
    }

    @Test
    void exactServiceNamesNameEveryServiceAsItsService() throws Exception {
        SystemModel system = bind("""
                network: {serviceNames: exact}
                infrastructure:
                  carts-db: {type: mongodb, version: "4.4", auth: none}
                services:
                  carts: {image: ghcr.io/acme/carts:1.0.0, ports: {http: 80}, dependsOn: [carts-db]}
                  front-end: {image: ghcr.io/acme/front:1.0.0, ports: {http: 8079}, dependsOn: [carts], serviceName: web}
                """);
        assertEquals("carts-db", system.service("carts").orElseThrow().dependsOn().get(0).host());
        assertEquals("carts", system.service("carts").orElseThrow().network().service().name());
        assertEquals("web", system.service("front-end").orElseThrow().network().service().name());
        assertEquals(SystemModel.ServiceNames.exact, system.network().serviceNames());
        assertEquals(Infrastructure.AuthMode.none, system.infrastructure("carts-db").orElseThrow().auth().mode());
        assertEquals(new Infrastructure.Version(4, 4), system.infrastructure("carts-db").orElseThrow().version().orElseThrow());
    }

    @Test
    void allOverridesApplyWhereTheyMakeSense() throws Exception {
        SystemModel system = bind("""
                services:
                  web: {image: ghcr.io/acme/web:1.0.0, ports: {http: 80}, autoscaling: {minReplicas: 2, maxReplicas: 6}}
                  api: {image: ghcr.io/acme/api:1.0.0, ports: {http: 80}}
                  nightly: {image: ghcr.io/acme/job:1.0.0, workload: CronJob, schedule: "0 3 * * *"}
                environments:
                  dev:
                    all: {replicas: 1, autoscaling: {minReplicas: 1, maxReplicas: 2}, resources: {requests: {cpu: 50m}}}
                """);
        SystemModel dev = system.environments().get(0).model();
        assertEquals(1, dev.service("web").orElseThrow().operations().autoscaling().orElseThrow().minReplicas());
        assertEquals(2, dev.service("web").orElseThrow().maxReplicas());
        assertEquals(1, dev.service("api").orElseThrow().scheduling().replicas());
        assertEquals(java.util.Optional.empty(), dev.service("api").orElseThrow().operations().autoscaling(), "replicas only");
        assertEquals("50m", dev.service("nightly").orElseThrow().container().resources().requests().get("cpu"));
    }

    @Test
    void credentialsOfEveryModeReachTheCallerAsVariableToKey() throws Exception {
        SystemModel system = bind("""
                infrastructure:
                  db: {type: postgresql, username: shop, auth: {existingSecret: {name: shop-db, passwordKey: pw}}}
                  ext: {type: mysql, mode: external, host: db.example.com, auth: {existingSecret: {name: ext, usernameKey: user}}}
                  docs: {type: mongodb, mode: operator, database: docs}
                services:
                  web:
                    image: ghcr.io/acme/web:1.0.0
                    ports: {http: 8080}
                    dependsOn:
                      - db
                      - ext
                      - {name: docs, env: {url: {name: DOCS, format: "{scheme}://{username}:{password}@{host}:{port}{path}"}}}
                environments:
                  prod:
                    infrastructure:
                      db: {mode: operator}
                """);
        Service web = system.service("web").orElseThrow();
        Dependency db = web.dependsOn().get(0);
        assertEquals(new Dependency.Credentials("shop-db", java.util.Map.of("DB_PASSWORD", "pw"), java.util.Optional.empty()),
                db.credentials().orElseThrow(), "the Secret holds the password only");
        assertEquals("shop", db.textVariables().get("DB_USERNAME"), "the embedded server's user, as written");
        Dependency ext = web.dependsOn().get(1);
        assertEquals(java.util.Map.of("EXT_USERNAME", "user", "EXT_PASSWORD", "password"), ext.credentials().orElseThrow().keys());
        Dependency docs = web.dependsOn().get(2);
        assertEquals("mongodb://$(DOCS_USERNAME):$(DOCS_PASSWORD)@{host}:{port}/docs", docs.formats().url());
        assertEquals(java.util.Map.of("DOCS_USERNAME", "username", "DOCS_PASSWORD", "password"), docs.credentials().orElseThrow().keys());
        SystemModel prod = system.environments().get(0).model();
        Infrastructure operated = prod.infrastructure("db").orElseThrow();
        assertEquals(Infrastructure.Mode.operator, operated.mode());
        assertEquals(Infrastructure.AuthMode.generated, operated.auth().mode(), "the base's auth is left behind: the operator writes the Secret");
        assertEquals(java.util.Map.of("DB_USERNAME", "username", "DB_PASSWORD", "password"),
                prod.service("web").orElseThrow().dependsOn().get(0).credentials().orElseThrow().keys());
    }

    @Test
    void sidecarsAndInitContainersAreHardenedContainersWhosePortsAreThePods() throws Exception {
        SystemModel system = bind("""
                services:
                  web:
                    image: ghcr.io/acme/web:1.0.0
                    ports: {http: 8080}
                    securityContext: {runAsUser: 101}
                    volumes:
                      site: {mountPath: /usr/share/nginx/html, emptyDir: {}}
                    initContainers:
                      fetch: {image: ghcr.io/acme/fetch:1.0.0}
                      clone: {image: ghcr.io/acme/git:1.0.0, args: [clone, /site], mounts: {site: /site}}
                    sidecars:
                      exporter:
                        image: ghcr.io/acme/exporter:1.0.0
                        ports: {metrics: 9113}
                        securityContext: {readOnlyRootFilesystem: false}
                  client:
                    image: ghcr.io/acme/client:1.0.0
                    ports: {http: 8080}
                    dependsOn: [{name: web, port: metrics}]
                """);
        Service web = system.service("web").orElseThrow();
        assertEquals(List.of("fetch", "clone"), web.companions().initContainers().stream().map(Service.Companion::name).toList(), "in the order written");
        Service.Companion clone = web.companions().initContainers().get(1);
        assertEquals(List.of(new Service.Mount("site", "/site", false, java.util.Optional.empty())), clone.mounts());
        assertEquals(101, clone.security().runAsUser(), "the service's security context");
        assertEquals("10m", clone.resources().requests().get("cpu"));
        assertEquals("50m", clone.resources().limits().get("cpu"), "5x the request, as the service's");
        assertEquals(java.util.Optional.empty(), clone.probes().liveness(), "an init container has no probes");
        Service.Companion exporter = web.companions().sidecars().get(0);
        assertEquals(10001, exporter.security().runAsUser(), "its own security context: the restricted profile with its relaxation");
        assertEquals(false, exporter.security().readOnlyRootFilesystem());
        assertEquals(true, exporter.probes().liveness().isPresent(), "a TCP connect to its first port");
        assertEquals(List.of("http"), web.mainPorts().stream().map(Service.Port::name).toList());
        assertEquals("exporter", web.ports().get(1).container());
        assertEquals(8080, web.mainPort().orElseThrow().port());
        Dependency metrics = system.service("client").orElseThrow().dependsOn().get(0);
        assertEquals(9113, metrics.targetPort(), "callers reach a sidecar's port through the Service");
    }

    @Test
    void aCalleeAdmitsOnlyTheCallersVersionsThatCallIt() throws Exception {
        SystemModel system = bind("""
                infrastructure:
                  cache: {type: redis}
                services:
                  reviews:
                    image: ghcr.io/acme/reviews:1.0.0
                    ports: {http: 9080}
                    versions: {v1: {dependsOn: [cache]}, v2: {}, v3: {dependsOn: [ratings, cache]}}
                    dependsOn: [ratings, cache]
                  ratings: {image: ghcr.io/acme/ratings:1.0.0, ports: {http: 9080}}
                """);
        Versions versions = system.service("reviews").orElseThrow().versions().orElseThrow();
        assertEquals(java.util.Optional.of(List.of("v2", "v3")), versions.callersOf("ratings"));
        assertEquals(java.util.Optional.empty(), versions.callersOf("cache"), "every version calls the cache");
        Map<String, NetworkPolicies.Policy> policies = NetworkPolicies.of(system);
        assertEquals(new NetworkPolicies.Component("reviews", List.of("v2", "v3")), policies.get("ratings").ingress().get(0).peer());
        assertEquals(new NetworkPolicies.Component("reviews"), policies.get("cache").ingress().get(0).peer());
    }

    @Test
    void serverSettingsAndMetricsAreTheEmbeddedServers() throws Exception {
        SystemModel system = bind("""
                network: {monitoringNamespace: prom}
                infrastructure:
                  db: {type: postgresql, metrics: true, args: [-c, max_connections=40], env: {TZ: UTC}}
                  cache: {type: redis}
                """);
        Infrastructure db = system.infrastructure("db").orElseThrow();
        assertEquals(List.of("-c", "max_connections=40"), db.server().args());
        assertEquals("TZ", db.server().env().get(0).name());
        assertEquals(true, db.server().metrics());
        assertEquals(false, system.infrastructure("cache").orElseThrow().server().metrics(), "metrics are asked for");
        NetworkPolicies.Policy policy = NetworkPolicies.of(system).get("db");
        assertEquals(true, policy.ingress().contains(new NetworkPolicies.Rule(new NetworkPolicies.Namespace("prom"),
                List.of(new NetworkPolicies.PortRef(9187, Service.Protocol.TCP)))), "the monitoring namespace scrapes the exporter");
        assertEquals(false, NetworkPolicies.of(system).get("cache").ingress().stream().anyMatch(r -> r.peer() instanceof NetworkPolicies.Namespace));
    }
}
