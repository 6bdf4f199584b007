package dev.castle.model;

import java.util.List;
import java.util.Set;

/**
 * What the user wrote in one entry of the descriptor, beside the values the binder resolved: the
 * entry's JSON pointer, the relative pointers of every key written in it ({@code replicas},
 * {@code service/type}, {@code probes/liveness/http/port}), and the dependencies as declared. Rules
 * ask it whether a value was written or defaulted, and where.
 */
public record Declared(String pointer, Set<String> keys, List<DependencyRef> dependsOn) {
    public Declared {
        keys = Set.copyOf(keys);
        dependsOn = List.copyOf(dependsOn);
    }

    public static Declared none(String pointer) {
        return new Declared(pointer, Set.of(), List.of());
    }

    /** Whether the user wrote this key (a relative pointer such as {@code service/type}). */
    public boolean has(String relative) {
        return keys.contains(relative);
    }

    /** The JSON pointer of a key of this entry (written or not). */
    public String at(String relative) {
        return relative.isEmpty() ? pointer : pointer + "/" + relative;
    }

    /**
     * One {@code dependsOn} entry as written: the name, the optional port reference, start-up flag
     * and variable names, and where it is.
     */
    public record DependencyRef(String name, String pointer, String namePointer, java.util.Optional<Object> port,
                                java.util.Optional<Boolean> startup, java.util.Optional<Integer> timeoutSeconds,
                                java.util.Map<String, String> env) {
    }
}
