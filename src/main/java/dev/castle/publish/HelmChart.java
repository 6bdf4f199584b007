package dev.castle.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A chart as Helm's loader holds it: metadata, lock, values, schema, templates, other files and
 * subcharts, the files' bytes as read (a UTF-8 byte order mark removed, as Helm removes it).
 *
 * @param source where it was read from, for messages
 */
record HelmChart(String source, HelmMetadata metadata, Optional<ChartLock> lock, Optional<byte[]> values,
        Optional<byte[]> schema, List<TarGz.Entry> templates, List<TarGz.Entry> files, List<HelmChart> dependencies) {

    HelmChart {
        templates = List.copyOf(templates);
        files = List.copyOf(files);
        dependencies = List.copyOf(dependencies);
    }

    String name() {
        return metadata.name();
    }

    HelmChart withMetadata(HelmMetadata newMetadata) {
        return new HelmChart(source, newMetadata, lock, values, schema, templates, files, dependencies);
    }

    HelmChart withLock(ChartLock newLock) {
        return new HelmChart(source, metadata, Optional.of(newLock), values, schema, templates, files, dependencies);
    }

    /**
     * The files {@code helm package} writes for this chart under {@code prefix}: Chart.yaml and
     * Chart.lock as Helm marshals them, values, schema, templates and files as read, then every
     * subchart as a folder under {@code charts/} named after the subchart.
     */
    List<TarGz.Entry> archiveEntries(String prefix) throws PublishException {
        String base = prefix + name() + "/";
        List<TarGz.Entry> out = new ArrayList<>();
        out.add(new TarGz.Entry(base + "Chart.yaml", utf8(metadata.toChartYaml())));
        if (HelmMetadata.API_V2.equals(metadata.apiVersion()) && lock.isPresent()) {
            out.add(new TarGz.Entry(base + "Chart.lock", utf8(lock.get().toYaml())));
        }
        values.ifPresent(v -> out.add(new TarGz.Entry(base + "values.yaml", v)));
        if (schema.isPresent()) {
            if (!Json.valid(schema.get())) {
                throw new PublishException(source + ": values.schema.json is not valid JSON");
            }
            out.add(new TarGz.Entry(base + "values.schema.json", schema.get()));
        }
        for (TarGz.Entry e : templates) {
            out.add(new TarGz.Entry(base + e.name(), e.data()));
        }
        for (TarGz.Entry e : files) {
            out.add(new TarGz.Entry(base + e.name(), e.data()));
        }
        for (HelmChart dependency : dependencies) {
            out.addAll(dependency.archiveEntries(base + "charts/"));
        }
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Whether bytes are one JSON value, as Go's json.Valid decides. */
    static final class Json {
        private Json() {
        }

        static boolean valid(byte[] bytes) {
            if (new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
                return false;
            }
            try {
                com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
                try (com.fasterxml.jackson.core.JsonParser parser = mapper.getFactory().createParser(bytes)) {
                    parser.readValueAsTree();
                    return parser.nextToken() == null;
                }
            } catch (java.io.IOException | RuntimeException e) {
                return false;
            }
        }
    }
}
