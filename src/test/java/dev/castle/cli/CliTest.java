package dev.castle.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.castle.testing.Tools;

/** The command line as a user meets it: help, version, usage errors, and the generate workflow. */
@Tag("integration")
class CliTest {

    @TempDir
    Path tmp;

    private static CastleRun.Result castle(String... args) {
        return CastleRun.run(args);
    }

    private static Path shop() {
        Path example = CastleRun.shopExample();
        assertTrue(Files.isRegularFile(example), "the shop example is missing: " + example);
        return example;
    }

    private static CastleRun.Result generateOk(Path out, String... extra) {
        String[] args = new String[3 + extra.length + 1];
        args[0] = "generate";
        args[1] = shop().toString();
        args[2] = "-o";
        args[3] = out.toString();
        System.arraycopy(extra, 0, args, 4, extra.length);
        CastleRun.Result result = castle(args);
        assertEquals(0, result.status(), () -> "generate " + String.join(" ", extra) + "\n" + result);
        return result;
    }

    // --- version and help ------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"--version", "-V"})
    void versionPrintsCastleAndExitsZero(String option) {
        CastleRun.Result result = castle(option);
        assertEquals(0, result.status(), result::toString);
        assertTrue(result.out().startsWith("castle "), result::toString);
        assertEquals("", result.err(), result::toString);
    }

    static List<List<String>> helpCases() {
        return List.of(
                List.of("", "validate", "generate", "schema", "--version", "--help"),
                List.of("generate", "FILE", "--output", "-o", "--force", "--dry-run", "--templates"),
                List.of("validate", "FILE", "--help"),
                List.of("schema", "--help", "2020-12"));
    }

    @ParameterizedTest(name = "castle {0} --help")
    @MethodSource("helpCases")
    void helpExitsZeroAndListsOptions(List<String> helpCase) {
        String command = helpCase.get(0);
        CastleRun.Result result = command.isEmpty() ? castle("--help") : castle(command, "--help");
        assertEquals(0, result.status(), result::toString);
        assertTrue(result.out().contains("Usage: castle" + (command.isEmpty() ? "" : " " + command)), result::toString);
        for (String mention : helpCase.subList(1, helpCase.size())) {
            assertTrue(result.out().contains(mention), () -> "help does not mention " + mention + "\n" + result);
        }
        assertEquals("", result.err(), result::toString);
    }

    @Test
    void helpSubcommandExitsZero() {
        CastleRun.Result result = castle("help", "generate");
        assertEquals(0, result.status(), result::toString);
        assertTrue(result.out().contains("--dry-run"), result::toString);
    }

    // --- usage errors ----------------------------------------------------------------------------

    @Test
    void unknownSubcommandExitsTwoWithMessage() {
        CastleRun.Result result = castle("frobnicate");
        assertEquals(2, result.status(), result::toString);
        assertTrue(result.err().contains("frobnicate"), result::toString);
        assertTrue(result.err().contains("--help"), result::toString);
        CastleRun.assertNoStackTrace(result);
    }

    @Test
    void unknownOptionExitsTwoWithMessage() {
        CastleRun.Result result = castle("generate", "--frobnicate", shop().toString(), "-o", tmp.resolve("out").toString());
        assertEquals(2, result.status(), result::toString);
        assertTrue(result.err().contains("--frobnicate"), result::toString);
        CastleRun.assertNoStackTrace(result);
        assertFalse(Files.exists(tmp.resolve("out")), "a usage error wrote output");
    }

    @Test
    void unknownTopLevelOptionExitsTwo() {
        CastleRun.Result result = castle("--frobnicate");
        assertEquals(2, result.status(), result::toString);
        assertTrue(result.err().contains("--frobnicate"), result::toString);
        CastleRun.assertNoStackTrace(result);
    }

    @Test
    void noSubcommandExitsTwo() {
        CastleRun.Result result = castle();
        assertEquals(2, result.status(), result::toString);
        assertFalse(result.err().isBlank(), result::toString);
        CastleRun.assertNoStackTrace(result);
    }

    @Test
    void missingFileArgumentExitsTwo() {
        CastleRun.Result result = castle("validate");
        assertEquals(2, result.status(), result::toString);
        assertTrue(result.err().contains("FILE"), result::toString);
        CastleRun.assertNoStackTrace(result);
    }

    // --- schema and validate ---------------------------------------------------------------------

