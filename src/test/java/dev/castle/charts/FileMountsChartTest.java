package dev.castle.charts;

import static dev.castle.charts.PodChecks.get;
import static dev.castle.charts.PodChecks.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.castle.testing.Tools;

/**
 * Given a service that reads a configuration file with a secret from a Secret (secrets.*.mounts)
 * beside a file of a shared configuration (sharedConfig.*.mounts), when real Helm 3 and Helm 4
 * render the chart as generated and with those values set at install time, then each key is one
 * read-only file at its path (a subPath mount of the Secret's or ConfigMap's volume), the
 * documents validate strictly, and a key the values schema does not accept is refused.
 */
@Tag("integration")
class FileMountsChartTest {
    private static final String DESCRIPTOR = """
            apiVersion: castle/v1alpha1
            kind: System
            metadata: {name: files, version: 1.0.0}
            config:
              tracing: {files: {tracer.yml: tracer.yml}}
            services:
              web:
                image: ghcr.io/acme/web:1.0.0
                ports: {http: 8080}
                sharedConfig: {tracing: {mounts: {tracer.yml: /app/config/tracer.yml}}}
                secrets: {web-config: {mounts: {service-config.json: /app/config/service-config.json}}}
            """;

    @Test
    void keysOfASecretAndOfASharedConfigAreFilesAtTheirPathsAsGeneratedAndAsSet(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tracer.yml"), "agent: jaeger:6831\n");
        Files.writeString(dir.resolve("castle.yaml"), DESCRIPTOR);
        Path chart = Generation.generate(dir.resolve("castle.yaml"), dir.resolve("out"));
        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            Map<String, Object> generated = Generation.named(Generation.renderValid(dir, helm, "files", chart, "--set"), "Deployment", "files-web");
            assertEquals(Map.of("/app/config/service-config.json", "secret web-config, key service-config.json",
                    "/app/config/tracer.yml", "configMap files-tracing, key tracer.yml"), PodChecks.fileMounts(generated), helm + ": as generated");
            assertEquals(null, get(list(get(generated, "spec", "template", "spec", "containers")).get(0), "envFrom"),
                    helm + ": a Secret mounted key by key is not also variables");

            Map<String, Object> set = Generation.named(Generation.renderValid(dir, helm, "files", chart, "--set",
                    "web.secrets.web-config.mounts.service-config\\.json=/srv/service-config.json",
                    "web.secrets.tokens.envFrom=false", "web.secrets.tokens.mountPath=", "web.secrets.tokens.optional=true",
                    "web.secrets.tokens.mounts.token=/run/token",
                    "web.sharedConfig.tracing.mounts.tracer\\.yml=/srv/tracer.yml"), "Deployment", "files-web");
            assertEquals(Map.of("/srv/service-config.json", "secret web-config, key service-config.json",
                    "/run/token", "secret tokens (optional), key token",
                    "/srv/tracer.yml", "configMap files-tracing, key tracer.yml"), PodChecks.fileMounts(set), helm + ": as set at install");

            Tools.Result refused = Tools.run(dir, helm.toString(), "template", "files", chart.toString(),
                    "--set", "web.secrets.web-config.mounts.bad/key=/x");
            assertTrue(refused.exitCode() != 0 && refused.stderr().contains("bad/key"), helm + ": a key that is no Secret key is refused: " + refused.stderr());
        }
    }
}
