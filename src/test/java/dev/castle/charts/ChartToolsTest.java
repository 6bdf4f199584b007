package dev.castle.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.castle.testing.KubeSchemaValidator;
import dev.castle.testing.Tools;

/**
 * Given each descriptor (the examples and every valid test descriptor), when castle generates it,
 * then real Helm 3 and Helm 4 lint it strictly and render it, Helm 4 installs it in client dry-run
 * mode, every rendered document validates strictly against the Kubernetes schemas, every pod
 * passes the restricted-profile and linter checks, and the namespace quota admits every workload
 * at the most pods it can run (with the values of every environment too).
 */
@Tag("integration")
class ChartToolsTest {

    static Stream<Path> descriptors() {
        return Generation.descriptors().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("descriptors")
    void helmLintsRendersAndInstallsAndEveryDocumentValidates(Path descriptor, @TempDir Path out) {
        assertChartPasses(Generation.generate(descriptor, out), out);
    }

    /**
     * The checks above on a generated chart: Helm 3 and 4 lint --strict and template (also with every
     * values-<env>.yaml), strict schema validation, the pod rules, and Helm 4's client dry-run install.
     */
    static void assertChartPasses(Path chart, Path out) {
        String release = chart.getFileName().toString();
        for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
            Tools.Result lint = Tools.run(out, helm.toString(), "lint", "--strict", chart.toString()).assertOk();
            assertFalse(lint.stdout().contains("[WARNING]"), "helm lint --strict warned:\n" + lint.stdout());

            String rendered = Tools.run(out, helm.toString(), "template", release, chart.toString(),
                    "--namespace", release).assertOk().stdout();
            List<Map<String, Object>> documents = KubeSchemaValidator.documents(rendered);
            assertFalse(documents.isEmpty(), "helm template rendered nothing");
            KubeSchemaValidator.shared().assertValid(rendered);
            List<String> problems = new PodChecks(documents).check();
            assertEquals(List.of(), problems, helm + ": pods that break the restricted profile or the lint rules");
            assertEquals(List.of(), QuotaCheck.check(documents), helm + ": the namespace quota admits every workload at its most pods");
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(chart)) {
            for (Path values : files.filter(f -> f.getFileName().toString().matches("values-.+\\.yaml")).sorted().toList()) {
                for (Path helm : List.of(Tools.helm3(), Tools.helm4())) {
                    // in the environment's namespace, as the file's header says (sealed secrets are sealed for it)
                    String rendered = Tools.run(out, helm.toString(), "template", release, chart.toString(), "-f", values.toString(),
                            "--namespace", namespaceOf(values)).assertOk().stdout();
                    KubeSchemaValidator.shared().assertValid(rendered);
                    List<Map<String, Object>> documents = KubeSchemaValidator.documents(rendered);
                    assertEquals(List.of(), new PodChecks(documents).check(), helm + " with " + values.getFileName() + ": pods that break the rules");
                    assertEquals(List.of(), QuotaCheck.check(documents), helm + " with " + values.getFileName()
                            + ": the namespace quota admits every workload at its most pods");
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Tools.Result install = Tools.run(out, Tools.helm4().toString(), "install", release, chart.toString(),
                "--dry-run=client", "--namespace", release).assertOk();
        assertTrue(install.stdout().contains("STATUS: pending-install"), install.stdout());
        assertTrue(install.stdout().contains("helm test"), "NOTES.txt is shown:\n" + install.stdout());
    }

    /** The namespace values-<env>.yaml is for: its header's helm command says --namespace NS. */
    static String namespaceOf(Path values) {
        try {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("--namespace (\\S+)").matcher(java.nio.file.Files.readString(values));
            assertTrue(m.find(), values + " names its namespace");
            return m.group(1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
