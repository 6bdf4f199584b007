package dev.castle.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the synthetic system of the benchmark: N services, each with an image, one http port,
 * three env values and up to three dependencies on services declared before it (a deterministic
 * spread, so every run measures the same system). Usage: SyntheticSystem N FILE.
 */
public final class SyntheticSystem {
    private SyntheticSystem() {
    }

    public static String descriptor(int services) {
        StringBuilder out = new StringBuilder();
        out.append("apiVersion: castle/v1alpha1\nkind: System\nmetadata:\n  name: synthetic\n  version: 1.0.0\nservices:\n");
        for (int i = 0; i < services; i++) {
            out.append("  svc-").append(i).append(":\n");
            out.append("    image: registry.example.com/synthetic/svc-").append(i).append(":1.").append(i % 10).append(".0\n");
            out.append("    ports: {http: 8080}\n");
            out.append("    env: {LOG_LEVEL: info, FEATURE_FLAGS: \"a,b\", WORKERS: \"").append(1 + i % 8).append("\"}\n");
            int dependencies = Math.min(i, i % 4);
            if (dependencies > 0) {
                out.append("    dependsOn: [");
                for (int d = 0; d < dependencies; d++) {
                    out.append(d == 0 ? "" : ", ").append("svc-").append((i * 7 + d * 13) % i);
                }
                out.append("]\n");
            }
        }
        return out.toString();
    }

    public static void main(String[] args) throws IOException {
        Files.writeString(Path.of(args[1]), descriptor(Integer.parseInt(args[0])), StandardCharsets.UTF_8);
    }
}
