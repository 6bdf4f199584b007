package dev.castle.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Proves that the real helm 3, helm 4 and kubectl run here, isolated, and that their output validates. */
@Tag("integration")
class ToolsTest {

    @TempDir
    Path dir;

    @Test
    void helm3IsVersion3() {
        Tools.Result result = Tools.run(dir, Tools.helm3().toString(), "version", "--short").assertOk();
        assertTrue(result.stdout().startsWith("v3."), result.stdout());
    }

    @Test
    void helm4IsVersion4() {
        Tools.Result result = Tools.run(dir, Tools.helm4().toString(), "version", "--short").assertOk();
        assertTrue(result.stdout().startsWith("v4."), result.stdout());
    }

    @Test
    void kubectlClientsRunWithKustomizeBuiltIn() {
        String v31 = Tools.run(dir, Tools.kubectl31().toString(), "version", "--client").assertOk().stdout();
        assertTrue(v31.contains("Client Version: v1.31."), v31);
        assertTrue(v31.contains("Kustomize Version: v5."), v31);
        String v35 = Tools.run(dir, Tools.kubectl35().toString(), "version", "--client").assertOk().stdout();
        assertTrue(v35.contains("Client Version: v1.35."), v35);
        assertTrue(v35.contains("Kustomize Version: v5."), v35);
    }

    @Test
    void helmAndKubectlAreIsolatedFromTheUsersSetup() {
        String env = Tools.run(dir, Tools.helm4().toString(), "env").assertOk().stdout();
        String home = System.getProperty("user.home");
        assertTrue(env.lines().anyMatch(l -> l.startsWith("HELM_CONFIG_HOME=") && l.contains("castle-tools-")), env);
        assertFalse(env.lines().anyMatch(l -> l.startsWith("HELM_CACHE_HOME=\"" + home + "/")), env);
        Tools.Result context = Tools.run(dir, Tools.kubectl35().toString(), "config", "current-context").assertFailed();
        assertTrue(context.stderr().contains("current-context is not set"), context.stderr());
    }

    @Test
    void kubectlKustomizeBuildsATinyOverlayThatValidates() throws IOException {
        Path base = Files.createDirectories(dir.resolve("base"));
        Files.writeString(base.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - service.yaml
                labels:
                  - pairs:
                      app.kubernetes.io/part-of: shop
                    includeSelectors: false
                configMapGenerator:
                  - name: web-config
                    literals:
                      - GREETING=hello
                """);
        Files.writeString(base.resolve("service.yaml"), """
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
                      targetPort: http
                """);
        for (Path kubectl : List.of(Tools.kubectl31(), Tools.kubectl35())) {
            Tools.Result result = Tools.run(dir, kubectl.toString(), "kustomize", "base").assertOk();
            assertFalse(result.stderr().toLowerCase().contains("deprecat"), result.stderr());
            List<Map<String, Object>> documents = KubeSchemaValidator.documents(result.stdout());
            assertEquals(2, documents.size(), result.stdout());
            assertTrue(result.stdout().contains("app.kubernetes.io/part-of: shop"), result.stdout());
            assertTrue(result.stdout().contains("name: web-config-"), "hashed ConfigMap name\n" + result.stdout());
            KubeSchemaValidator.shared().assertValid(result.stdout());
        }
    }

    @Test
    void helmTemplateRendersATinyChartThatValidates() throws IOException {
        Path chart = Files.createDirectories(dir.resolve("tiny/templates"));
        Files.writeString(dir.resolve("tiny/Chart.yaml"), """
                apiVersion: v2
                name: tiny
                version: 0.1.0
                """);
        Files.writeString(dir.resolve("tiny/values.yaml"), "port: 8080\n");
        Files.writeString(chart.resolve("service.yaml"), """
                apiVersion: v1
                kind: Service
                metadata:
                  name: {{ .Release.Name }}-tiny
                spec:
                  ports:
                    - name: http
                      port: {{ .Values.port }}
                """);
        Files.writeString(chart.resolve("empty.yaml"), "{{- if false }}\nnever: rendered\n{{- end }}\n");
        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            String out = Tools.run(dir, helm.toString(), "template", "demo", "tiny").assertOk().stdout();
            assertTrue(out.contains("# Source: tiny/templates/service.yaml"), out);
            assertTrue(out.contains("name: demo-tiny"), out);
            KubeSchemaValidator.shared().assertValid(out);
            Tools.run(dir, helm.toString(), "lint", "--strict", "tiny").assertOk();
        }
    }

    @Test
    void assertOkReportsCommandExitCodeAndBothStreams() {
        Tools.Result result = Tools.run(dir, Tools.kubectl35().toString(), "no-such-subcommand");
        assertTrue(result.exitCode() != 0);
        result.assertFailed();
        AssertionError error = assertThrows(AssertionError.class, result::assertOk);
        assertTrue(error.getMessage().contains("no-such-subcommand"), error.getMessage());
        assertTrue(error.getMessage().contains("exit code: " + result.exitCode()), error.getMessage());
        assertTrue(error.getMessage().contains("--- stdout ---") && error.getMessage().contains("--- stderr ---"),
                error.getMessage());
        assertTrue(error.getMessage().contains(result.stderr().strip()), error.getMessage());
    }

    @Test
    void stdoutAndStderrAreCapturedSeparately() {
        Tools.Result result = Tools.run(dir, "sh", "-c", "echo out; echo err >&2; exit 3");
        assertEquals(new Tools.Result(3, "out\n", "err\n", List.of("sh", "-c", "echo out; echo err >&2; exit 3")), result);
    }

    @Test
    void aMissingToolSaysHowToFetchIt() {
        String before = System.getProperty("castle.projectDir");
        System.setProperty("castle.projectDir", dir.toString());
        System.setProperty("castle.toolsDir", dir.resolve(".tools").toString());
        try {
            AssertionError error = assertThrows(AssertionError.class, Tools::helm4);
            assertTrue(error.getMessage().contains("bash scripts/fetch-tools.sh"), error.getMessage());
        } finally {
            System.clearProperty("castle.toolsDir");
            if (before == null) {
                System.clearProperty("castle.projectDir");
            } else {
                System.setProperty("castle.projectDir", before);
            }
        }
    }
}
