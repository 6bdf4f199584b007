package dev.castle.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Several versions of a service behind its one Service ({@code services.<name>.versions}, Bookinfo's
 * reviews v1, v2 and v3): a Deployment {@code <fullname>-<version>} each, pods labelled
 * {@code version: <version>}, and per-version routing inside the mesh: requests with a version's
 * headers go to it, the rest is split by weight. {@code routing} says who routes: an Istio
 * DestinationRule and VirtualService, or a Gateway API HTTPRoute (GAMMA) whose backends are a
 * Service {@code <fullname>-<version>} each.
 */
public record Versions(Routing routing, List<Version> versions) {
    public Versions {
        versions = List.copyOf(versions);
    }

    public enum Routing implements Spelled {
        GATEWAY_API("gateway-api"), ISTIO("istio");

        private final String value;

        Routing(String value) {
            this.value = value;
        }

        @Override
        public String value() {
            return value;
        }
    }

    /**
     * One version: its image, the variables that differ, its pods, its share of requests, the headers
     * that choose it, and the service's dependencies it calls ({@code calls}: empty when it calls them
     * all, as written without {@code dependsOn}; Bookinfo's reviews v1 calls none of them).
     */
    public record Version(String name, Service.Image image, Map<String, String> env, int replicas, int weight, Map<String, String> headers,
                          Optional<List<String>> calls) {
        public Version {
            env = Map.copyOf(env);
            headers = java.util.Collections.unmodifiableMap(new TreeMap<>(headers));
            calls = calls.map(List::copyOf);
        }

        /** Whether this version calls the service's dependency {@code name}. */
        public boolean calls(String name) {
            return calls.map(c -> c.contains(name)).orElse(true);
        }
    }

    /** The versions that call the service's dependency {@code name}, when some do not (empty: every version calls it). */
    public Optional<List<String>> callersOf(String name) {
        if (versions.stream().allMatch(v -> v.calls(name))) {
            return Optional.empty();
        }
        return Optional.of(versions.stream().filter(v -> v.calls(name)).map(Version::name).toList());
    }

    public static final Routing DEFAULT_ROUTING = Routing.GATEWAY_API;

    /**
     * The versions in the order written; each defaults to the service's image and replicas. Weights
     * not written share what the written ones leave, equally, the remainder to the first of them.
     */
    static Optional<Versions> bind(Fields s, Service.Image stable, int replicas) {
        if (!s.has("versions")) {
            return Optional.empty();
        }
        Map<String, Fields> entries = new LinkedHashMap<>();
        s.entries("versions").forEach((name, node) -> entries.put(name, new Fields(node)));
        int written = entries.values().stream().filter(v -> v.has("weight")).mapToInt(v -> v.integer("weight", 0)).sum();
        List<String> unweighted = entries.entrySet().stream().filter(e -> !e.getValue().has("weight")).map(Map.Entry::getKey).toList();
        int left = Math.max(0, 100 - written);
        List<Version> versions = new ArrayList<>();
        entries.forEach((name, v) -> {
            int weight = v.has("weight") ? v.integer("weight", 0)
                    : left / unweighted.size() + (unweighted.get(0).equals(name) ? left % unweighted.size() : 0);
            versions.add(new Version(name, CanaryBinder.image(v, stable), v.stringMap("env"), v.integer("replicas", replicas), weight,
                    v.stringMap("headers"), v.has("dependsOn") ? Optional.of(v.strings("dependsOn")) : Optional.empty()));
        });
        return Optional.of(new Versions(s.enumValue("versionRouting", Routing.class, DEFAULT_ROUTING), versions));
    }
}
