package dev.castle.rules;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.castle.cli.CastleCommand;
import dev.castle.cli.Pipeline;
import dev.castle.kustomize.HelmEngine;
import dev.castle.model.SystemModel;
import dev.castle.testing.KubeSchemaValidator;
import dev.castle.testing.Tools;

/**
 * The collision rule is only as good as its list of names: every object of the kinds it checks
 * that Helm renders from a generated chart (the examples, the valid fixtures, and a system of long
 * names with hooks, claims and a StatefulSet, where the library cuts names) must be in
 * {@link GeneratedObjects}, under the same kind and name.
 */
@Tag("integration")
class GeneratedObjectsTest {
    private static final Set<String> KINDS = Set.of("Deployment", "StatefulSet", "Job", "CronJob", "Rollout", "Service", "ConfigMap",
            "Secret", "ServiceAccount", "PersistentVolumeClaim", "Pod", "NetworkPolicy", "HTTPRoute", "GRPCRoute");

    private static final String LONG_NAMES = """
            apiVersion: castle/v1alpha1
            kind: System
            metadata: {name: long-names-system, version: 1.0.0}
            infrastructure:
              %1$s-db: {type: mongodb}
            services:
              %1$s-web:
                image: ghcr.io/acme/web:1.0.0
                ports: {http: 8080}
                replicas: 1
                config: {data: {A: b}}
                volumes: {scratch-volume-with-a-long-name: {mountPath: /scratch, persistent: {size: 1Gi}}}
                hooks:
                  migrate-the-database: {when: [post-install]}
                  smoke-test-a-release: {when: [post-upgrade]}
              %1$s-set:
                image: ghcr.io/acme/web:1.0.0
                workload: StatefulSet
                ports: {http: 8080}
              %1$s-job:
                image: ghcr.io/acme/web:1.0.0
                workload: Job
            """.formatted("a-service-name-that-takes-room");

    @TempDir
    static Path tmp;

    static List<Path> descriptors() throws IOException {
        Path project = Tools.projectDir();
        List<Path> all = new ArrayList<>();
        try (Stream<Path> examples = Files.list(project.resolve("examples"));
             Stream<Path> valid = Files.list(project.resolve("src/test/resources/descriptors/valid"))) {
            examples.map(e -> e.resolve("castle.yaml")).filter(Files::isRegularFile).sorted().forEach(all::add);
            valid.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(all::add);
        }
        Path longNames = Files.createDirectories(tmp.resolve("long")).resolve("castle.yaml");
        Files.writeString(longNames, LONG_NAMES, StandardCharsets.UTF_8);
        all.add(longNames);
        return all;
    }

    @ParameterizedTest
    @MethodSource("descriptors")
    void everyRenderedNameIsKnownToTheRule(Path descriptor) throws Exception {
        SystemModel model = Pipeline.model(descriptor);
        Path out = Files.createTempDirectory(tmp, "out");
        StringWriter err = new StringWriter();
        int status = CastleCommand.execute(new String[] {"generate", descriptor.toString(), "-o", out.toString(), "--no-kustomize"},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertTrue(status == 0, () -> descriptor + ": " + err);
        String system = model.metadata().name();
        Path chart = out.resolve(system);
        Files.write(chart.resolve("Chart.yaml"), HelmEngine.localDependenciesOnly(Files.readAllBytes(chart.resolve("Chart.yaml"))));
        Tools.Result helm = Tools.run(out, Tools.helm4().toString(), "template", system, chart.toString(), "--namespace", system).assertOk();
        Set<String> known = new TreeSet<>();
        GeneratedObjects.of(model).forEach(o -> known.add(o.kind() + "/" + o.name()));
        Set<String> unknown = new TreeSet<>();
        for (Map<String, Object> document : KubeSchemaValidator.documents(helm.stdout())) {
            String kind = String.valueOf(document.get("kind"));
            Object name = ((Map<?, ?>) document.get("metadata")).get("name");
            if (KINDS.contains(kind) && !known.contains(kind + "/" + name)) {
                unknown.add(kind + "/" + name);
            }
        }
        assertTrue(unknown.isEmpty(), () -> descriptor + ": rendered but not in GeneratedObjects: " + unknown + "\nknown: " + known);
    }
}
