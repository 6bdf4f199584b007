package dev.castle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --format json|github, warnings and --strict, unknown options: what machines and editors read. */
class DiagnosticsOutputTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String BROKEN = """
            apiVersion: castle/v1alpha1
            kind: System
            metadata: {name: demo, version: 0.1.0}
            services:
              web:
                imgae: typo
                image: ghcr.io/acme/web:latest
                ports: {http: 8080}
              worker:
                image: ghcr.io/acme/worker:1.0.0
            """;

    private static JsonNode validated(String output) throws IOException {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(Files.readString(CastleRun.projectDir().resolve("schemas/castle-diagnostics.schema.json")));
        JsonNode document = JSON.readTree(output);
        Set<ValidationMessage> problems = schema.validate(document);
        assertTrue(problems.isEmpty(), () -> "the JSON output does not fit its schema: " + problems + "\n" + output);
        return document;
    }

    @Test
    void jsonOutputOfAnInvalidDescriptorFitsItsSchema(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("castle.yaml");
        Files.writeString(file, BROKEN);
        for (String[] args : new String[][] {{"validate", "-o", "json", file.toString()}, {"validate", "--format", "json", file.toString()},
                {"generate", file.toString(), "-o", tmp.resolve("out").toString(), "--format", "json"}}) {
            CastleRun.Result result = CastleRun.run(args);
            assertEquals(2, result.status(), result::toString);
            JsonNode document = validated(result.out());
            assertFalse(document.get("valid").asBoolean());
            assertEquals(2, document.get("errors").asInt(), result::toString);
            assertEquals(2, document.get("warnings").asInt(), result::toString);
            JsonNode first = document.get("problems").get(0);
            assertEquals("error", first.get("severity").asText());
            assertEquals(6, first.get("line").asInt());
            assertEquals(5, first.get("column").asInt());
            assertEquals("/services/web/imgae", first.get("pointer").asText());
            assertEquals("image", first.get("suggestion").asText());
            assertEquals("warning", document.get("problems").get(2).get("severity").asText());
            assertEquals("", result.err(), "nothing but the document: " + result);
        }
    }

    @Test
    void jsonOutputOfAValidDescriptorFitsItsSchema() throws IOException {
        CastleRun.Result result = CastleRun.run("validate", "--format", "json", CastleRun.shopExample().toString());
        assertEquals(0, result.status(), result::toString);
        JsonNode document = validated(result.out());
        assertTrue(document.get("valid").asBoolean());
        assertEquals("shop", document.get("system").asText());
    }

    @Test
    void githubOutputAnnotatesTheDescriptor(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("castle.yaml");
        Files.writeString(file, BROKEN);
        CastleRun.Result result = CastleRun.run("validate", "--format", "github", file.toString());
        assertEquals(2, result.status(), result::toString);
        assertTrue(result.out().contains("::error file=" + file + ",line=6,col=5,title=castle /services/web/imgae::unknown key 'imgae'"
                + " (did you mean 'image'? allowed keys: "), result::toString);
        assertTrue(result.out().lines().anyMatch(l -> l.startsWith("::warning file=" + file + ",line=10,col=5,")), result::toString);
        assertTrue(result.err().contains("has 2 problems and 2 warnings"), result::toString);
    }

    @Test
    void warningsAreAllowedUnlessStrict(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("castle.yaml");
        Files.writeString(file, BROKEN.replace("    imgae: typo\n", "").replace(":latest", ":1.0.0"));
        CastleRun.Result lenient = CastleRun.run("validate", file.toString());
        assertEquals(0, lenient.status(), lenient::toString);
        assertTrue(lenient.err().contains("warning: /services/worker: a Deployment without ports needs an explicit liveness probe"),
                lenient::toString);
        assertTrue(lenient.out().contains("valid; system demo 0.1.0 with 2 services (2 warnings)"), lenient::toString);
        CastleRun.Result strict = CastleRun.run("validate", "--strict", file.toString());
        assertEquals(2, strict.status(), strict::toString);
        assertTrue(strict.err().contains("has 2 problems:"), strict::toString);
        CastleRun.Result generate = CastleRun.run("generate", file.toString(), "-o", tmp.resolve("out").toString(), "--no-kustomize");
        assertEquals(0, generate.status(), generate::toString);
        assertTrue(generate.err().contains("warning: /services/worker"), generate::toString);
    }

    @Test
    void unknownOptionsAreNamed(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("castle.yaml");
        Files.writeString(file, BROKEN);
        CastleRun.Result result = CastleRun.run("validate", "--colour", file.toString());
        assertEquals(2, result.status(), result::toString);
        assertTrue(result.err().contains("'--colour'"), result::toString);
        assertFalse(result.err().contains("'" + file + "'"), () -> "the file is not an unknown option\n" + result);
        CastleRun.Result format = CastleRun.run("validate", "-o", "yaml", file.toString());
        assertEquals(2, format.status(), format::toString);
        assertTrue(format.err().contains("yaml") && format.err().contains("json"), format::toString);
    }
}
