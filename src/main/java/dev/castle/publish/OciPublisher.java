package dev.castle.publish;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Pushes a chart archive to an OCI registry as {@code helm push} does: the chart's metadata as the
 * config blob ({@value #CONFIG_MEDIA_TYPE}), the archive as the one layer
 * ({@value #CHART_MEDIA_TYPE}), and an OCI image manifest tagged with the chart version, annotated
 * with the chart's title, version, description, home, first source, maintainers and creation time
 * plus the chart's own annotations.
 */
public final class OciPublisher {
    public static final String CONFIG_MEDIA_TYPE = "application/vnd.cncf.helm.config.v1+json";
    public static final String CHART_MEDIA_TYPE = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";

    /** What was pushed: {@code oci://...:tag} and the manifest digest. */
    public record Result(String reference, String chartUrl, String tag, String manifestDigest, boolean replaced) {
    }

    private OciPublisher() {
    }

    /**
     * Publishes the chart to {@code target}; refuses a tag that exists unless {@code force}.
     *
     * @param created the creation time annotation (RFC 3339), as helm push takes the archive's modification time
     */
    public static Result publish(ChartPackager.PackagedChart chart, OciReference target, boolean force, boolean plainHttp,
            Optional<RegistryCredentials> credentials, String created) throws PublishException {
        HelmMetadata metadata = chart.metadata();
        String repository = target.repository(metadata.name());
        String tag = OciReference.tag(metadata.version());
        RegistryClient client = new RegistryClient(target.registry(), plainHttp, credentials);
        boolean exists = client.manifestExists(repository, tag);
        if (exists && !force) {
            throw new PublishException(target.chartUrl(metadata.name()) + ":" + tag + " already exists; publish another version"
                    + " (--version), or replace it with --force");
        }
        byte[] config = metadata.toConfigJson().getBytes(StandardCharsets.UTF_8);
        byte[] archive = chart.bytes();
        String configDigest = "sha256:" + ChartPackager.sha256(config);
        String layerDigest = "sha256:" + chart.sha256();
        client.pushBlob(repository, config, configDigest);
        client.pushBlob(repository, archive, layerDigest);
        byte[] manifest = manifest(metadata, configDigest, config.length, layerDigest, archive.length, created)
                .getBytes(StandardCharsets.UTF_8);
        String digest = client.putManifest(repository, tag, manifest);
        return new Result(target.chartUrl(metadata.name()) + ":" + tag, target.chartUrl(metadata.name()), tag, digest, exists);
    }

    static String manifest(HelmMetadata metadata, String configDigest, long configSize, String layerDigest, long layerSize,
            String created) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", 2L);
        m.put("config", descriptor(CONFIG_MEDIA_TYPE, configDigest, configSize));
        m.put("layers", List.of(descriptor(CHART_MEDIA_TYPE, layerDigest, layerSize)));
        m.put("annotations", annotations(metadata, created));
        return GoJson.marshal(m);
    }

    private static Map<String, Object> descriptor(String mediaType, String digest, long size) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", mediaType);
        d.put("digest", digest);
        d.put("size", size);
        return d;
    }

    /** Helm's generateOCIAnnotations. */
    static Map<String, Object> annotations(HelmMetadata metadata, String created) {
        Map<String, Object> a = new TreeMap<>(GoJson.MAP_ORDER);
        put(a, "org.opencontainers.image.description", metadata.description());
        put(a, "org.opencontainers.image.title", metadata.name());
        put(a, "org.opencontainers.image.version", metadata.version());
        put(a, "org.opencontainers.image.url", metadata.home());
        put(a, "org.opencontainers.image.created", created);
        if (!metadata.sources().isEmpty()) {
            put(a, "org.opencontainers.image.source", metadata.sources().get(0));
        }
        if (!metadata.maintainers().isEmpty()) {
            StringBuilder authors = new StringBuilder();
            List<HelmMetadata.Maintainer> maintainers = metadata.maintainers();
            for (int i = 0; i < maintainers.size(); i++) {
                HelmMetadata.Maintainer m = maintainers.get(i);
                authors.append(m.name());
                if (!m.email().isEmpty()) {
                    authors.append(" (").append(m.email()).append(')');
                }
                if (i < maintainers.size() - 1) {
                    authors.append(", ");
                }
            }
            put(a, "org.opencontainers.image.authors", authors.toString());
        }
        metadata.annotations().forEach((k, v) -> {
            if (!k.equals("org.opencontainers.image.version") && !k.equals("org.opencontainers.image.title")) {
                a.put(k, v);
            }
        });
        return a;
    }

    private static void put(Map<String, Object> m, String key, String value) {
        if (!value.isEmpty()) {
            m.put(key, value);
        }
    }
}
