package dev.castle.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.castle.load.Node;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * Volumes: one source each, names castle does not use itself, distinct mount paths (as the
 * container runtime compares them: {@code /data/} is {@code /data}, {@code /etc/../tmp} is castle's
 * {@code /tmp}), subPaths inside their volume, storage that fits the workload.
 */
final class VolumeRules {
    static final List<String> SOURCES = List.of("emptyDir", "claim", "persistent");

    static final List<Rule.OfService> SERVICE = List.of(VolumeRules::volumeHasOneSource, VolumeRules::volumeNameIsNotReserved,
            VolumeRules::mountPathsAreDistinct, VolumeRules::persistentVolumeFitsWorkload, VolumeRules::subPathStaysInVolume,
            VolumeRules::configMountsNameKeys, VolumeRules::fileMountsLieOutsideKeyMounts);

    private VolumeRules() {
    }

    private static String at(Service s, String volume) {
        return "volumes/" + Node.escapePointerToken(volume);
    }

    /** The volumes the user wrote (castle adds tmp itself). */
    private static List<Service.Volume> written(Service s) {
        return s.volumes().stream().filter(v -> s.declared().has(at(s, v.name()))).toList();
    }

    static void volumeHasOneSource(Service s, SystemModel system, Findings out) {
        for (Service.Volume volume : written(s)) {
            List<String> sources = SOURCES.stream().filter(source -> s.declared().has(at(s, volume.name()) + "/" + source)).toList();
            if (sources.isEmpty()) {
                out.error(s.declared().at(at(s, volume.name())), "volume '" + volume.name() + "' has no source",
                        "exactly one of emptyDir: {}, claim: EXISTING_PVC, persistent: {size: 1Gi}");
            }
            if (sources.size() > 1) {
                out.error(s.declared().at(at(s, volume.name())), "volume '" + volume.name() + "' has " + String.join(" and ", sources),
                        "exactly one of emptyDir, claim, persistent");
            }
        }
    }

    static void volumeNameIsNotReserved(Service s, SystemModel system, Findings out) {
        for (Service.Volume volume : written(s)) {
            String name = volume.name();
            if (name.equals("tmp") || name.startsWith("config") || name.startsWith("secret-")) {
                out.errorAtKey(s.declared().at(at(s, name)), "volume name '" + name + "' is reserved",
                        "another name; castle mounts tmp, config and secret-* itself");
            }
        }
    }

    /**
     * A mount of a ConfigMap's or Secret's keys: a folder of them mounted read-only, or a single key
     * mounted as one file (subPath); where, what it is, and where the descriptor writes it.
     */
    private record KeyMount(String path, String what, String pointer) {
    }

    private static String pointer(String... tokens) {
        return String.join("/", java.util.Arrays.stream(tokens).map(Node::escapePointerToken).toList());
    }

    /** The folders the pods mount read-only with every key of a ConfigMap or Secret; the config's folder first. */
    private static List<KeyMount> readOnlyFolders(Service s) {
        List<KeyMount> folders = new ArrayList<>();
        s.configuration().config().flatMap(Service.Config::mountPath).ifPresent(p -> folders.add(new KeyMount(p, "the config folder", "config/mountPath")));
        for (Service.SecretRef secret : s.configuration().secrets()) {
            secret.mountPath().ifPresent(p -> folders.add(new KeyMount(p, "the folder of the secret " + secret.name(),
                    pointer("secrets", secret.name(), "mountPath"))));
        }
        for (Service.SharedConfigUse use : s.configuration().shared()) {
            use.mountPath().ifPresent(p -> folders.add(new KeyMount(p, "the folder of the shared config " + use.name(),
                    pointer("sharedConfig", use.name(), "mountPath"))));
        }
        return folders;
    }

    /** The single keys the pods mount as one file each: config.mounts, secrets.*.mounts, sharedConfig.*.mounts. */
    private static List<KeyMount> fileMounts(Service s) {
        List<KeyMount> mounts = new ArrayList<>();
        s.configuration().config().ifPresent(c -> c.mounts().forEach((key, path) -> mounts.add(new KeyMount(path, "config key " + key,
                pointer("config", "mounts", key)))));
        for (Service.SecretRef secret : s.configuration().secrets()) {
            secret.mounts().forEach((key, path) -> mounts.add(new KeyMount(path, "key " + key + " of the secret " + secret.name(),
                    pointer("secrets", secret.name(), "mounts", key))));
        }
        for (Service.SharedConfigUse use : s.configuration().shared()) {
            use.mounts().forEach((key, path) -> mounts.add(new KeyMount(path, "key " + key + " of the shared config " + use.name(),
                    pointer("sharedConfig", use.name(), "mounts", key))));
        }
        return mounts;
    }

