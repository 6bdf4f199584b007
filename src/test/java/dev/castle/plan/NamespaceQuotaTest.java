package dev.castle.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.castle.load.ConfigFileReader;
import dev.castle.load.DescriptorLoader;
import dev.castle.load.Node;
import dev.castle.merge.EnvironmentMerge;
import dev.castle.model.ModelBinder;
import dev.castle.model.SystemModel;

/** The namespace quota admits every workload at the most pods it can run, with the headroom on top. */
class NamespaceQuotaTest {
    private static final String HEADER = """
            apiVersion: castle/v1alpha1
            kind: System
            metadata: {name: shop, version: 1.0.0}
            namespace: {headroomPercent: 0}
            """;
    /** One pod of 100m/128Mi requested, 500m/256Mi limited. */
    private static final String RESOURCES = "resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {cpu: 500m, memory: 256Mi}}";

    static SystemModel bind(String yaml) throws Exception {
        Node root = new DescriptorLoader().load(Path.of("castle.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
        return new ModelBinder(new ConfigFileReader(Path.of("."))).bind(root, EnvironmentMerge.environments(root));
    }

    @Test
    void anAutoscaledServiceCountsAtItsMaximumWithTheSurge() throws Exception {
        Map<String, Object> hard = NamespaceQuota.hard(bind(HEADER + """
                services:
                  worker:
                    image: ghcr.io/acme/worker:1.0.0
                    command: [/worker]
                    probes: {liveness: {exec: [ok]}, readiness: {exec: [ok]}}
                    autoscaling: {minReplicas: 1, maxReplicas: 10}
                    %s
                """.formatted(RESOURCES)));
        assertEquals("13", hard.get("pods"), "10 pods at the maximum, 3 more while a rolling update surges (25%)");
        assertEquals("1300m", hard.get("requests.cpu"));
        assertEquals("6500m", hard.get("limits.cpu"));
    }

    @Test
    void theSurgeIsTheRolloutsOwn() throws Exception {
        String service = """
                services:
                  worker:
                    image: ghcr.io/acme/worker:1.0.0
                    command: [/worker]
                    probes: {liveness: {exec: [ok]}, readiness: {exec: [ok]}}
                    replicas: 10
                    rollout: %s
                    %s
                """;
        assertEquals("11", NamespaceQuota.hard(bind(HEADER + service.formatted("{maxSurge: 1}", RESOURCES))).get("pods"), "one pod more at a time");
        assertEquals("15", NamespaceQuota.hard(bind(HEADER + service.formatted("{maxSurge: 50%}", RESOURCES))).get("pods"), "half as many more");
        assertEquals("10", NamespaceQuota.hard(bind(HEADER + service.formatted("{strategy: recreate}", RESOURCES))).get("pods"),
                "recreate: the old pods stop before the new start");
    }

    @Test
    void canariesCronJobsAndHooksCountAtTheirMost() throws Exception {
        Map<String, Object> hard = NamespaceQuota.hard(bind(HEADER + """
                services:
                  argo:
                    image: ghcr.io/acme/argo:1.0.0
                    ports: {http: 8080}
                    autoscaling: {minReplicas: 2, maxReplicas: 4}
                    canary: {strategy: argo-rollouts}
                    %1$s
                  web:
                    image: ghcr.io/acme/web:1.0.0
                    ports: {http: 8080}
                    replicas: 4
                    canary: {replicas: 2}
                    hooks:
                      migrate: {when: [pre-install, pre-upgrade], command: [/migrate]}
                      smoke: {when: [post-install], command: [/smoke]}
                    %1$s
                  api:
                    image: ghcr.io/acme/api:1.0.0
                    ports: {http: 8080}
                    replicas: 1
                    hooks:
                      seed: {when: [pre-install], command: [/seed]}
                    %1$s
                  sweep:
                    workload: CronJob
                    schedule: "* * * * *"
                    image: ghcr.io/acme/sweep:1.0.0
                    job: {parallelism: 3, concurrencyPolicy: Allow}
                    %1$s
                """.formatted(RESOURCES)));
        // argo: 4 + 1 surge + 4 canary; web: 4 + 1 surge + 2 canary + 1 canary surge; api: 1 + 1 surge;
        // sweep: 3 x 2 overlapping runs; hooks: pre-install runs migrate and seed (2); 3 test pods
        assertEquals(String.valueOf(9 + 8 + 2 + 6 + 2 + 3), hard.get("pods"));
    }

    @Test
    void theLargestCountsDoNotOverflow() throws Exception {
        Map<String, Object> hard = NamespaceQuota.hard(bind(HEADER + """
                services:
                  a:
                    image: ghcr.io/acme/a:1.0.0
                    command: [/a]
                    probes: {liveness: {exec: [ok]}, readiness: {exec: [ok]}}
                    autoscaling: {minReplicas: 1, maxReplicas: 2147483647}
                    canary: {strategy: flagger}
                    %1$s
                  b:
                    image: ghcr.io/acme/b:1.0.0
                    command: [/b]
                    probes: {liveness: {exec: [ok]}, readiness: {exec: [ok]}}
                    replicas: 2147483647
                    %1$s
                """.formatted(RESOURCES)));
        long max = Integer.MAX_VALUE;
        long surge = (max * 25 + 99) / 100;
        assertEquals(String.valueOf(3 * max + 2 * surge), hard.get("pods"));
    }

    @Test
    void eachEnvironmentGetsTheQuotaOfWhatRunsThere() throws Exception {
        SystemModel system = bind(HEADER + """
                services:
                  web:
                    image: ghcr.io/acme/web:1.0.0
                    command: [/web]
                    probes: {liveness: {exec: [ok]}, readiness: {exec: [ok]}}
                    autoscaling: {minReplicas: 1, maxReplicas: 4}
                    %1$s
                  batch:
                    image: ghcr.io/acme/batch:1.0.0
                    command: [/batch]
                    probes: {liveness: {exec: [ok]}, readiness: {exec: [ok]}}
                    replicas: 2
                    %1$s
                environments:
                  prod:
                    services:
                      web: {autoscaling: {maxReplicas: 20}}
                      batch: {enabled: false}
                """.formatted(RESOURCES));
        assertEquals("8", NamespaceQuota.hard(system).get("pods"), "4 + 1 and 2 + 1");
        Object prod = ((Map<?, ?>) ((Map<?, ?>) EnvironmentValuesContributor.of(system, system.environments().get(0)).get("resourceQuota")).get("hard"));
        assertEquals("25", ((Map<?, ?>) prod).get("pods"), "20 + 5 surge; batch is off in prod");
    }

    @Test
    void aPodWeighsItsSidecarsBesideItsContainerOrAnInitContainerBesideTheSidecars() throws Exception {
        SystemModel system = bind(HEADER + """
                services:
                  web:
                    image: ghcr.io/acme/web:1.0.0
                    ports: {http: 8080}
                    %s
                    sidecars:
                      exporter: {image: ghcr.io/acme/exporter:1.0.0, resources: {requests: {cpu: 50m, memory: 64Mi}}}
                    initContainers:
                      clone: {image: ghcr.io/acme/git:1.0.0, resources: {requests: {cpu: "1", memory: 32Mi}}}
                """.formatted(RESOURCES));
        dev.castle.model.Service.Resources pod = NamespaceQuota.podResources(system.service("web").orElseThrow());
        assertEquals("1050m", pod.requests().get("cpu"), "the init container (1) with the sidecar started before it (50m)");
        assertEquals("192Mi", pod.requests().get("memory"), "the container (128Mi) with the sidecar (64Mi)");
        assertEquals("5250m", pod.limits().get("cpu"), "limits at the default factors: the clone's 5 with the sidecar's 250m");
        assertEquals("384Mi", pod.limits().get("memory"));
    }
}