    @Test
    void schemaPrintsDraft202012JsonSchema() throws IOException {
        CastleRun.Result result = castle("schema");
        assertEquals(0, result.status(), result::toString);
        JsonNode schema = new ObjectMapper().readTree(result.out());
        assertTrue(schema.isObject(), result::toString);
        assertTrue(schema.path("$schema").asText().contains("2020-12"), () -> "$schema: " + schema.path("$schema"));
        assertTrue(schema.path("properties").has("services"), "the schema describes services");
    }

    @Test
    void schemaMatchesTheCommittedSchemaFile() throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode printed = json.readTree(castle("schema").out());
        JsonNode committed = json.readTree(CastleRun.projectDir().resolve("schemas/castle-v1alpha1.schema.json").toFile());
        assertEquals(committed, printed);
    }

    @Test
    void validateAcceptsTheShopExample() {
        CastleRun.Result result = castle("validate", shop().toString());
        assertEquals(0, result.status(), result::toString);
        assertTrue(result.out().contains("valid"), result::toString);
        assertEquals("", result.err(), result::toString);
    }

    @Test
    void missingDescriptorExitsTwoWithFileNotFound() {
        Path missing = tmp.resolve("no-such-castle.yaml");
        for (String command : List.of("validate", "generate")) {
            CastleRun.Result result = command.equals("validate") ? castle(command, missing.toString())
                    : castle(command, missing.toString(), "-o", tmp.resolve("out").toString());
            assertEquals(2, result.status(), result::toString);
            assertTrue(result.err().contains("file not found"), result::toString);
            assertTrue(result.err().contains(missing + ":1:1:"), result::toString);
            CastleRun.assertNoStackTrace(result);
        }
        assertFalse(Files.exists(tmp.resolve("out")), "nothing may be written for a missing descriptor");
    }

    @Test
    void descriptorThatIsAFolderExitsTwo() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("castle.yaml"));
        CastleRun.Result result = castle("validate", folder.toString());
        assertEquals(2, result.status(), result::toString);
        assertTrue(result.err().contains(folder.toString()), result::toString);
        CastleRun.assertNoStackTrace(result);
    }

    // --- generate --------------------------------------------------------------------------------

    @Test
    void generateWritesTheParentChart() {
        Path out = tmp.resolve("out");
        CastleRun.Result result = generateOk(out);
        assertTrue(Files.isRegularFile(out.resolve("shop/Chart.yaml")), result::toString);
        assertTrue(Files.isRegularFile(out.resolve("shop/values.yaml")), result::toString);
        assertTrue(Files.isRegularFile(out.resolve("shop/charts/frontend/Chart.yaml")), result::toString);
        assertTrue(result.out().contains("generated"), result::toString);
    }

    @Test
    void dryRunWritesNothingAndSaysWhatItWouldAdd() throws IOException {
        Path out = tmp.resolve("out");
        CastleRun.Result result = generateOk(out, "--dry-run");
        assertTrue(result.out().contains("would add"), result::toString);
        assertTrue(result.out().contains("shop/Chart.yaml"), result::toString);
        assertTrue(CastleRun.tree(out).isEmpty(), () -> "dry run wrote " + CastleRun.tree(out).keySet());
    }

    @Test
    void dryRunOverAnExistingChartChangesNothing() throws IOException {
        Path out = tmp.resolve("out");
        generateOk(out);
        Path values = out.resolve("shop/values.yaml");
        Files.delete(out.resolve("shop/Chart.yaml"));
        Map<String, String> before = CastleRun.tree(out);
        CastleRun.Result result = generateOk(out, "--dry-run");
        assertTrue(result.out().contains("would add     shop/Chart.yaml"), result::toString);
        assertEquals(before, CastleRun.tree(out), "a dry run changed the output folder");
        assertTrue(Files.isRegularFile(values));
    }

    @Test
    void secondGenerationIsUpToDate() {
        Path out = tmp.resolve("out");
        generateOk(out);
        Map<String, String> first = CastleRun.tree(out);
        CastleRun.Result again = generateOk(out);
        assertTrue(again.out().contains("up to date"), again::toString);
        assertEquals(first, CastleRun.tree(out), "an up-to-date generation changed files");
    }

    @Test
    void chartsOnlyLeavesTheKustomizeOutputAndItsRecordAlone() {
        Path out = tmp.resolve("out");
        generateOk(out);
        Map<String, String> first = CastleRun.tree(out);
        assertTrue(first.keySet().stream().anyMatch(p -> p.startsWith("kustomize/shop/overlays/prod/")), first.keySet().toString());
        CastleRun.Result chartsOnly = generateOk(out, "--no-kustomize");
        assertTrue(chartsOnly.out().contains("up to date"), chartsOnly::toString);
        Path chartsOut = tmp.resolve("charts-only");
        generateOk(chartsOut, "--no-kustomize");
        assertTrue(CastleRun.tree(chartsOut).keySet().stream().noneMatch(p -> p.startsWith("kustomize/")), "no Kustomize output");
        generateOk(chartsOut);
        CastleRun.Result again = generateOk(chartsOut, "--no-kustomize");
        assertTrue(again.out().contains("up to date"), again::toString);
        CastleRun.Result full = generateOk(chartsOut);
        assertTrue(full.out().contains("up to date"), "the record still knows the Kustomize files: " + full);
    }

    @Test
    void handEditedFileIsKeptUnlessForced() throws IOException {
        Path out = tmp.resolve("out");
        generateOk(out);
        Path values = out.resolve("shop/values.yaml");
        byte[] generated = Files.readAllBytes(values);
        String edit = "# my own change\n";
        Files.writeString(values, edit, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        byte[] edited = Files.readAllBytes(values);
        Map<String, String> before = CastleRun.tree(out);

        CastleRun.Result refused = castle("generate", shop().toString(), "-o", out.toString());
        assertEquals(2, refused.status(), refused::toString);
        assertTrue(refused.err().contains("shop/values.yaml"), refused::toString);
        assertTrue(refused.err().contains("--force"), refused::toString);
        CastleRun.assertNoStackTrace(refused);
        assertArrayEquals(edited, Files.readAllBytes(values), "the edit was not kept");
        assertEquals(before, CastleRun.tree(out), "a refused generation changed the output folder");

        CastleRun.Result forced = generateOk(out, "--force");
        assertArrayEquals(generated, Files.readAllBytes(values), () -> "--force did not restore values.yaml\n" + forced);
        assertFalse(Files.readString(values).contains("my own change"));
    }

    @Test
    void strayFileIsReportedAndKeptEvenWhenForced() throws IOException {
        Path out = tmp.resolve("out");
        generateOk(out);
        Path stray = out.resolve("shop/templates/extra.yaml");
        Files.writeString(stray, "apiVersion: v1\nkind: ConfigMap\n");
        Map<String, String> before = CastleRun.tree(out);

        for (String[] args : List.of(new String[] {}, new String[] {"--force"})) {
            String[] command = java.util.stream.Stream.concat(
                    java.util.stream.Stream.of("generate", shop().toString(), "-o", out.toString()),
                    java.util.Arrays.stream(args)).toArray(String[]::new);
            CastleRun.Result refused = castle(command);
            assertEquals(2, refused.status(), refused::toString);
            assertTrue(refused.err().contains(stray.toString()), refused::toString);
            assertTrue(refused.err().contains("did not write"), refused::toString);
            CastleRun.assertNoStackTrace(refused);
            assertEquals(before, CastleRun.tree(out), "a refused generation changed the output folder");
        }
        Files.delete(stray);
        CastleRun.Result again = generateOk(out);
        assertTrue(again.out().contains("up to date"), again::toString);
    }

    @Test
    void generationIsDeterministic() {
        Path first = tmp.resolve("first");
        Path second = tmp.resolve("second");
        generateOk(first);
        generateOk(second);
        Map<String, String> a = CastleRun.tree(first);
        Map<String, String> b = CastleRun.tree(second);
        assertTrue(a.size() > 10, "too few files: " + a.keySet());
        assertEquals(a, b, "two generations of the same descriptor differ");
    }

    @Test
    void templatesFolderOverridesAServiceTemplate() throws IOException {
        Path templates = Files.createDirectories(tmp.resolve("templates/service"));
        Files.writeString(templates.resolve("README.md.ftl"), "custom [=chart]");
        Path out = tmp.resolve("out");
        generateOk(out, "--templates", tmp.resolve("templates").toString());
        assertEquals("custom frontend", Files.readString(out.resolve("shop/charts/frontend/README.md")).strip());
        assertEquals("custom catalog", Files.readString(out.resolve("shop/charts/catalog/README.md")).strip());
        assertTrue(Files.readString(out.resolve("shop/charts/frontend/Chart.yaml")).contains("name: frontend"),
                "other templates still come from castle");
    }

    @Test
    void missingTemplatesFolderExitsTwo() {
        Path out = tmp.resolve("out");
        CastleRun.Result result = castle("generate", shop().toString(), "-o", out.toString(),
                "--templates", tmp.resolve("no-such-templates").toString());
        assertEquals(2, result.status(), result::toString);
        assertTrue(result.err().contains("no-such-templates"), result::toString);
        CastleRun.assertNoStackTrace(result);
        assertFalse(Files.exists(out), "nothing may be written when --templates is wrong");
    }

    @Test
    void misspeltTemplateFileExitsTwoWithTheNameItMeant() throws IOException {
        Path templates = Files.createDirectories(tmp.resolve("templates/library/templates"));
        Files.writeString(templates.resolve("_pods.tpl"), "{{/* meant to override _pod.tpl */}}\n");
        Path out = tmp.resolve("out");
        CastleRun.Result result = castle("generate", shop().toString(), "-o", out.toString(), "--no-kustomize",
                "--templates", tmp.resolve("templates").toString());
        assertEquals(2, result.status(), result::toString);
        assertTrue(result.err().contains("library/templates/_pods.tpl overrides none of castle's templates (did you mean"
                + " library/templates/_pod.tpl?)"), result::toString);
        CastleRun.assertNoStackTrace(result);
        assertFalse(Files.exists(out), "nothing may be written when --templates is wrong");
    }

    /** A library template Helm refuses: exit 2 naming the template, with and without the Kustomize step (which crashed). */
    @Test
    void templateHelmRefusesExitsTwo() throws IOException {
        Path templates = Files.createDirectories(tmp.resolve("templates/library/templates"));
        Files.writeString(templates.resolve("_pod.tpl"), Files.readString(Tools.projectDir().resolve("templates/library/templates/_pod.tpl"))
                + "{{- define \"castle-common.broken\" }}{{ if }}{{ end }}\n");
        assertTemplatesRefused(err -> err.contains("Helm cannot render the chart") && err.contains("_pod.tpl"));
    }

    /**
     * A library template whose output Helm renders but is not YAML (a key written twice, deep in an
     * object): exit 2 naming the file and the key, nothing written, with and without the Kustomize
     * step (an internal error before, and nothing said with --no-kustomize).
     */
    @Test
    void templateThatRendersInvalidYamlExitsTwo() throws IOException {
        Path templates = Files.createDirectories(tmp.resolve("templates/library/templates"));
        String service = Files.readString(Tools.projectDir().resolve("templates/library/templates/_service.tpl"));
        assertTrue(service.contains("spec:\n  type: {{ $s.type"), "the Service template changed; update this test");
        Files.writeString(templates.resolve("_service.tpl"), service.replace("spec:\n  type: {{ $s.type", "spec:\n  type: x\n  type: {{ $s.type"));
        assertTemplatesRefused(err -> err.contains("is not valid YAML: found duplicate key type"));
    }

    /** A generate of the shop with the templates under tmp/templates, with and without the Kustomize step: exit 2, nothing written. */
    private void assertTemplatesRefused(java.util.function.Predicate<String> expectedError) {
        for (List<String> extra : List.<List<String>>of(List.of(), List.of("--no-kustomize"))) {
            Path out = tmp.resolve("out" + extra.size());
            List<String> args = new java.util.ArrayList<>(List.of("generate", shop().toString(), "-o", out.toString(),
                    "--templates", tmp.resolve("templates").toString()));
            args.addAll(extra);
            CastleRun.Result result = castle(args.toArray(String[]::new));
            assertEquals(2, result.status(), result::toString);
            assertTrue(expectedError.test(result.err()), result::toString);
            CastleRun.assertNoStackTrace(result);
            assertFalse(Files.exists(out), "nothing may be written when a template fails");
        }
    }

    @Test
    void outputThatIsARegularFileExitsTwo() throws IOException {
        Path file = tmp.resolve("out");
        Files.writeString(file, "not a folder\n");
        CastleRun.Result result = castle("generate", shop().toString(), "-o", file.toString());
        assertEquals(2, result.status(), result::toString);
        assertTrue(result.err().contains(file.toString()), result::toString);
        CastleRun.assertNoStackTrace(result);
        assertEquals("not a folder\n", Files.readString(file));
    }
}