    /**
     * castle's own mounts (config, written or defaulted; the /tmp it adds), the secret and shared
     * config mounts (folders and single keys) and the volumes all mount at distinct paths.
     */
    static void mountPathsAreDistinct(Service s, SystemModel system, Findings out) {
        Map<String, String> used = new LinkedHashMap<>();
        s.configuration().config().flatMap(Service.Config::mountPath).ifPresent(p -> used.put(Service.Volume.normalized(p), "the config"));
        s.volumes().stream().filter(v -> !s.declared().has(at(s, v.name()))).forEach(v -> used.put(Service.Volume.normalized(v.mountPath()),
                "castle's own volume " + v.name()));
        List<String[]> mounts = new ArrayList<>();
        for (Service.SecretRef secret : s.configuration().secrets()) {
            secret.mountPath().ifPresent(p -> mounts.add(new String[] {p, "secret " + secret.name(),
                    "secrets/" + Node.escapePointerToken(secret.name()) + "/mountPath"}));
        }
        for (Service.SharedConfigUse use : s.configuration().shared()) {
            use.mountPath().ifPresent(p -> mounts.add(new String[] {p, "shared config " + use.name(), pointer("sharedConfig", use.name(), "mountPath")}));
        }
        for (Service.Volume volume : written(s)) {
            mounts.add(new String[] {volume.mountPath(), "volume " + volume.name(), at(s, volume.name()) + "/mountPath"});
        }
        fileMounts(s).forEach(m -> mounts.add(new String[] {m.path(), m.what(), m.pointer()}));
        for (String[] mount : mounts) {
            String previous = used.putIfAbsent(Service.Volume.normalized(mount[0]), mount[1]);
            if (previous != null) {
                out.error(s.declared().at(mount[2]), "mount path " + mount[0] + (Service.Volume.normalized(mount[0]).equals(mount[0]) ? "" : " (that is "
                        + Service.Volume.normalized(mount[0]) + ")") + " is also used by " + previous, "a distinct folder per mount");
            }
        }
    }

    static void persistentVolumeFitsWorkload(Service s, SystemModel system, Findings out) {
        for (Service.Volume volume : written(s)) {
            if (!(volume.source() instanceof Service.Persistent persistent)) {
                continue;
            }
            String at = s.declared().at(at(s, volume.name()) + "/persistent");
            if (s.workload().isBatch()) {
                out.error(at, "a " + s.workload() + " cannot own a persistent volume", "claim: an existing claim, or emptyDir");
            }
            int replicas = s.maxReplicas();
            if (s.workload() == Service.WorkloadKind.Deployment && replicas > 1 && !persistent.shared()) {
                out.error(at, "a Deployment with " + replicas + " replicas cannot share a ReadWriteOnce volume",
                        "workload: StatefulSet (a volume per pod), accessModes: [ReadWriteMany], or replicas: 1");
            }
        }
    }

    static void subPathStaysInVolume(Service s, SystemModel system, Findings out) {
        for (Service.Volume volume : written(s)) {
            volume.subPath().filter(p -> p.startsWith("/") || List.of(p.split("/")).contains("..")).ifPresent(p ->
                    out.error(s.declared().at(at(s, volume.name()) + "/subPath"), "subPath '" + p + "' leaves the volume",
                            "a relative path inside the volume, without '..'"));
        }
    }

    /** Each of {@code config.mounts} names a key of the config. */
    static void configMountsNameKeys(Service s, SystemModel system, Findings out) {
        s.configuration().config().ifPresent(c -> c.mounts().forEach((key, path) -> {
            String at = s.declared().at("config/mounts/" + Node.escapePointerToken(key));
            java.util.Set<String> keys = c.keys();
            if (!keys.contains(key)) {
                out.errorAtKey(at, "'" + key + "' is not a key of the config", keys.isEmpty() ? "a key of config.files or config.data"
                        : "one of " + String.join(", ", keys), dev.castle.load.Suggestions.closest(key, keys));
            }
        }));
    }

    /**
     * A key mounted as one file (of the config, a Secret or a shared config) lies outside every
     * folder mounted read-only with a ConfigMap's or Secret's keys: the runtime could not make the
     * file's mount point there.
     */
    static void fileMountsLieOutsideKeyMounts(Service s, SystemModel system, Findings out) {
        List<KeyMount> folders = readOnlyFolders(s);
        for (KeyMount mount : fileMounts(s)) {
            String file = Service.Volume.normalized(mount.path()) + "/";
            folders.stream().filter(f -> file.startsWith(Service.Volume.normalized(f.path()) + "/") && !file.equals(Service.Volume.normalized(f.path()) + "/"))
                    .findFirst().ifPresent(f -> {
                String folder = Service.Volume.normalized(f.path());
                out.error(s.declared().at(mount.pointer()), mount.path() + " lies in " + f.what() + " " + folder + ", mounted read-only",
                        "a path outside " + folder + ", or another " + f.pointer().replace('/', '.').replace("~1", "/").replace("~0", "~"));
            });
        }
    }
}
