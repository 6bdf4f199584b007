package dev.castle.kustomize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * Which subcharts a render leaves out, decided as Helm decides a dependency's condition, and the
 * charts for which castle leaves that to Helm (no Helm here: nothing is rendered).
 */
class HelmEngineConditionsTest {
    private static final String CHART = """
            apiVersion: v2
            name: s
            version: 1.0.0
            dependencies:
              - name: castle-common
                version: 1.3.0
                repository: file://charts/castle-common
              - name: a
                version: 1.0.0
                repository: file://charts/a
                condition: a.enabled
              - name: b
                version: 1.0.0
                repository: file://charts/b
                condition: b.enabled
            """;

    private static Map<String, byte[]> chart(String... replacements) {
        Map<String, String> files = new TreeMap<>(Map.of(
                "s/Chart.yaml", CHART,
                "s/values.yaml", "a:\n  enabled: true\nb:\n  enabled: true\n",
                "s/values-dev.yaml", "b:\n  enabled: false\n",
                "s/charts/castle-common/Chart.yaml", "apiVersion: v2\nname: castle-common\nversion: 1.3.0\ntype: library\n",
                "s/charts/a/Chart.yaml", "apiVersion: v2\nname: a\nversion: 1.0.0\n",
                "s/charts/a/values.yaml", "replicaCount: 1\n",
                "s/charts/b/Chart.yaml", "apiVersion: v2\nname: b\nversion: 1.0.0\n",
                "s/charts/b/values.yaml", "replicaCount: 1\n"));
        for (int i = 0; i < replacements.length; i += 2) {
            files.put(replacements[i], replacements[i + 1]);
        }
        Map<String, byte[]> bytes = new TreeMap<>();
        files.forEach((path, text) -> bytes.put(path, text.getBytes(StandardCharsets.UTF_8)));
        return bytes;
    }

    private static Set<String> disabled(String valuesFile, List<String> sets, String... replacements) {
        try (HelmEngine helm = new HelmEngine("s", chart(replacements), false)) {
            return helm.disabled(valuesFile, sets);
        }
    }

    @Test
    void castlesOwnDependenciesAreLeftToCastle() {
        assertEquals(Map.of("castle-common", "", "a", "a.enabled", "b", "b.enabled"), HelmEngine.conditions("s", chart()));
    }

    @Test
    void anyOtherDeclarationIsLeftToHelm() {
        assertNull(HelmEngine.conditions("s", chart("s/Chart.yaml", CHART.replace("condition: a.enabled", "alias: z"))));
        assertNull(HelmEngine.conditions("s", chart("s/Chart.yaml", CHART.replace("condition: a.enabled", "import-values: [x]"))));
        assertNull(HelmEngine.conditions("s", chart("s/Chart.yaml", CHART.replace("condition: a.enabled", "condition: a.enabled,x.enabled"))));
        assertNull(HelmEngine.conditions("s", chart("s/Chart.yaml", CHART.replace("repository: file://charts/a", "repository: https://x.example"))));
        assertNull(HelmEngine.conditions("s", chart("s/charts/a/Chart.yaml", "apiVersion: v2\nname: a\nversion: 2.0.0\n")),
                "a subchart of another version than declared");
        assertNull(HelmEngine.conditions("s", chart("s/charts/a/Chart.yaml", "apiVersion: v2\nname: x\nversion: 1.0.0\n")),
                "a subchart of another name than declared");
        assertNull(HelmEngine.conditions("s", chart("s/charts/a/Chart.yaml", "apiVersion: v2\nname: a\nversion: 1.0.0\ndependencies: []\n")),
                "a subchart with dependencies of its own");
        assertNull(HelmEngine.conditions("s", chart("s/charts/a/charts/x/Chart.yaml", "name: x\n")), "a subchart of a subchart");
        assertNull(HelmEngine.conditions("s", chart("s/charts/x-1.0.0.tgz", "")), "a packaged subchart");
        assertNull(HelmEngine.conditions("s", chart("s/Chart.yaml", "name: s\nversion: [")), "a Chart.yaml that is not YAML");
    }

    @Test
    void aConditionIsReadFromTheSetsThenTheValuesFileThenTheChartsValues() {
        assertEquals(Set.of(), disabled(null, List.of()));
        assertEquals(Set.of("b"), disabled("values-dev.yaml", List.of("global.offline=true")));
        assertEquals(Set.of(), disabled("values-dev.yaml", List.of("b.enabled=true")));
        assertEquals(Set.of("a", "b"), disabled("values-dev.yaml", List.of("a.enabled=false")));
        assertEquals(Set.of("a"), disabled(null, List.of(), "s/values.yaml", "a:\n  enabled: false\n"));
        assertEquals(Set.of(), disabled(null, List.of(), "s/values.yaml", "{}\n"), "no value: enabled, as in Helm");
    }

    @Test
    void whatNeedsMoreOfHelmsRulesIsLeftToHelm() {
        assertNull(disabled("values-dev.yaml", List.of(), "s/values-dev.yaml", "b: false\n"), "a path through a scalar");
        assertNull(disabled("values-dev.yaml", List.of(), "s/values-dev.yaml", "b:\n  enabled: 'no'\n"), "a string");
        assertNull(disabled("values-dev.yaml", List.of(), "s/values-dev.yaml", "b:\n  enabled:\n"), "a null");
        assertNull(disabled(null, List.of("b=x")), "a --set over the path");
        assertNull(disabled(null, List.of("b.enabled.x=1")), "a --set under the path");
        assertEquals(Set.of(), disabled(null, List.of("b.enabled=false", "b.enabled=true")), "the last --set of a path");
        assertNull(disabled(null, List.of("b.enabled[0]=x")), "a --set that is not a plain path");
        assertNull(disabled(null, List.of(), "s/values.yaml", "{}\n", "s/charts/a/values.yaml", "enabled: false\n"),
                "the subchart's own default");
        assertNull(disabled("values-dev.yaml", List.of(), "s/values-dev.yaml", "b: [\n"), "a values file that is not YAML");
    }

    @Test
    void aRenderGoesInAPartPerCoreOfFiftySubchartsOrMore() {
        assertEquals(0, KustomizeRenderer.parts(9, 2), "the shop renders whole");
        assertEquals(1, KustomizeRenderer.parts(64, 8));
        assertEquals(2, KustomizeRenderer.parts(100, 2));
        assertEquals(2, KustomizeRenderer.parts(1000, 2));
        assertEquals(8, KustomizeRenderer.parts(1000, 8));
    }

    @Test
    void aTopLevelKeyIsReadFromItsLine() {
        byte[] yaml = "# enabled: false\nname: 'a'\n\"version\" : \"1.0.0\"\r\nimage:\n  enabled: true\nempty:\n".getBytes(StandardCharsets.UTF_8);
        assertEquals("a", HelmEngine.topLevel(yaml, "name"));
        assertEquals("1.0.0", HelmEngine.topLevel(yaml, "version"));
        assertEquals("", HelmEngine.topLevel(yaml, "image"));
        assertEquals("", HelmEngine.topLevel(yaml, "empty"));
        assertNull(HelmEngine.topLevel(yaml, "enabled"), "a nested key, a comment");
        assertNull(HelmEngine.topLevel(yaml, "nam"));
        assertNull(HelmEngine.topLevel(null, "name"));
    }
}
