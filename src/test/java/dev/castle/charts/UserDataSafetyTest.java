package dev.castle.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.castle.testing.KubeSchemaValidator;
import dev.castle.testing.Tools;

/**
 * Given values that break naive YAML or Go-template generation, when castle generates the chart
 * and real Helm 3 and Helm 4 render it, then each value reaches the manifests exactly as the
 * user wrote it: nothing is re-typed, re-quoted or evaluated by Helm.
 */
@Tag("integration")
class UserDataSafetyTest {
    private static final Path DESCRIPTOR = Tools.projectDir().resolve("src/test/resources/descriptors/valid/tricky-values.yaml");

    /** What the descriptor says, as the user meant it (plain scalars keep their written text). */
    private static Map<String, String> expectedEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("COLON", "a: b");
        env.put("HASH", "#x");
        env.put("TEMPLATE", "{{ .Release.Name }}");
        env.put("TEMPLATE_TRIM", "{{- fail \"boom\" -}}");
        env.put("BOOL_WORD", "yes");
        env.put("OFF_WORD", "off");
        env.put("HEX", "0x1F");
        env.put("OCTAL", "0o17");
        env.put("SCIENTIFIC", "1e3");
        env.put("FLOAT", "1.50");
        env.put("INTEGER", "007");
        env.put("NULL_WORD", "null");
        env.put("TILDE", "~");
        env.put("EMPTY", "");
        env.put("MULTI", "line one\nline two\n");
        env.put("UNICODE", "héllo – 日本語 🚀");
        env.put("QUOTES", "it's \"quoted\"");
        env.put("SPACES", "  padded  ");
        env.put("BACKSLASH", "C:\\temp\\new");
        env.put("PERCENT", "100%{x}");
        env.put("DATE", "2024-01-01");
        env.put("UNDERSCORED", "1_000");
        env.put("INFINITY", ".inf");
        env.put("LETTER_Y", "y");
        env.put("SEXAGESIMAL", "12:30");
        return env;
    }

    @Test
    void valuesReachTheRenderedManifestsExactly(@TempDir Path out) throws Exception {
        Path chart = Generation.generate(DESCRIPTOR, out);
        String file = Files.readString(DESCRIPTOR.resolveSibling("files/tricky.conf"), StandardCharsets.UTF_8);
        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            String rendered = Tools.run(out, helm.toString(), "template", "tricky", chart.toString()).assertOk().stdout();
            List<Map<String, Object>> docs = KubeSchemaValidator.documents(rendered);
            Map<String, Object> deployment = find(docs, "Deployment");
            Map<String, Object> container = PodChecks.map(PodChecks.list(
                    PodChecks.get(deployment, "spec", "template", "spec", "containers")).get(0));
            Map<String, String> env = new LinkedHashMap<>();
            for (Object e : PodChecks.list(container.get("env"))) {
                env.put((String) PodChecks.map(e).get("name"), (String) PodChecks.map(e).get("value"));
            }
            env.keySet().retainAll(expectedEnv().keySet());
            assertEquals(new java.util.TreeMap<>(expectedEnv()), new java.util.TreeMap<>(env), helm + ": env values");
            assertEquals(List.of("-listen=:5678", "-text={{ .Values.secret }}", "yes"), container.get("args"));

            Map<String, Object> data = PodChecks.map(find(docs, "ConfigMap").get("data"));
            assertEquals("a: b", data.get("colon"));
            assertEquals("{{ .Values.image.tag }}", data.get("template"));
            assertEquals("yes", data.get("yes-word"));
            assertEquals("0x1F", data.get("hex"));
            assertEquals("first\n  indented\nlast\n", data.get("multi"));
            assertEquals(file, data.get("tricky.conf"), helm + ": file content byte for byte");
            assertEquals(List.of(Map.of("name", "config", "mountPath", "/etc/echo", "readOnly", true),
                    Map.of("name", "config", "mountPath", "/srv/echo/multi.txt", "subPath", "multi", "readOnly", true),
                    Map.of("name", "config", "mountPath", "/srv/echo/conf/tricky.conf", "subPath", "tricky.conf", "readOnly", true)),
                    PodChecks.list(container.get("volumeMounts")).stream().filter(m -> "config".equals(PodChecks.map(m).get("name"))).toList(),
                    helm + ": the config folder, and single keys at paths of their own (config.mounts)");

            Map<String, Object> annotations = PodChecks.map(PodChecks.get(deployment, "spec", "template", "metadata", "annotations"));
            assertEquals("{{ .Release.Name }}: yes # not a comment", annotations.get("example.com/note"));
        }
    }

    private static Map<String, Object> find(List<Map<String, Object>> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.get("kind"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " rendered"));
    }
}
