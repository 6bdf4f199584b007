package dev.castle.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.castle.cli.Pipeline;

/**
 * Every subchart of every example has one template file, {@code templates/resources.yaml}, of at
 * most 30 lines, each an include of the castle-common library: the library is the one place where
 * an object is spelled out.
 */
class ResourcesFileTest {
    private static final Pattern SUBCHART_TEMPLATE = Pattern.compile("[^/]+/charts/([^/]+)/templates/(.+)");
    private static final Pattern INCLUDE = Pattern.compile("\\{\\{ include \"castle-common\\.[A-Za-z.]+\" (\\.|\\(list \\. \"[A-Za-z]+\"\\)) }}");

    @ParameterizedTest
    @ValueSource(strings = {"shop", "boutique", "data-platform"})
    void eachSubchartHasOneTemplateFileOfIncludes(String example) throws Exception {
        Path descriptor = Path.of("examples", example, "castle.yaml");
        Map<String, byte[]> files = Pipeline.generate(Pipeline.model(descriptor), Optional.empty(), false).files();
        Map<String, String> templateFiles = new TreeMap<>();
        files.forEach((path, bytes) -> {
            Matcher m = SUBCHART_TEMPLATE.matcher(path);
            if (m.matches() && !m.group(1).equals(LibraryChartContributor.NAME)) {
                assertEquals(null, templateFiles.put(m.group(1), m.group(2)), "a second template file in " + path);
                String text = new String(bytes, StandardCharsets.UTF_8);
                assertTrue(text.lines().count() <= 30, path + " has " + text.lines().count() + " lines");
                text.lines().forEach(line -> assertTrue(INCLUDE.matcher(line).matches(), path + ": " + line));
            }
        });
        assertTrue(templateFiles.size() > 3, templateFiles.toString());
        templateFiles.forEach((chart, file) -> assertEquals(ResourcesFile.PATH.substring("templates/".length()), file, chart));
    }
}
