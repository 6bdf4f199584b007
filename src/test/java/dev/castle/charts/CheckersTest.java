package dev.castle.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.castle.testing.KubeSchemaValidator;

/**
 * The checkers the chart tests rely on can fail: PodChecks flags a pod that breaks the rules, and
 * the NetworkPolicy evaluator denies what policies do not allow.
 */
class CheckersTest {
    private static final String BAD_DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: bad}
            spec:
              replicas: 3
              selector: {matchLabels: {app: bad, helm.sh/chart: bad-1.0.0}}
              template:
                metadata: {labels: {app: bad}}
                spec:
                  containers:
                    - name: bad
                      image: nginx:latest
                      securityContext: {allowPrivilegeEscalation: true}
                      livenessProbe: {tcpSocket: {port: 80}}
                      readinessProbe: {tcpSocket: {port: 80}}
            """;

    @Test
    void podChecksFlagEveryBrokenRule() {
        String problems = String.join("\n", new PodChecks(KubeSchemaValidator.documents(BAD_DEPLOYMENT)).check());
        for (String expected : List.of("may run as root", "allows privilege escalation", "does not drop all capabilities",
                "seccomp profile", "root filesystem is writable", "no emptyDir mounted at /tmp", "no cpu requests",
                "no memory limits", "is not pinned", "identical", "token is mounted", "not a subset of the pod labels",
                "mutable label helm.sh/chart", "no pod anti-affinity", "no topology spread", "no PodDisruptionBudget")) {
            assertTrue(problems.contains(expected), "expected a problem '" + expected + "' in:\n" + problems);
        }
    }

    @Test
    void aReferenceToAVariableDefinedLaterIsFlagged() {
        String docs = """
                kind: Job
                metadata: {name: job}
                spec:
                  template:
                    spec:
                      containers:
                        - name: c
                          image: x:1
                          env:
                            - {name: A, value: "$(B) and $$(C)"}
                            - {name: B, value: b}
                            - {name: D, value: "$(B)"}
                """;
        List<String> problems = new PodChecks(KubeSchemaValidator.documents(docs)).check().stream().filter(p -> p.contains("references")).toList();
        assertEquals(List.of("Job/job container c: A references $(B), which no variable before it defines"), problems);
    }

    @Test
    void anAutoscaledWorkloadWithOneReplicaIsReplicated() {
        String docs = BAD_DEPLOYMENT.replace("replicas: 3", "replicas: 1") + """
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: hpa}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: bad}
                  minReplicas: 1
                  maxReplicas: 5
                """;
        String problems = String.join("\n", new PodChecks(KubeSchemaValidator.documents(docs)).check());
        assertTrue(problems.contains("up to 5 pods but no pod anti-affinity"), problems);
        String keda = BAD_DEPLOYMENT.replace("replicas: 3", "replicas: 1") + """
                ---
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: so}
                spec:
                  scaleTargetRef: {name: bad}
                  minReplicaCount: 1
                  maxReplicaCount: 4
                """;
        assertTrue(String.join("\n", new PodChecks(KubeSchemaValidator.documents(keda)).check()).contains("up to 4 pods but no PodDisruptionBudget"));
        String single = String.join("\n", new PodChecks(KubeSchemaValidator.documents(BAD_DEPLOYMENT.replace("replicas: 3", "replicas: 1"))).check());
        assertFalse(single.contains("anti-affinity"), "one pod at most: no spread needed");
    }

    @Test
    void networkPolicyEvaluatorFollowsKubernetesSemantics() {
        String policies = """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny}
                spec:
                  podSelector: {}
                  policyTypes: [Ingress, Egress]
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: web}
                spec:
                  podSelector: {matchLabels: {app: web}}
                  policyTypes: [Ingress]
                  ingress:
                    - from: [{podSelector: {matchLabels: {app: client}}}]
                      ports: [{port: 8080, protocol: TCP}]
                    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]
                      ports: [{port: 9090}]
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: client}
                spec:
                  podSelector: {matchExpressions: [{key: app, operator: In, values: [client]}]}
                  policyTypes: [Egress]
                  egress:
                    - to: [{podSelector: {matchLabels: {app: web}}}]
                      ports: [{port: 8080}]
                """;
        NetworkPolicyEvaluator evaluator = new NetworkPolicyEvaluator(KubeSchemaValidator.documents(policies), "ns");
        NetworkPolicyEvaluator.Pod web = new NetworkPolicyEvaluator.Pod("web", "ns", Map.of("app", "web"));
        NetworkPolicyEvaluator.Pod client = new NetworkPolicyEvaluator.Pod("client", "ns", Map.of("app", "client"));
        NetworkPolicyEvaluator.Pod other = new NetworkPolicyEvaluator.Pod("other", "ns", Map.of("app", "other"));
        NetworkPolicyEvaluator.Pod prometheus = new NetworkPolicyEvaluator.Pod("prometheus", "monitoring", Map.of());
        assertTrue(evaluator.allowed(client, web, 8080, "TCP"), "the declared edge");
        assertFalse(evaluator.allowed(client, web, 8081, "TCP"), "another port");
        assertFalse(evaluator.allowed(client, web, 8080, "UDP"), "another protocol");
        assertFalse(evaluator.allowed(other, web, 8080, "TCP"), "another pod: its egress is denied");
        assertFalse(evaluator.allowed(web, client, 8080, "TCP"), "the reverse direction");
        assertTrue(evaluator.allowed(prometheus, web, 9090, "TCP"), "a namespace selector; the outsider's egress is not ours");
        assertFalse(evaluator.allowed(prometheus, web, 8080, "TCP"), "the namespace only on its port");
    }

    @Test
    void theEvaluatorKeepsUdpAndSctpApart() {
        String policies = """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: collector}
                spec:
                  podSelector: {matchLabels: {app: collector}}
                  policyTypes: [Ingress]
                  ingress:
                    - ports: [{port: 6831, protocol: UDP}, {port: 3868, protocol: SCTP}, {port: 4317}]
                """;
        NetworkPolicyEvaluator evaluator = new NetworkPolicyEvaluator(KubeSchemaValidator.documents(policies), "ns");
        NetworkPolicyEvaluator.Pod collector = new NetworkPolicyEvaluator.Pod("collector", "ns", Map.of("app", "collector"));
        NetworkPolicyEvaluator.Pod client = new NetworkPolicyEvaluator.Pod("client", "ns", Map.of("app", "client"));
        assertTrue(evaluator.allowed(client, collector, 6831, "UDP"));
        assertFalse(evaluator.allowed(client, collector, 6831, "TCP"), "UDP only");
        assertTrue(evaluator.allowed(client, collector, 3868, "SCTP"));
        assertFalse(evaluator.allowed(client, collector, 3868, "TCP"), "SCTP only");
        assertTrue(evaluator.allowed(client, collector, 4317, "TCP"), "TCP when no protocol is written");
        assertFalse(evaluator.allowed(client, collector, 4317, "UDP"));
    }

    @Test
    void everyPodBearingKindAndFlaggersObjectsAreFollowed() {
        String docs = """
                kind: Deployment
                metadata: {name: web}
                spec:
                  template:
                    metadata: {labels: {app.kubernetes.io/name: web, app: web}}
                    spec: {containers: [{name: c, image: x:1, ports: [{name: http, containerPort: 8080}]}]}
                ---
                kind: StatefulSet
                metadata: {name: db}
                spec:
                  template:
                    metadata: {labels: {app.kubernetes.io/name: db}}
                    spec: {containers: [{name: c, image: x:1, ports: [{containerPort: 5432}]}]}
                ---
                kind: DaemonSet
                metadata: {name: agent}
                spec:
                  template:
                    metadata: {labels: {app.kubernetes.io/name: agent, app: agent}}
                    spec: {containers: [{name: c, image: x:1, ports: [{name: spans, containerPort: 6831, protocol: UDP}]}]}
                ---
                kind: Job
                metadata: {name: once}
                spec:
                  template:
                    metadata: {labels: {app.kubernetes.io/name: once}}
                    spec: {containers: [{name: c, image: x:1}]}
                ---
                kind: CronJob
                metadata: {name: nightly}
                spec:
                  jobTemplate:
                    spec:
                      template:
                        metadata: {labels: {app.kubernetes.io/name: nightly}}
                        spec: {containers: [{name: c, image: x:1}]}
                ---
                kind: Rollout
                metadata: {name: api}
                spec:
                  workloadRef: {kind: Deployment, name: web}
                ---
                kind: Service
                metadata: {name: agent}
                spec:
                  selector: {app: agent}
                  ports: [{port: 6831, targetPort: spans, protocol: UDP}]
                ---
                kind: Canary
                metadata: {name: web}
                spec:
                  targetRef: {kind: Deployment, name: web}
                  service: {port: 80, targetPort: http}
                """;
        RenderedTraffic traffic = new RenderedTraffic(KubeSchemaValidator.documents(docs), "ns");
        assertEquals(List.of("Deployment web", "StatefulSet db", "DaemonSet agent", "Job once", "CronJob nightly", "Rollout web", "Deployment web"),
                traffic.workloads.stream().map(w -> w.kind() + " " + w.name()).toList());
        assertEquals("web-primary", traffic.workloads.get(6).pod().labels().get("app"), "Flagger's primary pods");
        assertEquals(List.of("agent", "web", "web-primary", "web-canary"), traffic.services.stream().map(RenderedTraffic.ServiceSpec::name).toList());
        NetworkPolicyEvaluator open = new NetworkPolicyEvaluator(List.of(), "ns");
        RenderedTraffic.Workload client = traffic.workloads.get(3);
        assertEquals(List.of(), traffic.problemsCalling(client, "agent", 6831, "UDP", open));
        assertEquals(List.of(), traffic.problemsCalling(client, "web", 80, "TCP", open), "Flagger's apex Service reaches the primary pods");
        assertTrue(traffic.problemsCalling(client, "web", 80, "UDP", open).get(0).contains("no such port"), "Flagger's Services are TCP only");
        assertTrue(traffic.problemsCalling(client, "db", 5432, "TCP", open).get(0).contains("no Service db"));
    }
}
