package dev.castle.kustomize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.castle.cli.Pipeline;
import dev.castle.model.SystemModel;
import dev.castle.testing.Tools;

/**
 * With renders kept (castle daemon), the Kustomize output of the shop is the same as without, the
 * second time too (from the kept renders), and a change to one values file shows in the output as it
 * does without them: a kept render never answers for a chart that differs.
 */
@Tag("integration")
class KeptRendersTest {
    @AfterEach
    void off() {
        RenderCache.disable();
    }

    @Test
    void keptRendersGiveTheOutputOfNewOnes() throws Exception {
        SystemModel model = Pipeline.model(Tools.projectDir().resolve("examples/shop/castle.yaml"));
        Map<String, byte[]> charts = Pipeline.generate(model, Optional.empty(), false).files();
        Map<String, byte[]> changed = new TreeMap<>(charts);
        String prod = new String(charts.get("shop/values-prod.yaml"), StandardCharsets.UTF_8);
        changed.put("shop/values-prod.yaml", prod.replaceFirst("refreshInterval: 1h", "refreshInterval: 2h").getBytes(StandardCharsets.UTF_8));

        Map<String, String> fresh = render(model, charts);
        Map<String, String> freshChanged = render(model, changed);
        assertNotEquals(fresh, freshChanged);

        HelmEngine.keepRenders(64L << 20);
        assertEquals(fresh, render(model, charts));
        assertEquals(0, RenderCache.get().hits());
        assertEquals(fresh, render(model, charts), "from the kept renders");
        assertEquals(7, RenderCache.get().hits(), "the base, three environments and their canaries");
        assertEquals(freshChanged, render(model, changed), "a changed values file is a render of its own");
        assertEquals(7, RenderCache.get().hits(), "none: each render's key holds every file of the chart Helm loads");
        assertEquals(fresh, render(model, charts));
    }

    private static Map<String, String> render(SystemModel model, Map<String, byte[]> charts) {
        Map<String, String> text = new TreeMap<>();
        new KustomizeRenderer(true).render(model, charts, "kustomize/shop/").forEach((path, bytes) -> text.put(path, new String(bytes, StandardCharsets.UTF_8)));
        return text;
    }
}
