package dev.castle.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the user wrote in one entry of the descriptor, beside the values the binder resolved: the
 * entry's JSON pointer, the relative pointers of every key written in it ({@code replicas},
 * {@code service/type}, {@code probes/liveness/http/port}) with the text of each scalar, and the
 * dependencies as declared. Rules ask it whether a value was written or defaulted, and where.
 */
public record Declared(String pointer, Set<String> keys, Map<String, String> scalars, List<DependencyRef> dependsOn) {
    public Declared {
        keys = Set.copyOf(keys);
        scalars = Map.copyOf(scalars);
        dependsOn = List.copyOf(dependsOn);
    }

    public static Declared none(String pointer) {
        return new Declared(pointer, Set.of(), Map.of(), List.of());
    }

    /** Whether the user wrote this key (a relative pointer such as {@code service/type}). */
    public boolean has(String relative) {
        return keys.contains(relative);
    }

    /** The text of a scalar the user wrote at this relative pointer. */
    public Optional<String> text(String relative) {
        return Optional.ofNullable(scalars.get(relative));
    }

    /** The JSON pointer of a key of this entry (written or not). */
    public String at(String relative) {
        return relative.isEmpty() ? pointer : pointer + "/" + relative;
    }

    /**
     * One {@code dependsOn} entry as written: the name, the optional port reference, start-up flag,
     * timeout, variable names and the formats of their values (by kind: host, port, url...), the
     * Kafka topics it uses, and where it is (the entry, and its name).
     */
    public record DependencyRef(String name, String pointer, String namePointer, Optional<Object> port,
                                Optional<Boolean> startup, Optional<Integer> timeoutSeconds, Map<String, String> env,
                                Map<String, String> formats, List<String> topics) {
        public DependencyRef {
            topics = List.copyOf(topics);
        }
    }
}
