package dev.castle.publish;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code Chart.lock} as Helm holds it (its {@code chart.Lock}): the resolved version of every
 * dependency, a digest of the dependencies as Chart.yaml declares them and as they were resolved
 * (Helm's {@code HashReq}), and when it was generated.
 */
record ChartLock(OffsetDateTime generated, String digest, List<HelmMetadata.Dependency> dependencies) {
    ChartLock {
        dependencies = List.copyOf(dependencies);
    }

    static ChartLock parse(String yaml, String where) throws PublishException {
        Map<String, Object> map = GoYamlReader.readMap(yaml, where);
        String generatedText = HelmMetadata.string(map, "generated", where);
        OffsetDateTime generated;
        try {
            generated = generatedText.isEmpty() ? Instant.EPOCH.atOffset(ZoneOffset.UTC) : OffsetDateTime.parse(generatedText);
        } catch (DateTimeParseException e) {
            throw new PublishException(where + ": generated \"" + generatedText + "\" is not an RFC 3339 time");
        }
        List<HelmMetadata.Dependency> deps = new ArrayList<>();
        Object raw = map.get("dependencies");
        if (raw instanceof List<?> list) {
            for (Object d : list) {
                deps.add(HelmMetadata.Dependency.from(d, where));
            }
        } else if (raw != null) {
            throw new PublishException(where + ": dependencies must be a list");
        }
        return new ChartLock(generated, HelmMetadata.string(map, "digest", where), deps);
    }

    /**
     * The lock {@code helm dependency build} writes for these declared dependencies resolved to
     * these versions: each dependency's name, repository and resolved version, in declaration order.
     */
    static ChartLock resolved(List<HelmMetadata.Dependency> declared, List<String> versions, OffsetDateTime generated) {
        List<HelmMetadata.Dependency> locked = new ArrayList<>();
        for (int i = 0; i < declared.size(); i++) {
            HelmMetadata.Dependency d = declared.get(i);
            locked.add(HelmMetadata.Dependency.locked(d.name(), d.repository(), versions.get(i)));
        }
        return new ChartLock(generated, hashReq(declared, locked), locked);
    }

    /** Helm's HashReq: sha256 of the JSON of the declared and the locked dependencies. */
    static String hashReq(List<HelmMetadata.Dependency> declared, List<HelmMetadata.Dependency> locked) {
        String json = GoJson.marshal(List.of(declared.stream().map(HelmMetadata.Dependency::tree).toList(),
                locked.stream().map(HelmMetadata.Dependency::tree).toList()));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the lock was made for exactly these declared dependencies. */
    boolean inSyncWith(List<HelmMetadata.Dependency> declared) {
        return digest.equals(hashReq(declared, dependencies));
    }

    /** Chart.lock as Helm writes it. */
    String toYaml() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("generated", rfc3339Nano(generated));
        m.put("digest", digest);
        m.put("dependencies", dependencies.stream().map(HelmMetadata.Dependency::tree).toList());
        return GoYamlWriter.marshal(m);
    }

    /** Go's time.RFC3339Nano: fraction without trailing zeros, Z for a zero offset. */
    static String rfc3339Nano(OffsetDateTime time) {
        StringBuilder out = new StringBuilder(String.format(java.util.Locale.ROOT, "%04d-%02d-%02dT%02d:%02d:%02d",
                time.getYear(), time.getMonthValue(), time.getDayOfMonth(), time.getHour(), time.getMinute(), time.getSecond()));
        if (time.getNano() != 0) {
            String nanos = String.format(java.util.Locale.ROOT, "%09d", time.getNano()).replaceAll("0+$", "");
            out.append('.').append(nanos);
        }
        int offset = time.getOffset().getTotalSeconds();
        if (offset == 0) {
            out.append('Z');
        } else {
            int abs = Math.abs(offset) / 60;
            out.append(offset < 0 ? '-' : '+').append(String.format(java.util.Locale.ROOT, "%02d:%02d", abs / 60, abs % 60));
        }
        return out.toString();
    }
}
