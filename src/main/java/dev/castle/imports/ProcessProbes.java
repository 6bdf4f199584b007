package dev.castle.imports;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Probes for an imported workload with no port and no health check: they only check that the
 * process runs (as examples/boutique's load generator does), so that the pod passes the checks
 * every castle pod passes; the finding asks for a real check.
 */
final class ProcessProbes {
    static final String NOTE = "castle gives it probes that only check that its process runs (sh -c 'test -e /proc/1', so the image"
            + " needs a shell): replace them with a real health check";

    private ProcessProbes() {
    }

    static Map<String, Object> probes() {
        Map<String, Object> probes = new LinkedHashMap<>();
        probes.put("liveness", Map.of("exec", List.of("sh", "-c", "test -e /proc/1")));
        Map<String, Object> readiness = new LinkedHashMap<>();
        readiness.put("exec", List.of("sh", "-c", "test -e /proc/1/status"));
        readiness.put("periodSeconds", 30);
        probes.put("readiness", readiness);
        return probes;
    }
}
