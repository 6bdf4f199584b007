package dev.castle.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The API server's refusals that ApiServerChecks reproduces: each case one object and the problem it must find. */
class ApiServerChecksTest {
    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web, labels: {app: web}}
            spec:
              volumes: [{name: data, emptyDir: {}}]
              containers:
                - name: web
                  image: nginx:1.27
                  ports: [{name: http, containerPort: 8080}]
                  volumeMounts: [{name: data, mountPath: /data}]
                  readinessProbe: {httpGet: {path: /ready, port: http}}
            """;

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of(POD.replace("app: web", "app: 1.0 beta"), "'1.0 beta' is not a valid label value"),
                Arguments.of(POD.replace("app: web", "app: aaaaaaaaaa_"), "'aaaaaaaaaa_' is not a valid label value"),
                Arguments.of(POD.replace("name: web, labels", "name: Web, labels"), "'Web' is not a DNS-1123 subdomain"),
                Arguments.of(POD.replace("mountPath: /data}", "mountPath: /data}, {name: data, mountPath: /data/}"),
                        "mountPath /data/ is used twice"),
                Arguments.of(POD.replace("mountPath: /data}", "mountPath: /data, subPath: ../x}"), "subPath '../x' contains '..'"),
                Arguments.of(POD.replace("port: http}", "port: admin}"), "port 'admin' is not a port of the container"),
                Arguments.of(POD.replace("path: /ready", "path: /re ady"), "path '/re ady' has a space"),
                Arguments.of(POD.replace("containers:", "tolerations: [{key: a, operator: Exists, value: b}]\n  containers:"),
                        "a toleration with operator Exists has a value"),
                Arguments.of("""
                        apiVersion: v1
                        kind: ConfigMap
                        metadata: {name: c}
                        data: {..data: x}
                        """, "data key '..data' is not a valid ConfigMap key"),
                Arguments.of("""
                        apiVersion: v1
                        kind: Service
                        metadata: {name: 1web}
                        spec: {ports: [{name: a, port: 80, nodePort: 30001}, {name: b, port: 81, nodePort: 30001}]}
                        """, "nodePort 30001 is used twice"),
                Arguments.of("""
                        apiVersion: batch/v1
                        kind: CronJob
                        metadata: {name: c}
                        spec: {schedule: "61 * * * *", timeZone: Mars/Olympus, jobTemplate: {spec: {template: {spec: {containers: [{name: c, image: x}]}}}}}
                        """, "the minute field '61' is not between 0 and 59"),
                Arguments.of("""
                        apiVersion: networking.k8s.io/v1
                        kind: Ingress
                        metadata: {name: i}
                        spec: {rules: [{host: 10.0.0.1}]}
                        """, "'10.0.0.1' is an IP address"),
                Arguments.of("""
                        apiVersion: policy/v1
                        kind: PodDisruptionBudget
                        metadata: {name: p}
                        spec: {minAvailable: 150%}
                        """, "'150%' is more than 100%"),
                Arguments.of("""
                        apiVersion: networking.k8s.io/v1
                        kind: NetworkPolicy
                        metadata: {name: n}
                        spec: {podSelector: {}, egress: [{to: [{ipBlock: {cidr: 10.0.0.300/8}}]}]}
                        """, "'10.0.0.300/8' is not a CIDR"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void findsWhatTheApiServerRefuses(String yaml, String problem) {
        List<String> found = ApiServerChecks.check(KubeSchemaValidator.documents(yaml).get(0));
        assertTrue(found.stream().anyMatch(p -> p.contains(problem)), () -> "no '" + problem + "' in " + found);
    }

    @Test
    void passesAValidPod() {
        assertEquals(List.of(), ApiServerChecks.check(KubeSchemaValidator.documents(POD).get(0)));
    }

    @Test
    void cidrsAsGoReadsThem() {
        assertTrue(ApiServerChecks.isCidr("10.0.0.0/8"));
        assertTrue(ApiServerChecks.isCidr("0.0.0.0/0"));
        assertTrue(ApiServerChecks.isCidr("fd00::/8"));
        assertTrue(!ApiServerChecks.isCidr("10.0.0.0"));
        assertTrue(!ApiServerChecks.isCidr("10.0.0.0/33"));
        assertTrue(!ApiServerChecks.isCidr("010.0.0.0/8"));
    }
}
