package dev.castle.rules;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.castle.load.Node;
import dev.castle.model.Service;
import dev.castle.model.SystemModel;

/**
 * Sidecars and init containers: distinct names beside the service's own container and castle's
 * dependency waits, pinned images, and mounts of volumes the service has.
 */
final class CompanionRules {
    static final List<Rule.OfService> SERVICE = List.of(CompanionRules::namesAreDistinct, CompanionRules::imagesArePinned,
            CompanionRules::mountsNameVolumes);

    private CompanionRules() {
    }

    private record Written(String key, Service.Companion companion) {
        String at(Service s, String relative) {
            return s.declared().at(key + "/" + Node.escapePointerToken(companion.name()) + (relative.isEmpty() ? "" : "/" + relative));
        }
    }

    private static List<Written> all(Service s) {
        return java.util.stream.Stream.concat(s.companions().sidecars().stream().map(c -> new Written("sidecars", c)),
                s.companions().initContainers().stream().map(c -> new Written("initContainers", c))).toList();
    }

    static void namesAreDistinct(Service s, SystemModel system, Findings out) {
        Set<String> seen = new HashSet<>();
        seen.add(s.name());
        for (Written w : all(s)) {
            String name = w.companion().name();
            if (name.startsWith("wait-for-")) {
                out.errorAtKey(w.at(s, ""), "container names starting with wait-for- are castle's (its dependency waits)", "another name");
            } else if (!seen.add(name)) {
                out.errorAtKey(w.at(s, ""), "'" + name + "' is already the name of a container of the pod" + (name.equals(s.name())
                        ? " (the service's own)" : ""), "a name no other container of the pod has");
            }
        }
    }

    static void imagesArePinned(Service s, SystemModel system, Findings out) {
        for (Written w : all(s)) {
            ImageRules.pinned(w.companion().image(), w.at(s, "image"), out);
        }
    }

    static void mountsNameVolumes(Service s, SystemModel system, Findings out) {
        Set<String> volumes = new java.util.TreeSet<>();
        s.volumes().forEach(v -> volumes.add(v.name()));
        volumes.add("tmp");
        for (Written w : all(s)) {
            for (Service.Mount m : w.companion().mounts()) {
                if (!volumes.contains(m.volume())) {
                    out.errorAtKey(w.at(s, "mounts/" + Node.escapePointerToken(m.volume())), "'" + m.volume() + "' is not a volume of the service",
                            "one of: " + String.join(", ", volumes), dev.castle.load.Suggestions.closest(m.volume(), volumes));
                }
            }
        }
    }
}
