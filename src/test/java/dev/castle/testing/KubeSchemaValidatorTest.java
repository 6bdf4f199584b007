package dev.castle.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Proves that the schema validator passes what Kubernetes accepts and fails what it rejects. */
class KubeSchemaValidatorTest {

    private final KubeSchemaValidator validator = KubeSchemaValidator.shared();

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels:
                app.kubernetes.io/name: web
            spec:
              replicas: 2
              selector:
                matchLabels:
                  app.kubernetes.io/name: web
              template:
                metadata:
                  labels:
                    app.kubernetes.io/name: web
                spec:
                  securityContext:
                    runAsNonRoot: true
                    seccompProfile:
                      type: RuntimeDefault
                  containers:
                    - name: web
                      image: nginx:1.27
                      ports:
                        - name: http
                          containerPort: 8080
                      resources:
                        requests:
                          cpu: 1
                          memory: 64Mi
                        limits:
                          cpu: 1500m
                          memory: 128Mi
                      readinessProbe:
                        httpGet:
                          path: /ready
                          port: http
                      livenessProbe:
                        tcpSocket:
                          port: 8080
                      securityContext:
                        allowPrivilegeEscalation: false
                        readOnlyRootFilesystem: true
                        capabilities:
                          drop: [ALL]
            """;

    private static final String SERVICE_MONITOR = """
            apiVersion: monitoring.coreos.com/v1
            kind: ServiceMonitor
            metadata:
              name: web
              labels:
                release: prometheus
            spec:
              selector:
                matchLabels:
                  app.kubernetes.io/name: web
              endpoints:
                - port: http
                  path: /metrics
                  interval: 30s
            """;

    private static Map<String, Object> parse(String yaml) {
        List<Map<String, Object>> documents = KubeSchemaValidator.documents(yaml);
        assertEquals(1, documents.size(), "one document");
        return documents.get(0);
    }

    private List<String> validate(String yaml) {
        return validator.validate(parse(yaml));
    }

    private static void assertOneProblemMentioning(List<String> problems, String... fragments) {
        assertFalse(problems.isEmpty(), "expected a problem, got none");
        for (String fragment : fragments) {
            assertTrue(problems.stream().anyMatch(p -> p.contains(fragment)),
                    "expected a problem mentioning '" + fragment + "', got " + problems);
        }
    }

    @Test
    void validDeploymentPasses() {
        assertEquals(List.of(), validate(DEPLOYMENT));
    }

    @Test
    void misspeltFieldFailsNamingTheField() {
        List<String> problems = validate(DEPLOYMENT.replace("  replicas: 2", "  replica: 2"));
        assertOneProblemMentioning(problems, "Deployment/web", "replica");
        assertTrue(problems.stream().anyMatch(p -> p.contains("$.spec: property 'replica' is not defined")), problems::toString);
    }

    @Test
    void misspeltFieldDeepInsideThePodTemplateFails() {
        List<String> problems = validate(DEPLOYMENT.replace("readOnlyRootFilesystem", "readOnlyRootFileSystem"));
        assertOneProblemMentioning(problems, "Deployment/web", "readOnlyRootFileSystem");
    }

    @Test
    void wrongTypeFails() {
        List<String> problems = validate(DEPLOYMENT.replace("replicas: 2", "replicas: two"));
        assertOneProblemMentioning(problems, "Deployment/web", "$.spec.replicas", "integer");
    }

    @Test
    void missingRequiredFieldFails() {
        List<String> problems = validate(DEPLOYMENT.replace("- name: web\n", "- \n"));
        assertOneProblemMentioning(problems, "Deployment/web", "name");
    }

    @Test
    void nullIsNotAValue() {
        List<String> problems = validate(DEPLOYMENT.replace("  replicas: 2", "  replicas: null"));
        assertOneProblemMentioning(problems, "$.spec.replicas");
    }

    @Test
    void unknownKindFails() {
        List<String> problems = validate("""
                apiVersion: example.com/v1
                kind: Widget
                metadata:
                  name: w
                spec: {}
                """);
        assertOneProblemMentioning(problems, "Widget/w", "no schema", "example.com/v1");
        assertFalse(validator.hasSchema("example.com/v1", "Widget"));
    }

    @Test
    void builtInKindOutsideTheCompactCopyFails() {
        List<String> problems = validate("""
                apiVersion: apps/v1
                kind: DaemonSet
                metadata:
                  name: d
                """);
        assertOneProblemMentioning(problems, "DaemonSet/d", "no schema");
    }

    @Test
    void missingKindOrNameFails() {
        assertOneProblemMentioning(validate("apiVersion: v1\nmetadata: {name: x}\n"), "kind");
        assertOneProblemMentioning(validate("apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n"),
                "ConfigMap/<no name>", "metadata.name");
    }

    @Test
    void quantityTakesNumbersAndQuantityStrings() {
        assertEquals(List.of(), validate(DEPLOYMENT.replace("cpu: 1\n", "cpu: 0.5\n")));
        assertEquals(List.of(), validate(DEPLOYMENT.replace("cpu: 1\n", "cpu: \"250m\"\n")));
        assertOneProblemMentioning(validate(DEPLOYMENT.replace("cpu: 1\n", "cpu: lots\n")), "cpu");
        assertOneProblemMentioning(validate(DEPLOYMENT.replace("cpu: 1\n", "cpu: [1]\n")), "cpu");
    }

    @Test
    void intOrStringTakesPortNamesAndNumbers() {
        String service = """
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                spec:
                  selector:
                    app.kubernetes.io/name: web
                  ports:
                    - name: http
                      port: 80
                      targetPort: TARGET
                """;
        assertEquals(List.of(), validate(service.replace("TARGET", "http")));
        assertEquals(List.of(), validate(service.replace("TARGET", "8080")));
        assertOneProblemMentioning(validate(service.replace("TARGET", "true")), "targetPort");
        assertOneProblemMentioning(validate(service.replace("port: 80", "port: http")), "$.spec.ports[0].port");
    }

    @Test
    void fieldNamedDescriptionIsKept() {
        assertEquals(List.of(), validate("""
                apiVersion: scheduling.k8s.io/v1
                kind: PriorityClass
                metadata:
                  name: castle-high
                value: 1000
                description: for the services that must stay up
                """));
    }

    @Test
    void serviceMonitorPasses() {
        assertEquals(List.of(), validate(SERVICE_MONITOR));
        assertTrue(validator.hasSchema("monitoring.coreos.com/v1", "ServiceMonitor"));
    }

    @Test
    void badServiceMonitorFails() {
        assertOneProblemMentioning(validate(SERVICE_MONITOR.replace("interval: 30s", "intervall: 30s")),
                "ServiceMonitor/web", "intervall");
        assertOneProblemMentioning(validate(SERVICE_MONITOR.replace("  endpoints:", "  endpoints: oops\n  x:")),
                "ServiceMonitor/web", "endpoints");
    }

    @Test
    void customResourceMetadataIsCheckedAsObjectMeta() {
        assertOneProblemMentioning(validate(SERVICE_MONITOR.replace("  labels:\n    release", "  lables:\n    release")),
                "ServiceMonitor/web", "lables");
        assertOneProblemMentioning(validate(SERVICE_MONITOR + "extra: 1\n"), "ServiceMonitor/web", "extra");
    }

    @Test
    void istioResourceWithoutApiVersionInItsSchemaPasses() {
        assertEquals(List.of(), validate("""
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata:
                  name: default
                  namespace: shop
                spec:
                  mtls:
                    mode: STRICT
                """));
    }

    @Test
    void validateAllReadsHelmAndKustomizeStreams() {
        String stream = """
                ---
                # Source: web/templates/empty.yaml
                ---
                # Source: web/templates/deployment.yaml
                """ + DEPLOYMENT + """
                ---
                # Source: web/templates/configmap.yaml
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: web-config
                data:
                  released: 2024-01-01
                  greeting: "hello: world"
                ---
                """ + SERVICE_MONITOR;
        assertEquals(List.of(), validator.validateAll(stream));
        assertEquals(3, KubeSchemaValidator.documents(stream).size());
        validator.assertValid(stream);
    }

    @Test
    void validateAllPrefixesEachProblemWithItsDocument() {
        String stream = DEPLOYMENT + "---\n" + DEPLOYMENT.replace("name: web\n  labels", "name: api\n  labels")
                .replace("  replicas: 2", "  replica: 2");
        List<String> problems = validator.validateAll(stream);
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith("Deployment/api: "), problems::toString);
        AssertionError error = assertThrows(AssertionError.class, () -> validator.assertValid(stream));
        assertTrue(error.getMessage().contains("Deployment/api"), error::getMessage);
    }

    @Test
    void validateAllReportsBrokenYamlDuplicateKeysAndDuplicateObjects() {
        assertOneProblemMentioning(validator.validateAll("a: [\n"), "YAML");
        assertOneProblemMentioning(validator.validateAll("apiVersion: v1\nkind: ConfigMap\nkind: Secret\n"),
                "YAML", "duplicate");
        assertOneProblemMentioning(validator.validateAll("- just\n- a list\n"), "YAML", "not a mapping");
        assertOneProblemMentioning(validator.validateAll(DEPLOYMENT + "---\n" + DEPLOYMENT), "Deployment/web", "twice");
    }

    @Test
    void everyKindCastleEmitsHasASchema() {
        for (String kind : List.of("v1 Service", "v1 ConfigMap", "v1 Secret", "v1 ServiceAccount",
                "v1 PersistentVolumeClaim", "v1 Pod", "v1 Namespace", "v1 ResourceQuota", "v1 LimitRange",
                "apps/v1 Deployment", "apps/v1 StatefulSet", "batch/v1 Job", "batch/v1 CronJob",
                "policy/v1 PodDisruptionBudget", "networking.k8s.io/v1 NetworkPolicy", "networking.k8s.io/v1 Ingress",
                "autoscaling/v2 HorizontalPodAutoscaler", "rbac.authorization.k8s.io/v1 Role",
                "rbac.authorization.k8s.io/v1 RoleBinding", "scheduling.k8s.io/v1 PriorityClass")) {
            String[] parts = kind.split(" ");
            assertTrue(validator.hasSchema(parts[0], parts[1]), kind);
        }
        assertEquals(20, validator.builtInKinds().size(), validator.builtInKinds()::toString);
    }
}
