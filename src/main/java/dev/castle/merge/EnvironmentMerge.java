package dev.castle.merge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.castle.load.Node;
import dev.castle.load.Position;

/**
 * The stage between loading and binding: applies the overrides of each environment to the
 * descriptor tree: {@code all} then {@code services.<name>} over every service,
 * {@code infrastructure.<name>} over components (a component switched to another mode leaves behind
 * the base's keys that mode does not have). Maps merge key by key, anything else is replaced; an
 * override node keeps its own position and pointer, so a problem it causes is reported where it is
 * written. Malformed overrides are left out (the schema check reports them).
 */
public final class EnvironmentMerge {
    /** Keys of an embedded component that an external one does not have. */
    private static final Set<String> EMBEDDED_ONLY = Set.of("storage", "version", "image", "resources");
    /** Keys of the base a component leaves behind when an environment switches it to a mode, by mode. */
    private static final Map<String, Set<String>> LEFT_BEHIND = Map.of(
            "external", union(EMBEDDED_ONLY, Set.of("operator")),
            "claim", union(EMBEDDED_ONLY, Set.of("operator")),
            "operator", Set.of("image"));

    /** One environment: its overrides as written, and the descriptor as the environment sees it. */
    public record MergedEnvironment(String name, Node.MapNode overrides, Node.MapNode descriptor) {
    }

    private EnvironmentMerge() {
    }

    /** Every environment of the descriptor, sorted by name. */
    public static List<MergedEnvironment> environments(Node root) {
        List<MergedEnvironment> environments = new ArrayList<>();
        if (!(root instanceof Node.MapNode doc)) {
            return environments;
        }
        Node.MapNode all = child(doc, "environments");
        if (all == null) {
            return environments;
        }
        for (String name : new TreeSet<>(all.entries().keySet())) {
            Node.MapNode env = child(all, name);
            if (env != null) {
                environments.add(new MergedEnvironment(name, env, apply(doc, env)));
            }
        }
        return environments;
    }

