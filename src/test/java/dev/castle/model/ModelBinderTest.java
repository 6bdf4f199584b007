package dev.castle.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.castle.load.ConfigFileReader;
import dev.castle.load.DescriptorLoader;
import dev.castle.load.Node;
import dev.castle.merge.EnvironmentMerge;

/** The bind stage alone: every default is decided here, and what the user wrote is kept. */
class ModelBinderTest {
    static SystemModel bind(String yaml) throws Exception {
        Node root = new DescriptorLoader().load(Path.of("castle.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
        return new ModelBinder(new ConfigFileReader(Path.of("."))).bind(root, EnvironmentMerge.environments(root));
    }

    static final String HEADER = """
            apiVersion: castle/v1alpha1
            kind: System
            metadata: {name: shop, version: 1.2.3}
            """;

    @Test
    void aServiceWithOnePortGetsTheDocumentedDefaults() throws Exception {
        SystemModel system = bind(HEADER + """
                services:
                  web:
                    image: ghcr.io/acme/web:1.0.0
                    ports: {http: 8080}
                """);
        Service web = system.service("web").orElseThrow();
        assertEquals(Service.WorkloadKind.Deployment, web.workload());
        assertEquals("server", web.component());
        assertEquals(2, web.scheduling().replicas());
        assertEquals(new Service.Image("ghcr.io", "acme/web", "1.0.0", "", Service.PullPolicy.IfNotPresent), web.container().image());
        assertEquals(Map.of("cpu", "100m", "memory", "128Mi"), web.container().resources().requests());
        assertEquals(Map.of("cpu", "500m", "memory", "256Mi"), web.container().resources().limits());
        Service.Probe liveness = web.container().probes().liveness().orElseThrow();
        assertEquals(new Service.HttpGet("/healthz", new Service.PortName("http"), Optional.empty(), Map.of()), liveness.handler());
        assertEquals(List.of(10, 3, 6), List.of(liveness.periodSeconds(), liveness.timeoutSeconds(), liveness.failureThreshold()));
        Service.Probe readiness = web.container().probes().readiness().orElseThrow();
        assertEquals("/readyz", ((Service.HttpGet) readiness.handler()).path());
        assertEquals(List.of(5, 3, 3), List.of(readiness.periodSeconds(), readiness.timeoutSeconds(), readiness.failureThreshold()));
        assertTrue(web.container().probes().startup().isEmpty());
        assertEquals(Optional.of(new Service.Sleep(5)), web.container().lifecycle().preStop());
        assertEquals(30, web.container().lifecycle().terminationGracePeriodSeconds());
        assertEquals(10001, web.container().security().runAsUser());
        assertTrue(web.container().security().readOnlyRootFilesystem());
        assertEquals(Service.AntiAffinity.soft, web.scheduling().placement().antiAffinity());
        assertEquals(List.of(new Service.TopologySpread("topology.kubernetes.io/zone", 1, Service.WhenUnsatisfiable.ScheduleAnyway)),
                web.scheduling().placement().topologySpread());
        assertEquals(Optional.of(new Service.DisruptionBudget(Optional.empty(), Optional.of(1))), web.scheduling().disruptionBudget());
        assertEquals("tmp", web.volumes().get(0).name());
        assertTrue(web.hasService());
        assertEquals(Service.ServiceType.ClusterIP, web.network().service().type());
        assertFalse(web.declared().has("replicas"));
        assertTrue(web.declared().has("ports/http"));
    }

    @Test
    void aGrpcPortGetsTcpLivenessAndGrpcReadiness() throws Exception {
        Service api = bind(HEADER + """
                services:
                  api:
                    image: ghcr.io/acme/api:1.0.0
                    ports: {grpc: 9090}
                    replicas: 1
                """).service("api").orElseThrow();
        assertEquals(new Service.TcpSocket(new Service.PortName("grpc")), api.container().probes().liveness().orElseThrow().handler());
        assertEquals(new Service.GrpcCheck(new Service.PortName("grpc"), 9090, Optional.empty()),
                api.container().probes().readiness().orElseThrow().handler());
        assertEquals(Service.AntiAffinity.none, api.scheduling().placement().antiAffinity());
        assertTrue(api.scheduling().disruptionBudget().isEmpty(), "one pod: no budget");
    }

    @Test
    void aWorkloadThatCanRunTwoPodsIsHighlyAvailableAlsoInItsEnvironments() throws Exception {
        SystemModel system = bind(HEADER + """
                services:
                  api:
                    image: ghcr.io/acme/api:1.0.0
                    ports: {http: 8080}
                    autoscaling: {minReplicas: 1, maxReplicas: 4}
                  worker:
                    image: ghcr.io/acme/worker:1.0.0
                    ports: {http: 8080}
                    replicas: 1
                environments:
                  prod:
                    services:
                      worker: {replicas: 3}
                """);
        Service api = system.service("api").orElseThrow();
        assertEquals(1, api.scheduling().replicas());
        assertEquals(4, api.maxReplicas());
        assertEquals(Service.AntiAffinity.soft, api.scheduling().placement().antiAffinity(), "up to 4 pods: spread over nodes");
        assertEquals(1, api.scheduling().placement().topologySpread().size(), "and zones");
        assertEquals(Optional.of(new Service.DisruptionBudget(Optional.empty(), Optional.of(1))), api.scheduling().disruptionBudget());
        assertTrue(system.service("worker").orElseThrow().scheduling().disruptionBudget().isEmpty(), "one pod in the base");
        Service prodWorker = system.environments().get(0).model().service("worker").orElseThrow();
        assertEquals(Service.AntiAffinity.soft, prodWorker.scheduling().placement().antiAffinity(), "three pods in prod");
        assertTrue(prodWorker.scheduling().disruptionBudget().isPresent(), "prod gets the budget the base would");
    }

    @Test
    void headlessIsAClusterIpServiceWithoutClusterIp() throws Exception {
        Service db = bind(HEADER + """
                services:
                  db:
                    image: ghcr.io/acme/db:1.0.0
                    workload: StatefulSet
                    ports: {tcp: 5432}
                    service: {type: Headless}
                """).service("db").orElseThrow();
        assertEquals(Service.ServiceType.ClusterIP, db.network().service().type());
        assertTrue(db.network().service().headless());
        assertTrue(db.network().service().enabled());
    }

    @Test
    void exposeViaNodePortSetsTheServiceType() throws Exception {
        Service web = bind(HEADER + """
                services:
                  web:
                    image: ghcr.io/acme/web:1.0.0
                    ports: {http: {port: 8080, nodePort: 30080}}
                    expose: {via: nodePort}
                """).service("web").orElseThrow();
        assertEquals(Service.ServiceType.NodePort, web.network().service().type());
        assertTrue(web.network().service().reachableFromOutside());
    }

    @Test
    void theSystemsTracingIsInTheModelAndServicesOverrideIt() throws Exception {
        SystemModel system = bind(HEADER + """
                observability:
                  tracing: {ratio: 0.05, instrumentation: true}
                services:
                  a:
                    image: ghcr.io/acme/a:1.0.0
                    ports: {http: 8080}
                    tracing: {ratio: 1.0}
                  b:
                    image: ghcr.io/acme/b:1.0.0
                    ports: {http: 8080}
                """);
        assertEquals(0.05, system.observability().tracing().ratio());
        assertEquals(1.0, system.service("a").orElseThrow().operations().tracing().ratio());
        assertEquals(0.05, system.service("b").orElseThrow().operations().tracing().ratio());
        assertEquals(Operations.Sampler.parentbased_traceidratio, system.observability().tracing().sampler());
    }

    @Test
    void dependenciesResolveInOnePassWithTheirDefaults() throws Exception {
        SystemModel system = bind(HEADER + """
                infrastructure:
                  db: {type: postgresql}
                services:
                  web:
                    image: ghcr.io/acme/web:1.0.0
                    ports: {http: 8080}
                    dependsOn: [api, db]
                  api:
                    image: ghcr.io/acme/api:1.0.0
                    ports: {http: 8080}
                """);
        List<Dependency> edges = system.service("web").orElseThrow().dependsOn();
        Dependency api = edges.get(0);
        assertEquals(List.of("api", false, "API_HOST", "http://{host}:{port}"), List.of(api.name(), api.startup(), api.env().host(), api.formats().url()));
        Dependency db = edges.get(1);
        assertTrue(db.startup(), "infrastructure is waited for by default");
        assertEquals(300, db.timeoutSeconds());
        assertEquals(Optional.of(new Dependency.Credentials("{release}-db", Map.of("DB_USERNAME", "username", "DB_PASSWORD", "password"),
                Optional.empty())), db.credentials());
        assertEquals("postgresql://{host}:{port}/db", db.formats().url());
    }

    @Test
    void wrongShapesTakeTheirDefaultsSoTheRulesCanStillRun() throws Exception {
        Service web = bind(HEADER + """
                services:
                  web:
                    image: ghcr.io/acme/web:1.0.0
                    ports: {http: 8080}
                    replicas: "two"
                    workload: Daemon
                    probes: [nonsense]
                """).service("web").orElseThrow();
        assertEquals(2, web.scheduling().replicas());
        assertEquals(Service.WorkloadKind.Deployment, web.workload());
        assertTrue(web.declared().has("replicas"));
        assertEquals(Optional.of("two"), web.declared().text("replicas"));
    }

    @Test
    void environmentsAreBoundFromTheirMergedDescriptor() throws Exception {
        SystemModel system = bind(HEADER + """
                services:
                  web:
                    image: ghcr.io/acme/web:1.0.0
                    ports: {http: 8080}
                environments:
                  prod:
                    services:
                      web: {replicas: 5, image: {tag: 2.0.0}}
                  dev:
                    namespace: playground
                    services:
                      web: {enabled: false}
                """);
        SystemModel.Environment prod = system.environments().stream().filter(e -> e.name().equals("prod")).findFirst().orElseThrow();
        Service web = prod.model().service("web").orElseThrow();
        assertEquals(5, web.scheduling().replicas());
        assertEquals("2.0.0", web.container().image().tag());
        assertEquals("ghcr.io", web.container().image().registry());
        assertEquals("shop-prod", prod.namespace());
        assertEquals(java.util.Set.of("replicas", "image", "image/tag"), prod.overrides().services().get("web"));
        SystemModel.Environment dev = system.environments().get(0);
        assertEquals("playground", dev.namespace());
        assertFalse(dev.enabled("web"));
    }
}
