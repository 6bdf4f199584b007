package dev.castle.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.castle.cli.Pipeline;

/**
 * Measures the whole in-memory pipeline (load, validate, bind, plan, render) on each example in a
 * warm JVM: not a test, a benchmark run by {@code scripts/benchmark.sh}. Prints the median and
 * the fastest of the measured runs after warm-up.
 */
public final class GenerateBenchmark {
    private GenerateBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int warmup = 20;
        int runs = 50;
        List<Path> descriptors = new ArrayList<>();
        try (var examples = Files.list(Path.of("examples"))) {
            examples.map(e -> e.resolve("castle.yaml")).filter(Files::isRegularFile).sorted().forEach(descriptors::add);
        }
        for (Path descriptor : descriptors) {
            Pipeline.Result result = null;
            for (int i = 0; i < warmup; i++) {
                result = Pipeline.generate(descriptor, Optional.empty());
            }
            long[] times = new long[runs];
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                result = Pipeline.generate(descriptor, Optional.empty());
                times[i] = System.nanoTime() - start;
            }
            java.util.Arrays.sort(times);
            long bytes = result.files().values().stream().mapToLong(b -> b.length).sum();
            System.out.printf("%-40s %3d components %4d files %8d bytes  median %6.1f ms  min %6.1f ms%n", descriptor,
                    result.model().services().size() + result.model().infrastructure().size(), result.files().size(), bytes,
                    times[runs / 2] / 1e6, times[0] / 1e6);
        }
    }
}