    /** The descriptor as the environment sees it; without {@code environments}. */
    static Node.MapNode apply(Node.MapNode doc, Node.MapNode env) {
        Map<String, Node.Entry> entries = new LinkedHashMap<>(doc.entries());
        entries.remove("environments");
        Node.MapNode all = child(env, "all");
        Node.MapNode serviceOverrides = child(env, "services");
        Node.Entry services = entries.get("services");
        if (services != null && services.value() instanceof Node.MapNode serviceMap) {
            Map<String, Node.Entry> merged = new LinkedHashMap<>();
            serviceMap.entries().forEach((name, entry) -> {
                Node value = entry.value();
                if (all != null && value instanceof Node.MapNode m) {
                    value = merge(m, all);
                }
                Node.MapNode own = child(serviceOverrides, name);
                if (own != null && value instanceof Node.MapNode m) {
                    value = merge(m, withoutKeys(own, Set.of("enabled")));
                }
                merged.put(name, new Node.Entry(entry.keyPosition(), value));
            });
            entries.put("services", new Node.Entry(services.keyPosition(), new Node.MapNode(serviceMap.position(), serviceMap.pointer(), merged)));
        }
        Node.MapNode infraOverrides = child(env, "infrastructure");
        Node.Entry infrastructure = entries.get("infrastructure");
        if (infrastructure != null && infrastructure.value() instanceof Node.MapNode infraMap && infraOverrides != null) {
            Map<String, Node.Entry> merged = new LinkedHashMap<>();
            infraMap.entries().forEach((name, entry) -> {
                Node.MapNode own = child(infraOverrides, name);
                Node value = entry.value();
                if (own != null && value instanceof Node.MapNode m) {
                    Set<String> leftBehind = own.get("mode").filter(n -> n instanceof Node.ScalarNode).map(n -> ((Node.ScalarNode) n).text())
                            .map(mode -> LEFT_BEHIND.getOrDefault(mode, Set.of())).orElse(Set.of());
                    value = merge(withoutKeys(m, leftBehind), withoutKeys(own, Set.of("enabled")));
                }
                merged.put(name, new Node.Entry(entry.keyPosition(), value));
            });
            entries.put("infrastructure", new Node.Entry(infrastructure.keyPosition(), new Node.MapNode(infraMap.position(), infraMap.pointer(), merged)));
        }
        mergeTopLevel(entries, env);
        return new Node.MapNode(doc.position(), doc.pointer(), entries);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /**
     * Where the environment's Secrets come from: its {@code secretStore} replaces the base's whole (a
     * store is one provider), its {@code secrets} and {@code credentials} merge into the base's.
     */
    private static void mergeTopLevel(Map<String, Node.Entry> entries, Node.MapNode env) {
        env.entries().forEach((key, override) -> {
            Node.Entry base = entries.get(key);
            switch (key) {
                case "secretStore" -> entries.put(key, override);
                case "secrets", "credentials" -> entries.put(key, base == null ? override
                        : new Node.Entry(base.keyPosition(), merge(base.value(), override.value())));
                default -> {
                }
            }
        });
    }

    static Node.MapNode child(Node.MapNode parent, String key) {
        if (parent == null) {
            return null;
        }
        Node.Entry entry = parent.entries().get(key);
        return entry != null && entry.value() instanceof Node.MapNode m ? m : null;
    }

    private static Node.MapNode withoutKeys(Node.MapNode map, Set<String> keys) {
        Map<String, Node.Entry> entries = new LinkedHashMap<>(map.entries());
        keys.forEach(entries::remove);
        return new Node.MapNode(map.position(), map.pointer(), entries);
    }

    /** Deep merge: maps key by key; an image override {tag: x} over an image reference string keeps the rest of it. */
    static Node merge(Node base, Node override) {
        if (base instanceof Node.MapNode b && override instanceof Node.MapNode o) {
            Map<String, Node.Entry> entries = new LinkedHashMap<>(b.entries());
            o.entries().forEach((key, entry) -> {
                Node.Entry existing = entries.get(key);
                Node value = entry.value();
                if (key.equals("image") && existing != null) {
                    value = mergeImage(existing.value(), value);
                } else if (existing != null) {
                    value = merge(existing.value(), value);
                }
                entries.put(key, new Node.Entry(existing != null ? existing.keyPosition() : entry.keyPosition(), value));
            });
            return new Node.MapNode(b.position(), b.pointer(), entries);
        }
        return override;
    }

    /** {tag: x} over an image keeps its registry and repository (and drops its digest). */
    private static Node mergeImage(Node base, Node override) {
        if (!(override instanceof Node.MapNode o) || o.entries().size() != 1 || !o.entries().containsKey("tag")) {
            return override;
        }
        if (base instanceof Node.ScalarNode reference) {
            return withTag(reference, o.entries().get("tag"));
        }
        if (!(base instanceof Node.MapNode longForm)) {
            return override;
        }
        Map<String, Node.Entry> entries = new LinkedHashMap<>(longForm.entries());
        entries.remove("digest");
        entries.put("tag", o.entries().get("tag"));
        return new Node.MapNode(longForm.position(), longForm.pointer(), entries);
    }

    /**
     * The reference with another tag, still in the short form (so that the image is parsed in one
     * place, the binder): {@code registry/repository@digest} becomes {@code registry/repository:tag}.
     */
    private static Node withTag(Node.ScalarNode reference, Node.Entry tag) {
        if (!(tag.value() instanceof Node.ScalarNode t) || t.isNull()) {
            return reference;
        }
        String text = reference.text();
        int at = text.indexOf('@');
        String rest = at >= 0 ? text.substring(0, at) : text;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            rest = rest.substring(0, colon);
        }
        Position p = t.position();
        return new Node.ScalarNode(p, t.pointer(), rest + ":" + t.text(), Node.ScalarType.STRING, false);
    }
}
