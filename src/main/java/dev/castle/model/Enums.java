package dev.castle.model;

import java.util.Arrays;
import java.util.Optional;

/** Reads a member of a closed set by its descriptor spelling. */
final class Enums {
    private Enums() {
    }

    static <E extends Enum<E>> Optional<E> parse(Class<E> type, String text) {
        return Arrays.stream(type.getEnumConstants())
                .filter(e -> (e instanceof Spelled spelled ? spelled.value() : e.name()).equals(text)).findFirst();
    }
}
