package dev.castle.kustomize;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import dev.castle.cli.Pipeline;

/** The documents of a generation's Kustomize base: what Helm's engine (in-process, no Helm binary) renders from the charts. */
public final class RenderedBase {
    private RenderedBase() {
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> documents(Pipeline.Result result) {
        List<Map<String, Object>> docs = new ArrayList<>();
        result.files().forEach((path, bytes) -> {
            if (path.startsWith("kustomize/") && path.contains("/base/") && path.endsWith(".yaml") && !path.endsWith("kustomization.yaml")) {
                for (Object doc : new Yaml(new LoaderOptions()).loadAll(new String(bytes, StandardCharsets.UTF_8))) {
                    if (doc instanceof Map<?, ?> m) {
                        docs.add((Map<String, Object>) m);
                    }
                }
            }
        });
        return docs;
    }
}
