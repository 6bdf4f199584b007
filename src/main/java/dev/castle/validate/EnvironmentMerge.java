package dev.castle.validate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.castle.load.Node;
import dev.castle.load.Position;

/**
 * Applies the overrides of one environment to the descriptor tree: {@code all} then
 * {@code services.<name>} over every service, {@code infrastructure.<name>} over components.
 * Maps merge key by key, anything else is replaced; an override node keeps its own position, so a
 * problem it causes is reported where it is written.
 */
public final class EnvironmentMerge {
    /** Keys of an embedded component that an external one does not have. */
    private static final Set<String> EMBEDDED_ONLY = Set.of("storage", "version", "image", "resources");

    private EnvironmentMerge() {
    }

    /** The descriptor as the environment sees it; without {@code environments}. */
    public static Node.MapNode apply(Node.MapNode doc, String environment) {
        Node.MapNode env = (Node.MapNode) ((Node.MapNode) doc.entries().get("environments").value()).entries().get(environment).value();
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
                    value = merge(m, withoutKeys(all, Set.of()));
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
                    boolean toExternal = own.entries().containsKey("mode")
                            && "external".equals(((Node.ScalarNode) own.entries().get("mode").value()).text());
                    value = merge(toExternal ? withoutKeys(m, EMBEDDED_ONLY) : m, withoutKeys(own, Set.of("enabled")));
                }
                merged.put(name, new Node.Entry(entry.keyPosition(), value));
            });
            entries.put("infrastructure", new Node.Entry(infrastructure.keyPosition(), new Node.MapNode(infraMap.position(), infraMap.pointer(), merged)));
        }
        return new Node.MapNode(doc.position(), doc.pointer(), entries);
    }

    /** Names switched off in the environment ({@code enabled: false}) among services and components. */
    public static List<String> disabled(Node.MapNode doc, String environment) {
        Node.MapNode env = (Node.MapNode) ((Node.MapNode) doc.entries().get("environments").value()).entries().get(environment).value();
        List<String> names = new ArrayList<>();
        for (String section : List.of("services", "infrastructure")) {
            Node.MapNode overrides = child(env, section);
            if (overrides == null) {
                continue;
            }
            overrides.entries().forEach((name, entry) -> {
                Node.MapNode own = (Node.MapNode) entry.value();
                Node.Entry enabled = own.entries().get("enabled");
                if (enabled != null && !Scalars.booleanValue(((Node.ScalarNode) enabled.value()).text())) {
                    names.add(name);
                }
            });
        }
        return names;
    }

    public static List<String> names(Node.MapNode doc) {
        Node.Entry environments = doc.entries().get("environments");
        return environments != null && environments.value() instanceof Node.MapNode map
                ? new ArrayList<>(new java.util.TreeSet<>(map.entries().keySet())) : List.of();
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

    private static Node mergeImage(Node base, Node override) {
        if (!(override instanceof Node.MapNode o) || o.entries().size() != 1 || !o.entries().containsKey("tag")) {
            return override;
        }
        Node.MapNode longForm = base instanceof Node.MapNode m ? m : longForm((Node.ScalarNode) base);
        Map<String, Node.Entry> entries = new LinkedHashMap<>(longForm.entries());
        entries.remove("digest");
        entries.put("tag", o.entries().get("tag"));
        return new Node.MapNode(longForm.position(), longForm.pointer(), entries);
    }

    /** registry/repository[:tag][@digest] as the long form, with the reference's position. */
    private static Node.MapNode longForm(Node.ScalarNode reference) {
        ImageParts parts = ImageParts.parse(reference.text());
        String registry = parts.registry();
        String rest = parts.repository();
        String tag = parts.tag();
        String digest = parts.digest();
        Position p = reference.position();
        String pointer = reference.pointer();
        Map<String, Node.Entry> entries = new LinkedHashMap<>();
        entries.put("registry", new Node.Entry(p, new Node.ScalarNode(p, pointer + "/registry", registry, Node.ScalarType.STRING, false)));
        entries.put("repository", new Node.Entry(p, new Node.ScalarNode(p, pointer + "/repository", rest, Node.ScalarType.STRING, false)));
        if (!tag.isEmpty()) {
            entries.put("tag", new Node.Entry(p, new Node.ScalarNode(p, pointer + "/tag", tag, Node.ScalarType.STRING, false)));
        }
        if (!digest.isEmpty()) {
            entries.put("digest", new Node.Entry(p, new Node.ScalarNode(p, pointer + "/digest", digest, Node.ScalarType.STRING, false)));
        }
        return new Node.MapNode(p, pointer, entries);
    }
}
