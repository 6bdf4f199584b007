package dev.castle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Numbers written in the other forms YAML 1.1 and JSON Schema allow (3.0 for an integer, 0x1F90,
 * 1_000). castle may accept them, then it must render the number the user meant; or refuse them,
 * then with exit 2 and a located message. It must never crash (exit 1) or pass the raw text on.
 */
class NumberFormsTest {

    /** A number form, where it is written, what a correct rendering holds, and what it must not hold. */
    record Form(String service, List<String> rendered, List<String> forbidden) {
    }

    static Stream<Arguments> forms() {
        return Stream.of(
                form("replicas 3.0", "    ports: {http: 8080}\n    replicas: 3.0\n",
                        List.of("replicaCount: 3\n"), List.of("3.0")),
                form("replicas 0x3", "    ports: {http: 8080}\n    replicas: 0x3\n",
                        List.of("replicaCount: 3\n"), List.of("0x3")),
                form("short port 8080.0", "    ports: {http: 8080.0}\n",
                        List.of("containerPort: 8080\n"), List.of("8080.0")),
                form("long port 8080.0", "    ports: {http: {port: 8080.0}}\n",
                        List.of("containerPort: 8080\n"), List.of("8080.0")),
                form("short port 0x1F90", "    ports: {http: 0x1F90}\n",
                        List.of("containerPort: 8080\n"), List.of("0x1F90")),
                form("long port 0x1F90", "    ports: {http: {port: 0x1F90}}\n",
                        List.of("containerPort: 8080\n"), List.of("0x1F90")),
                form("tcp probe port 8080.0", "    ports: {http: 8080}\n    probes: {liveness: {tcp: 8080.0}}\n",
                        List.of("tcpSocket"), List.of("8080.0")),
                form("cpu request 1_000", "    ports: {http: 8080}\n    resources: {requests: {cpu: 1_000}}\n",
                        List.of("cpu"), List.of("1_000")),
                form("memory request 0x10000000", "    ports: {http: 8080}\n    resources: {requests: {memory: 0x10000000}}\n",
                        List.of("memory"), List.of("0x10000000")));
    }

    private static Arguments form(String name, String service, List<String> rendered, List<String> forbidden) {
        return Arguments.of(Named.of(name, new Form(service, rendered, forbidden)));
    }

    private static String descriptor(String service) {
        return """
                apiVersion: castle/v1alpha1
                kind: System
                metadata:
                  name: demo
                  version: 0.1.0
                services:
                  web:
                    image: ghcr.io/acme/web:1.0.0
                """ + service;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void numberFormIsRenderedAsMeantOrRefusedWithPosition(Form form, @TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("castle.yaml");
        Files.writeString(file, descriptor(form.service()));
        Path out = tmp.resolve("out");
        CastleRun.Result result = CastleRun.run("generate", file.toString(), "-o", out.toString(), "--no-kustomize");
        String who = "[" + form.service().strip().replaceAll("\\s+", " ") + "] ";
        CastleRun.assertNoStackTrace(who, result);
        if (result.status() == 2) {
            assertFalse(InvalidDescriptorsTest.located(result.err(), file.toString()).isEmpty(),
                    () -> who + "refused without a position\n" + result);
            assertTrue(CastleRun.tree(out).isEmpty(), who + "a refused descriptor wrote output");
            return;
        }
        assertEquals(0, result.status(), () -> who + "neither accepted nor refused\n" + result);
        String values = Files.readString(out.resolve("demo/charts/web/values.yaml"));
        for (String wanted : form.rendered()) {
            assertTrue(values.contains(wanted), () -> who + "values.yaml lacks '" + wanted + "'\n" + values);
        }
        for (String raw : form.forbidden()) {
            assertFalse(values.contains(raw), () -> who + "values.yaml passes on the raw text '" + raw + "'\n" + values);
        }
    }

    /** 010 is octal 8 in YAML 1.1; whatever castle makes of it, the short and long forms must agree. */
    @Test
    void shortAndLongPortFormsReadALeadingZeroAlike(@TempDir Path tmp) throws IOException {
        String shortForm = generatedPortLine(tmp.resolve("short"), "    ports: {http: 010}\n");
        String longForm = generatedPortLine(tmp.resolve("long"), "    ports: {http: {port: 010}}\n");
        assertEquals(longForm, shortForm, "ports: {http: 010} and ports: {http: {port: 010}} differ");
    }

    private static String generatedPortLine(Path dir, String service) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("castle.yaml");
        Files.writeString(file, descriptor(service));
        CastleRun.Result result = CastleRun.run("generate", file.toString(), "-o", dir.resolve("out").toString(), "--no-kustomize");
        CastleRun.assertNoStackTrace(result);
        if (result.status() != 0) {
            return "exit " + result.status();
        }
        return Files.readAllLines(dir.resolve("out/demo/charts/web/values.yaml")).stream()
                .filter(l -> l.contains("containerPort:")).findFirst().orElse("no containerPort").strip();
    }
}
