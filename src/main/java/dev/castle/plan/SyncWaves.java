package dev.castle.plan;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import dev.castle.model.Dependency;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * Argo CD sync waves from the start-up graph: what nothing waits for (every embedded component,
 * and services without start-up dependencies) is in wave 0; a service that waits at start-up comes
 * one wave after the last of what it waits for, so Argo CD brings infrastructure up, healthy, before
 * the services that wait for it. Secrets from secret managers come before, in wave -1 (their store
 * in -2), and the credentials hooks before everything. The start-up graph has no cycle (a rule).
 */
final class SyncWaves {
    static final String ANNOTATION = "argocd.argoproj.io/sync-wave";

    private SyncWaves() {
    }

    /** The wave of a service or component. */
    static int of(SystemModel system, String name) {
        return wave(system, name, new HashMap<>(), Set.of());
    }

    /** The annotations every object of the chart gets: its wave, when it is not the default 0. */
    static Map<String, Object> annotations(SystemModel system, String name) {
        int wave = of(system, name);
        return wave == 0 ? Map.of() : new java.util.TreeMap<>(Map.of(ANNOTATION, String.valueOf(wave)));
    }

    private static int wave(SystemModel system, String name, Map<String, Integer> known, Set<String> visiting) {
        Integer cached = known.get(name);
        if (cached != null) {
            return cached;
        }
        int wave = 0;
        Service service = system.service(name).orElse(null);
        if (service != null && !visiting.contains(name)) {
            Set<String> path = new java.util.HashSet<>(visiting);
            path.add(name);
            for (Dependency d : service.dependsOn()) {
                if (d.startup() && (d.kind() == Dependency.Kind.service || d.kind() == Dependency.Kind.embedded)) {
                    wave = Math.max(wave, wave(system, d.name(), known, path) + 1);
                }
            }
        }
        known.put(name, wave);
        return wave;
    }
}
