package dev.castle.kustomize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The key of a kept render changes with every byte and argument it reads; the least recently used go first. */
class RenderCacheTest {
    @AfterEach
    void off() {
        RenderCache.disable();
    }

    private static Map<String, byte[]> files(String... pathsAndContents) {
        Map<String, byte[]> files = new TreeMap<>();
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            files.put(pathsAndContents[i], pathsAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return files;
    }

    @Test
    void theKeyChangesWithEveryPathContentAndArgument() {
        List<String> arguments = List.of("shop", "shop-prod", "v1.30", "values-prod.yaml");
        String key = RenderCache.key(RenderCache.digest(files("a/Chart.yaml", "x", "a/values.yaml", "y")), arguments);
        assertEquals(key, RenderCache.key(RenderCache.digest(files("a/Chart.yaml", "x", "a/values.yaml", "y")), arguments));
        assertNotEquals(key, RenderCache.key(RenderCache.digest(files("a/Chart.yaml", "x", "a/values.yaml", "z")), arguments));
        assertNotEquals(key, RenderCache.key(RenderCache.digest(files("a/Chart.yaml", "x", "a/values2.yaml", "y")), arguments));
        assertNotEquals(key, RenderCache.key(RenderCache.digest(files("a/Chart.yaml", "xa/values.yaml", "a/values.yaml", "y")), arguments),
                "a path and a content do not run into each other");
        assertNotEquals(key, RenderCache.key(RenderCache.digest(files("a/Chart.yaml", "x", "a/values.yaml", "y")), List.of("shop", "shop", "v1.30", "values-prod.yaml")));
        assertNotEquals(key, RenderCache.key(RenderCache.digest(files("a/Chart.yaml", "x", "a/values.yaml", "y")), List.of("shop", "shop-prod", "v1.30", "values-prod.yaml", "a=1")));
        assertNotEquals(RenderCache.key(RenderCache.digest(files()), List.of("ab", "c")), RenderCache.key(RenderCache.digest(files()), List.of("a", "bc")));
    }

    @Test
    void theLeastRecentlyUsedGoFirstAndNoRenderTakesMostOfIt() {
        RenderCache.enable(100);
        RenderCache cache = RenderCache.get();
        cache.keep("a", "x".repeat(20));
        cache.keep("b", "x".repeat(20));
        cache.keep("c", "x".repeat(20));
        cache.find("a");
        cache.keep("d", "x".repeat(25));
        cache.keep("e", "x".repeat(20));
        assertNull(cache.find("b"), "the least recently used");
        assertEquals(20, cache.find("a").length());
        assertEquals(25, cache.find("d").length());
        cache.keep("f", "x".repeat(26));
        assertNull(cache.find("f"), "more than a quarter of the whole");
    }

    @Test
    void offUnlessEnabled() {
        assertNull(RenderCache.get());
        HelmEngine.keepRenders(1000);
        assertEquals(RenderCache.class, RenderCache.get().getClass());
    }
}
