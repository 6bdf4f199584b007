package dev.castle.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.castle.load.DescriptorLoader;

/** The schema stage's messages: one problem per mistake, numbers compared exactly. */
class SchemaCheckTest {
    private static List<SchemaCheck.Problem> check(String service) throws Exception {
        String yaml = """
                apiVersion: castle/v1alpha1
                kind: System
                metadata: {name: shop, version: 1.0.0}
                services:
                  web: {image: ghcr.io/acme/web:1.0.0, %s}
                """.formatted(service);
        return new SchemaCheck().check(new DescriptorLoader().load(Path.of("castle.yaml"), yaml.getBytes(StandardCharsets.UTF_8)));
    }

    /** The one problem the schema finds in the service. */
    private static dev.castle.load.Diagnostic only(String service) throws Exception {
        List<SchemaCheck.Problem> problems = check(service);
        assertEquals(1, problems.size(), problems::toString);
        return problems.get(0).diagnostic();
    }

    /** A null where a value of several forms goes was one problem per form (and warnings that followed from it). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ports: {http: null}|/services/web/ports/http|an integer or an object",
            "env: {A: null}|/services/web/env/A|a string or a number or a boolean or an object",
            "ports: null|/services/web/ports|an object"})
    void aNullIsOneProblem(String service, String pointer, String forms) throws Exception {
        dev.castle.load.Diagnostic problem = only(service);
        assertEquals(pointer, problem.pointer());
        assertEquals("the value is empty (null)", problem.problem());
        assertTrue(problem.allowed().startsWith("write " + forms + ", or remove the key"), problem::toString);
    }

    /** A whole number written as a float is compared as the integer it is (1e400 was accepted, then replaced by the default). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "replicas: 1e400|1E+400: must have a maximum value of 2147483647",
            "replicas: -1e400|-1E+400: must have a minimum value of 0",
            "replicas: 3.0e9|3000000000: must have a maximum value of 2147483647",
            "tracing: {ratio: 1e400}|1E+400: must have a maximum value of 1"})
    void numbersBeyondTheirRangeAreRefused(String service, String problem) throws Exception {
        assertEquals(problem, only(service).problem());
    }

    /** Label and annotation keys are qualified names: the name after the prefix has at most 63 characters, the prefix 253. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "podLabels: {\"bad key\": x}|/services/web/podLabels/bad key|5:52",
            "podAnnotations: {example.com/NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN: x}|/services/web/podAnnotations/example.com~1NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN|5:57",
            "podLabels: {-a: x}|/services/web/podLabels/-a|5:52"})
    void keysOfLabelsAndAnnotationsAreQualifiedNames(String service, String pointer, String at) throws Exception {
        dev.castle.load.Diagnostic problem = only(service);
        assertEquals(pointer, problem.pointer());
        assertTrue(problem.problem().endsWith("is not a valid key here"), problem::toString);
        assertTrue(problem.allowed().contains("at most 63"), problem::toString);
        assertEquals(at, problem.position().line() + ":" + problem.position().column());
    }

    @org.junit.jupiter.api.Test
    void longestQualifiedNamesAreKept() throws Exception {
        assertEquals(List.of(), check("podLabels: {%s/%s: x}".formatted("a".repeat(63) + "." + "b".repeat(63), "n".repeat(63))));
    }
}
