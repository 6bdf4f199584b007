package dev.castle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.castle.model.SystemModel;

/** castle init: a commented descriptor that validates, with the editor's schema beside it; never over an existing one. */
class InitCommandTest {
    @TempDir
    Path tmp;

    @Test
    void writesAValidCommentedDescriptorNamedAfterTheFolder() throws Exception {
        Path dir = tmp.resolve("my-shop");
        CastleRun.Result result = CastleRun.run("init", dir.toString());
        assertEquals(0, result.status(), result::toString);
        String text = Files.readString(dir.resolve("castle.yaml"));
        assertTrue(text.startsWith("# yaml-language-server: $schema=castle.schema.json\n"), text);
        assertTrue(text.contains("\n# "), "commented");
        SystemModel model = Pipeline.model(dir.resolve("castle.yaml"));
        assertEquals("my-shop", model.metadata().name());
        assertEquals(List.of("web"), model.services().stream().map(s -> s.name()).toList());
        assertEquals(CastleRun.run("schema").out(), Files.readString(dir.resolve("castle.schema.json")));
    }

    @Test
    void servicesAndComponentsAreWiredTogether() throws Exception {
        CastleRun.Result result = CastleRun.run("init", tmp.toString(), "--name", "shop", "--services", "frontend,orders",
                "--with", "postgresql,redis");
        assertEquals(0, result.status(), result::toString);
        SystemModel model = Pipeline.model(tmp.resolve("castle.yaml"));
        assertEquals(List.of("orders"), model.service("frontend").orElseThrow().dependsOn().stream().map(d -> d.name()).toList());
        assertEquals(List.of("postgresql", "redis"), model.service("orders").orElseThrow().dependsOn().stream().map(d -> d.name()).toList());
        assertEquals(List.of("dev", "prod"), model.environments().stream().map(SystemModel.Environment::name).toList());
    }

    @Test
    void jaegerIsTheServicesTracingBackendWithoutDependsOn() throws Exception {
        CastleRun.Result result = CastleRun.run("init", tmp.toString(), "--name", "shop", "--services", "frontend,orders",
                "--with", "postgresql,jaeger");
        assertEquals(0, result.status(), result::toString);
        SystemModel model = Pipeline.model(tmp.resolve("castle.yaml"));
        assertEquals(List.of("postgresql"), model.service("orders").orElseThrow().dependsOn().stream().map(d -> d.name()).toList());
        for (String service : List.of("frontend", "orders")) {
            assertEquals("jaeger", model.service(service).orElseThrow().tracesTo().orElseThrow().component(), service + " traces to it");
        }
        assertTrue(model.infrastructure("jaeger").orElseThrow().storage().ephemeral(), "traces in memory");
    }

    @Test
    void refusesToOverwriteAndRefusesBadNamesWithExitTwo() throws Exception {
        Files.writeString(tmp.resolve("castle.yaml"), "# mine\n");
        CastleRun.Result exists = CastleRun.run("init", tmp.toString(), "--name", "x");
        assertEquals(2, exists.status(), exists::toString);
        assertTrue(exists.err().contains("castle.yaml exists"), exists::toString);
        assertEquals("# mine\n", Files.readString(tmp.resolve("castle.yaml")));
        for (List<String> args : List.of(
                List.of("--name", "My_Shop"),
                List.of("--name", "ok", "--services", "Bad!"),
                List.of("--name", "ok", "--with", "oracle"),
                List.of("--name", "ok", "--services", "a,a"),
                List.of("--name", "ok", "--services", "redis", "--with", "redis"))) {
            Path dir = tmp.resolve("d" + args.hashCode());
            List<String> all = new java.util.ArrayList<>(List.of("init", dir.toString()));
            all.addAll(args);
            CastleRun.Result result = CastleRun.run(all.toArray(String[]::new));
            assertEquals(2, result.status(), result::toString);
            CastleRun.assertNoStackTrace(result);
            assertTrue(result.err().startsWith("castle: --"), result::toString);
            assertFalse(Files.exists(dir.resolve("castle.yaml")));
        }
        CastleRun.Result with = CastleRun.run("init", tmp.resolve("w").toString(), "--name", "ok", "--with", "oracle");
        assertTrue(with.err().contains("allowed: postgresql, mysql, mongodb, redis, rabbitmq, kafka"), with::toString);
    }
}
