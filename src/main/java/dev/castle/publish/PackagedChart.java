package dev.castle.publish;

import java.util.Map;
import java.util.Optional;

/** A chart archive ready to publish, its provenance when signed, and its metadata as {@code helm show chart} prints it and as maps. */
public record PackagedChart(String name, String version, byte[] archive, Optional<byte[]> provenance, String metadataYaml,
        Map<String, Object> metadata) {

    /** {@code <name>-<version>.tgz}, the file name Helm gives the archive. */
    public String fileName() {
        return name + "-" + version + ".tgz";
    }

    /** The SHA-256 of the archive in hex: the digest of index.yaml and of the OCI layer. */
    public String sha256() {
        return ChartArchive.sha256(archive);
    }
}
