package dev.castle.charts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Given a descriptor that castle init or castle import wrote (from the Compose projects and OAM
 * Applications under src/test/resources/imports), when castle generates it, then the charts pass
 * the same real-tool checks as the examples: Helm 3 and 4 lint --strict and template, with every
 * values file, strict schema validation, the pod rules and a client dry-run install.
 */
@Tag("integration")
class ImportedChartsTest {

    static Stream<Imported.Case> cases() {
        return Imported.cases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theDescriptorCastleWroteGeneratesChartsThatPassTheChartTests(Imported.Case c, @TempDir Path work) throws Exception {
        Path descriptor = Imported.write(c, Files.createDirectories(work.resolve("src")));
        Path out = Files.createDirectories(work.resolve("out"));
        ChartToolsTest.assertChartPasses(Generation.generate(descriptor, out), out);
    }
}
