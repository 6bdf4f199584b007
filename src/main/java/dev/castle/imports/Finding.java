package dev.castle.imports;

import dev.castle.load.Position;

/**
 * Something the import could not carry over as it was: a field castle has no place for
 * ({@link Kind#unmapped}), a value it changed or made up ({@link Kind#changed}), or what the user
 * should know to finish the job ({@link Kind#todo}). Every finding names the place in the source.
 */
public record Finding(Position position, String pointer, Kind kind, String message) {
    public enum Kind {
        /** Not expressed in the descriptor: dropped, and said so. */
        unmapped,
        /** Expressed differently, or filled with a placeholder to replace. */
        changed,
        /** Mapped; something to do before installing (create a Secret, pin an image). */
        todo
    }

    /** {@code file:line:col: /pointer: kind: message}. */
    public String format() {
        return position + ": " + pointer + ": " + kind + ": " + message;
    }
}
