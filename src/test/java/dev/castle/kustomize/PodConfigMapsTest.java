package dev.castle.kustomize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import dev.castle.cli.Pipeline;
import dev.castle.testing.Tools;

/**
 * Given embedded servers with their own configuration files (descriptors/valid/server-settings.yaml)
 * and services with config folders and shared config (the social network), when castle renders the
 * Kustomize base with Helm's engine (in-process, no Helm binary), then every ConfigMap a pod mounts is
 * one the release makes, and no mount lies inside a ConfigMap folder mounted in the same container
 * (a server's file once also came with its chart's ConfigMap as a folder over the file's folder: a
 * ConfigMap that does not exist, or the engine's own, over the file).
 */
class PodConfigMapsTest {
    @Test
    void podsMountOnlyConfigMapsTheReleaseMakesAndNothingInsideThem() throws Exception {
        for (String descriptor : List.of("src/test/resources/descriptors/valid/server-settings.yaml",
                "src/test/resources/systems/social-network/castle.yaml", "src/test/resources/systems/podinfo/castle.yaml")) {
            Pipeline.Result result = Pipeline.generate(Pipeline.model(Tools.projectDir().resolve(descriptor)), Optional.empty(), true);
            List<Map<String, Object>> docs = RenderedBase.documents(result);
            TreeSet<String> made = new TreeSet<>();
            docs.stream().filter(d -> "ConfigMap".equals(d.get("kind"))).forEach(d -> made.add((String) map(d.get("metadata")).get("name")));
            List<String> problems = new ArrayList<>();
            for (Map<String, Object> doc : docs) {
                if (!List.of("Deployment", "StatefulSet").contains(doc.get("kind"))) {
                    continue;
                }
                String workload = doc.get("kind") + " " + map(doc.get("metadata")).get("name");
                Map<String, Object> pod = map(map(map(doc.get("spec")).get("template")).get("spec"));
                TreeSet<String> configMapVolumes = new TreeSet<>();
                for (Object v : list(pod.get("volumes"))) {
                    Object configMap = map(v).get("configMap");
                    if (configMap != null) {
                        configMapVolumes.add((String) map(v).get("name"));
                        if (!made.contains((String) map(configMap).get("name"))) {
                            problems.add(workload + " mounts the ConfigMap " + map(configMap).get("name") + ", which the release does not make");
                        }
                    }
                }
                for (Object c : list(pod.get("containers"))) {
                    List<Map<String, Object>> mounts = list(map(c).get("volumeMounts")).stream().map(PodConfigMapsTest::map).toList();
                    for (Map<String, Object> folder : mounts) {
                        if (configMapVolumes.contains((String) folder.get("name")) && folder.get("subPath") == null) {
                            for (Map<String, Object> inner : mounts) {
                                if (((String) inner.get("mountPath")).startsWith(folder.get("mountPath") + "/")) {
                                    problems.add(workload + " mounts " + inner.get("mountPath") + " inside the ConfigMap folder " + folder.get("mountPath"));
                                }
                            }
                        }
                    }
                }
            }
            assertEquals(List.of(), problems, descriptor);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? cast(m) : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return o instanceof List<?> l ? (List<Object>) l : List.of();
    }
}
